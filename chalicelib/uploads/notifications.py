"""Cloudinary's webhook notifications: proof first, then the state change.

Cloudinary signs a notification as hex(sha1|sha256(body + timestamp + api_secret)) in
X-Cld-Signature, with the timestamp in X-Cld-Timestamp: the SDK's
`verify_notification_signature`. We compute the same digest over the RAW bytes (no JSON
round trip), compare in constant time (the SDK uses ==), and also refuse timestamps from the
future (the SDK checks only the past).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from .. import db, media
from ..config import settings
from ..errors import BadRequest, ServiceUnavailable, Unauthorized
from ..notifications.outbox import notify
from ..repo import uploads as repo

log = logging.getLogger("trendke.uploads")

CLOCK_SKEW_S = 300
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_HEX = re.compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")


def expected_signature(raw_body: bytes, timestamp: str, api_secret: str, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    digest.update(raw_body + timestamp.encode("ascii") + api_secret.encode("utf-8"))
    return digest.hexdigest()


def verify(raw_body: bytes, headers: Mapping[str, str], now: Optional[float] = None) -> None:
    """Raise Unauthorized unless the headers prove Cloudinary sent these exact bytes lately."""
    signature = (headers.get("x-cld-signature") or "").strip()
    timestamp = (headers.get("x-cld-timestamp") or "").strip()
    if not signature or not timestamp:
        raise Unauthorized("Missing notification signature")
    if not _TIMESTAMP.fullmatch(timestamp) or not _HEX.fullmatch(signature):
        raise Unauthorized("Malformed notification signature")
    cfg = settings()
    age = (time.time() if now is None else now) - int(timestamp)
    if age > cfg.cloudinary_webhook_max_age_s or age < -CLOCK_SKEW_S:
        raise Unauthorized("Stale notification timestamp")
    try:
        secret = media.account().api_secret
    except RuntimeError as exc:
        raise ServiceUnavailable("Notifications cannot be verified (CLOUDINARY_URL)") from exc
    expected = expected_signature(raw_body, timestamp, secret, cfg.cloudinary_signature_algorithm)
    if not hmac.compare_digest(expected.encode("ascii"), signature.lower().encode("ascii")):
        raise Unauthorized("Invalid notification signature")


@dataclass(frozen=True)
class Outcome:
    kind: str  # upload | eager | approval | failure | ignored
    public_id: Optional[str]
    result: str  # applied | duplicate | unknown | ignored
    video_id: Optional[str] = None

    def as_json(self) -> dict:
        return {"received": True, "kind": self.kind, "result": self.result, "video_id": self.video_id}


def _number(value: Any, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return kind(value)


def _metadata(payload: Mapping[str, Any]) -> dict:
    fmt = payload.get("format")
    return {
        "duration": _number(payload.get("duration"), float),
        "width": _number(payload.get("width"), int),
        "height": _number(payload.get("height"), int),
        "bytes": _number(payload.get("bytes"), int),
        "format": fmt[:20] if isinstance(fmt, str) else None,
    }


def _error_message(value: Any) -> Optional[str]:
    if isinstance(value, dict):
        value = value.get("message") or json.dumps(value)[:500]
    return str(value) if value else None


def _out_of_bounds(payload: Mapping[str, Any]) -> Optional[str]:
    """Why an uploaded asset is not a video we accept (signing.limits), or None. Missing
    facts fail too: Cloudinary reports bytes and duration for every video."""
    cfg = settings()
    kind = payload.get("resource_type")
    if kind != "video":
        return f"not a video (resource type {str(kind)[:20]!r})"
    size = _number(payload.get("bytes"), int)
    duration = _number(payload.get("duration"), float)
    if size is None or duration is None:
        return "Cloudinary reported no file size or duration"
    if size > cfg.upload_max_bytes:
        return f"file size {size} bytes is over the limit of {cfg.upload_max_bytes} bytes"
    if duration > cfg.upload_max_duration_s:
        return f"duration {duration:g} s is over the limit of {cfg.upload_max_duration_s} s"
    return None


def _failure_reason(payload: Mapping[str, Any]) -> Optional[str]:
    """Why Cloudinary could not make this video, or why we refuse what it made; None when
    nothing failed."""
    error = _error_message(payload.get("error"))
    if error:
        return error
    if payload.get("notification_type") == "upload":
        refused = _out_of_bounds(payload)
        if refused:
            return refused
    if payload.get("status") == "failed":
        return _error_message(payload.get("reason")) or "Cloudinary reported the upload as failed"
    if payload.get("notification_type") == "eager":
        for item in payload.get("eager") or []:
            if isinstance(item, dict) and (item.get("status") == "failed" or item.get("error")):
                why = _error_message(item.get("reason") or item.get("error")) or "unknown reason"
                return f"rendition {item.get('transformation', '?')} failed: {why}"
    if payload.get("notification_type") == "moderation" and payload.get("moderation_status") == "rejected":
        kind = payload.get("moderation_kind")
        return f"rejected by moderation ({kind})" if isinstance(kind, str) else "rejected by moderation"
    for item in _moderation(payload):
        if item.get("status") == "rejected":
            return f"rejected by moderation ({item.get('kind', '?')})"
    return None


def _moderation(payload: Mapping[str, Any]) -> list:
    """The upload's moderation entries ([{kind, status}]) when the add-on was asked for."""
    entries = payload.get("moderation")
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def _awaits_moderation(payload: Mapping[str, Any]) -> bool:
    return any(item.get("status") == "pending" for item in _moderation(payload))


