"""Deleting videos, destroying their Cloudinary assets, and the sweep that finishes what
requests and notifications left: pendings that never completed, destroys that failed."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .. import db, media
from ..config import settings
from ..errors import Forbidden, NotFound
from ..repo import uploads as repo

log = logging.getLogger("trendke.uploads")

DESTROY_TIMEOUT_S = 5  # a Lambda must not hang on Cloudinary
MAX_RETRY_DELAY_S = 6 * 3600
SWEEP_BATCH = 200


def retry_delay_s(attempts: int) -> int:
    """Exponential back-off after `attempts` failed destroys: 2, 4, 8 ... minutes, up to 6 h."""
    return min(MAX_RETRY_DELAY_S, 60 * 2 ** max(1, min(attempts, 12)))


def destroy_asset(video_id: str, public_id: str, attempts_before: int = 0) -> bool:
    """Destroy the video asset through the SDK; the outcome is recorded either way.

    "not found" counts as done: the asset never arrived, or an earlier call removed it.
    """
    media.sdk()
    import cloudinary.uploader

    try:
        result = cloudinary.uploader.destroy(
            public_id, resource_type="video", invalidate=True, timeout=DESTROY_TIMEOUT_S
        )
        outcome = result.get("result") if isinstance(result, dict) else None
        if outcome not in ("ok", "not found"):
            raise RuntimeError(f"unexpected destroy result: {result!r}"[:500])
    except Exception as exc:  # network, HTTP, Cloudinary errors: all retried by the sweep
        log.warning("destroy of %s failed (will retry): %s", public_id, exc)
        repo.record_destroy_failure(video_id, f"{type(exc).__name__}: {exc}", retry_delay_s(attempts_before + 1))
        return False
    repo.record_destroyed(video_id)
    return True


@dataclass(frozen=True)
class Deletion:
    video_id: str
    asset_destroyed: bool  # False: a destroy is owed and the sweep will retry it


def delete_video(video_id: str, user_id: str) -> Deletion:
    """Hide the video everywhere at once (deleted_at), then destroy its asset.

    Owner only (403 for others, 404 for an unknown or someone else's deleted video). A second
    delete by the owner answers the same, and retries a destroy still owed.
    """

    def work(conn: Any) -> dict:
        row = repo.lock_for_delete(conn, video_id)
        if row is None or (str(row["user_id"]) != user_id and row["deleted_at"] is not None):
            raise NotFound("Video not found")
        if str(row["user_id"]) != user_id:
            raise Forbidden("Only the owner can delete this video")
        repo.mark_deleted(conn, video_id)
        return row

    row = db.in_transaction(work)
    if row["deleted_at"] is None:  # gone from trending now, not at the next refresh
        from ..trending import purge_call

        purge_call.request([video_id])
    public_id = row["cloudinary_public_id"]
    if not public_id or row["asset_destroyed_at"] is not None:
        return Deletion(video_id, True)
    return Deletion(video_id, destroy_asset(video_id, public_id))


@dataclass(frozen=True)
class SweepReport:
    expired: int
    destroyed: int
    destroy_failures: int


def sweep(batch: int = SWEEP_BATCH) -> SweepReport:
    cfg = settings()
    hours = cfg.upload_pending_timeout_s / 3600
    expired = repo.expire_pendings(
        cfg.upload_pending_timeout_s, f"Upload not completed within {hours:g} h", batch
    )
    destroyed = failures = 0
    for row in repo.due_destroys(batch):
        if destroy_asset(str(row["id"]), row["cloudinary_public_id"], row["destroy_attempts"]):
            destroyed += 1
        else:
            failures += 1
    report = SweepReport(len(expired), destroyed, failures)
    log.info("uploads sweep: %s", report)
    return report
