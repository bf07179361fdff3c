"""What other code calls to notify a user (uploads today; gifts, live and moderation later).

`notify` appends to the outbox inside the caller's transaction, so the notification exists
exactly when the caller's change commits; the materialiser writes it within seconds. It is
never grouped, and acting on your own content (actor == recipient) notifies nobody.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from ..repo import notification_outbox

# The current backend's types, and the ones this API adds.
TYPES = ("new_follower", "new_like", "new_comment", "gift_received", "live_started", "mention",
         "video_ready", "video_failed", "content_taken_down", "content_restored")


def notify(conn: Any, recipient_id: str, type: str, title: str, message: Optional[str] = None,  # noqa: A002
           data: Optional[Dict[str, Any]] = None, actor_id: Optional[str] = None) -> None:
    if type not in TYPES:
        raise ValueError(f"unknown notification type {type!r}")
    if not title or len(title) > 255:
        raise ValueError("a notification title is 1 to 255 characters")
    if actor_id is not None and str(actor_id) == str(recipient_id):
        return
    notification_outbox.append_direct(
        conn, str(recipient_id), actor_id,
        {"type": type, "title": title, "message": message, "data": data or {}})