def _classify(payload: Mapping[str, Any]) -> str:
    if _failure_reason(payload):
        return "failure"
    kind = payload.get("notification_type")
    if kind == "moderation" and payload.get("moderation_status") == "approved":
        return "approval"
    return kind if kind in ("upload", "eager") else "ignored"


def parse(raw_body: bytes) -> dict:
    try:
        payload = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("Notification body must be JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest("Notification body must be a JSON object")
    return payload


def apply(payload: Mapping[str, Any]) -> Outcome:
    """Apply a verified notification. Any order, any number of deliveries: the same end state
    (failure wins; ready never goes back to pending; eager before upload is fine)."""
    kind = _classify(payload)
    public_id = payload.get("public_id")
    if not isinstance(public_id, str) or not public_id or kind == "ignored":
        log.info("cloudinary notification ignored: type=%r public_id=%r",
                 payload.get("notification_type"), public_id)
        return Outcome(kind if kind != "ignored" else "ignored", None, "ignored")
    if kind == "eager":
        changed = repo.record_eager_ready(public_id)
    else:
        changed = db.in_transaction(lambda conn: _transition(conn, kind, public_id, payload))
        if changed is not None and kind == "failure":  # a ready video may be trending
            from ..trending import purge_call

            purge_call.request([str(changed["id"])])
    if changed is not None:
        return Outcome(kind, public_id, "applied", str(changed["id"]))
    known = repo.state_of(public_id)
    if known is None:
        # Acknowledged, so Cloudinary stops retrying; logged so an operator can look.
        log.warning("cloudinary notification for unknown public id %r (type %s)", public_id, kind)
        return Outcome(kind, public_id, "unknown")
    return Outcome(kind, public_id, "duplicate", str(known["id"]))


def _transition(conn: Any, kind: str, public_id: str, payload: Mapping[str, Any]) -> Optional[dict]:
    """Ready or failed, and the owner's notification in the same transaction (exactly once:
    a duplicate delivery changes no row, so it notifies nobody)."""
    if kind in ("upload", "approval"):
        if kind == "upload":
            row = repo.record_upload(public_id, _metadata(payload), conn, _awaits_moderation(payload))
        else:
            row = repo.record_approval(public_id, conn)
        if row is not None and row["became_ready"]:
            notify(conn, str(row["user_id"]), "video_ready", "Your video is ready",
                   f'"{row["title"]}" is now live on TrendKe', {"video_id": str(row["id"])})
        return row
    reason = _failure_reason(payload) or "failed"
    row = repo.record_failure(public_id, reason, conn)
    if row is not None and row["deleted_at"] is None:
        notify(conn, str(row["user_id"]), "video_failed", "Your video could not be published",
               f'"{row["title"]}": {reason}'[:1000], {"video_id": str(row["id"]), "reason": reason})
    return row


def handle(raw_body: bytes, headers: Mapping[str, str]) -> Outcome:
    verify(raw_body, headers)
    return apply(parse(raw_body))
