"""The notification routes' operations and shapes (issue 13), merged into the document."""
from __future__ import annotations

from .operations import CURSOR, UUID_SCHEMA, op, path_param, query_param
from .schemas import NULLABLE_STR, TIMESTAMP, UUID, page_of, ref

TYPES = ["new_follower", "new_like", "new_comment", "gift_received", "live_started", "mention",
         "video_ready", "video_failed", "content_taken_down", "content_restored"]

SCHEMAS = {
    "Notification": {
        "type": "object",
        "required": ["id", "user_id", "type", "title", "message", "data", "read", "created_at"],
        "properties": {
            "id": UUID, "user_id": UUID,
            "type": {"type": "string", "description": "One of " + ", ".join(TYPES) + " (older rows may hold others)."},
            "title": {"type": "string"}, "message": NULLABLE_STR,
            "data": {"type": ["object", "null"],
                     "description": "Grouped kinds: video_id / comment_id / parent_id, actor_id, "
                                    "actor_username, actor_count, actors (latest first)."},
            "read": {"type": "boolean"}, "created_at": TIMESTAMP,
        },
    },
    "NotificationPage": page_of("Notification"),
    "UnreadCount": {"type": "object", "required": ["unread_count"],
                    "properties": {"unread_count": {"type": "integer", "minimum": 0}}},
    "Message": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
}

UNREAD_ONLY = query_param("unread_only", {"type": "boolean", "default": False},
                          "true/false (also 1/0, yes/no, on/off).")
LIMIT_100 = query_param("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                        "Outside 1..100 is a 400.")
LIMIT_50 = query_param("limit", {"type": "integer", "minimum": 1, "maximum": 50, "default": 20},
                       "Outside 1..50 is a 400.")

OPERATIONS = {
    ("GET", "/notifications"): op(
        "My notifications, newest first (the current backend's route; `/notifications/` too)",
        "notifications", {"type": "array", "items": ref("Notification")}, auth="required",
        params=[LIMIT_100, UNREAD_ONLY]),
    ("GET", "/notifications/unread-count"): op(
        "How many of my notifications are unread (one row read)", "notifications",
        ref("UnreadCount"), auth="required"),
    ("POST", "/notifications/{notification_id}/read"): op(
        "Mark one of my notifications read (idempotent)", "notifications", ref("Message"),
        auth="required", errors=(404,), params=[path_param("notification_id", UUID_SCHEMA)],
        description="404 for an unknown id and for another user's notification alike."),
    ("POST", "/notifications/read-all"): op(
        "Mark all my notifications read (idempotent; in batches)", "notifications", ref("Message"),
        auth="required"),
    ("GET", "/v1/me/notifications"): op(
        "My notifications as cursor pages", "notifications", ref("NotificationPage"),
        auth="required", params=[CURSOR, LIMIT_50, UNREAD_ONLY]),
}
