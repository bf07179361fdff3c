"""Starting an upload: limits, idempotency, the pending row, then the signed parameters."""
from __future__ import annotations

import math
import time
import uuid
from datetime import timedelta
from dataclasses import dataclass
from typing import Any, Optional

from .. import db, media, ratelimit
from ..config import settings
from ..errors import Conflict, TooManyRequests
from ..repo import uploads as repo
from . import signing
from ..schema.uploads import UploadRequest

DAY_S = 86400


@dataclass(frozen=True)
class StartedUpload:
    video_id: str
    signed: signing.SignedUpload
    created: bool  # False: a retried request answered for the video it already made

    def as_json(self) -> dict:
        return {
            "video_id": self.video_id,
            "upload_url": self.signed.upload_url,
            "fields": self.signed.fields,
            "expires_at": self.signed.expires_at,
        }


def _seconds_until(then: Any, now: Any) -> int:
    return max(1, math.ceil((then - now).total_seconds()))


def _check_limits(conn: Any, user_id: str) -> None:
    cfg = settings()
    counts = repo.recent_counts(conn, user_id, cfg.upload_pending_timeout_s)
    now = counts["now"]
    if counts["pending"] >= cfg.upload_max_pending:
        frees_at = counts["oldest_pending"] + timedelta(seconds=cfg.upload_pending_timeout_s)
        raise TooManyRequests(
            f"At most {cfg.upload_max_pending} uploads may be in progress; finish one or delete it"
            " (DELETE /v1/videos/{id})",
            _seconds_until(frees_at, now),
        )
    if counts["today"] >= cfg.upload_daily_cap:
        frees_at = counts["oldest_today"] + timedelta(seconds=DAY_S)
        raise TooManyRequests(
            f"At most {cfg.upload_daily_cap} uploads a day", _seconds_until(frees_at, now)
        )


def _same_request(row: dict, req: UploadRequest) -> bool:
    return (row["title"], row["description"], list(row["hashtags"])) == (
        req.title,
        req.description,
        req.hashtags,
    )


def start_upload(user_id: str, req: UploadRequest, idempotency_key: Optional[str] = None) -> StartedUpload:
    """Record a pending video owned by `user_id` and sign its upload.

    With an idempotency key, a retry of the same request answers for the same video (freshly
    signed) without counting against the limits again; the same key with another body is a 409.
    """
    signing.check_configured()
    new_id = str(uuid.uuid4())
    public_id = signing.public_id_for(new_id)
    # Deterministic delivery URLs: video_url is NOT NULL in the old schema, and this is the
    # address the video will have once Cloudinary holds it.
    urls = media.urls_for(public_id)

    def work(conn: Any) -> tuple:
        repo.lock_user(conn, user_id)
        if idempotency_key:
            existing = repo.by_idempotency_key(conn, user_id, idempotency_key)
            if existing is not None:
                if not _same_request(existing, req):
                    raise Conflict("Idempotency-Key was already used with a different request")
                if existing["status"] != "pending" or existing["deleted_at"] is not None:
                    raise Conflict("Idempotency-Key belongs to an upload that is no longer pending")
                return str(existing["id"]), False
        # After the replay answer: a retried key must not use up the allowance. A refusal
        # below rolls the transaction back, the hit with it.
        ratelimit.check(conn, user_id, "upload")
        _check_limits(conn, user_id)
        repo.insert_pending(
            conn,
            {
                "id": new_id,
                "user_id": user_id,
                "title": req.title,
                "description": req.description,
                "hashtags": req.hashtags,
                "video_url": urls.video_url,
                "thumbnail_url": urls.thumbnail_url,
                "public_id": public_id,
                "idempotency_key": idempotency_key,
            },
        )
        return new_id, True

    video_id, created = db.in_transaction(work)
    return StartedUpload(video_id, signing.sign(video_id, int(time.time())), created)
