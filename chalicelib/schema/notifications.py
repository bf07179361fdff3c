"""The notification routes' queries and answers (issue 13)."""
from __future__ import annotations

from typing import Annotated, List, Optional

from msgspec import Meta

from .accounts import Message  # noqa: F401 - the read routes' answer
from .common import CursorPage
from .types import Answer, Flag, Input, Uuid

TYPES = ["new_follower", "new_like", "new_comment", "gift_received", "live_started", "mention",
         "video_ready", "video_failed", "content_taken_down", "content_restored"]

Timestamp = Annotated[str, Meta(extra_json_schema={"format": "date-time"})]


class NotificationsQuery(Input):
    """The old list: limit outside 1..100 is a 400 (not clamped)."""

    limit: Annotated[int, Meta(ge=1, le=100, description="Outside 1..100 is a 400.")] = 20
    unread_only: Flag = False  # type: ignore[assignment]  (a Flag when sent)


class NotificationsPage(CursorPage):
    __clamp__ = {}  # outside 1..50 is a 400
    limit: Annotated[int, Meta(ge=1, le=50, description="Outside 1..50 is a 400.")] = 20
    unread_only: Flag = False  # type: ignore[assignment]  (a Flag when sent)


class NotificationIdPath(Input):
    notification_id: Uuid


class Notification(Answer):
    id: Uuid
    user_id: Uuid
    type: Annotated[str, Meta(description="One of " + ", ".join(TYPES) + " (older rows may hold others).")]
    title: str
    message: Optional[str]
    data: Annotated[Optional[dict], Meta(
        description="Grouped kinds: video_id / comment_id / parent_id, actor_id, actor_username, "
                    "actor_count, actors (latest first).")]
    read: bool
    created_at: Timestamp


class NotificationPage(Answer):
    items: List[Notification]
    next_cursor: Annotated[Optional[str], Meta(description="Opaque; pass back as `cursor`.")]


class UnreadCount(Answer):
    unread_count: Annotated[int, Meta(ge=0)]
