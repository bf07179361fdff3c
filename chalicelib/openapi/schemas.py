# TRANSITION: only chalicelib/openapi/search.py (hand-written) still imports this; it goes with it.
"""Component schemas: the JSON shapes of the contract (section 1) and what the API adds."""
from __future__ import annotations

UUID = {"type": "string", "format": "uuid"}
NULLABLE_STR = {"type": ["string", "null"]}
COUNT = {"type": "integer", "minimum": 0}
TIMESTAMP = {"type": "string", "format": "date-time"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": ref(name)},
            "next_cursor": {"type": ["string", "null"], "description": "Opaque; pass back as `cursor`."},
        },
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
    },
    "Video": {
        "type": "object",
        "required": [
            "id", "user_id", "title", "description", "video_url", "thumbnail_url", "hashtags",
            "views_count", "likes_count", "comments_count", "shares_count", "created_at",
            "username", "avatar_url",
        ],
        "properties": {
            "id": UUID,
            "user_id": UUID,
            "title": {"type": "string"},
            "description": NULLABLE_STR,
            "video_url": {"type": "string"},
            "thumbnail_url": NULLABLE_STR,
            "hashtags": {"type": "array", "items": {"type": "string"}},
            "views_count": COUNT,
            "likes_count": COUNT,
            "comments_count": COUNT,
            "shares_count": COUNT,
            "created_at": TIMESTAMP,
            "username": {"type": "string"},
            "avatar_url": NULLABLE_STR,
            "hls_url": NULLABLE_STR,
            "duration": {"type": ["number", "null"]},
            "width": {"type": ["integer", "null"]},
            "height": {"type": ["integer", "null"]},
            "status": {"type": "string", "enum": ["pending", "ready", "failed"]},
        },
    },
    "Comment": {
        "type": "object",
        "required": ["id", "video_id", "user_id", "username", "avatar_url", "content", "created_at"],
        "properties": {
            "id": UUID,
            "video_id": UUID,
            "user_id": UUID,
            "username": {"type": "string"},
            "avatar_url": NULLABLE_STR,
            "content": {"type": "string"},
            "created_at": TIMESTAMP,
            "parent_id": {"type": ["string", "null"], "format": "uuid"},
        },
    },
    "VideoPage": page_of("Video"),
    "CommentPage": page_of("Comment"),
    "User": {
        "type": "object",
        "required": ["id", "username", "full_name", "avatar_url", "bio", "followers_count", "following_count"],
        "properties": {
            "id": UUID,
            "username": {"type": "string"},
            "full_name": NULLABLE_STR,
            "avatar_url": NULLABLE_STR,
            "bio": NULLABLE_STR,
            "followers_count": COUNT,
            "following_count": COUNT,
        },
    },
    "TrendingPage": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": ref("Video")},
            "next_cursor": {"type": "null", "description": "A trending list is one snapshot."},
            "generated_at": TIMESTAMP,
        },
    },
    "UploadRequest": {
        "type": "object",
        "required": ["title"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 150},
            "description": {"type": ["string", "null"], "maxLength": 2200},
            "hashtags": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 50}},
        },
    },
    "UploadTicket": {
        "type": "object",
        "required": ["video_id", "upload_url", "fields"],
        "properties": {
            "video_id": UUID,
            "upload_url": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "expires_at": {"type": ["string", "integer"]},
        },
    },
    "WebhookOutcome": {
        "type": "object",
        "required": ["received"],
        "properties": {
            "received": {"type": "boolean"},
            "kind": {"type": ["string", "null"]},
            "result": {"type": ["string", "null"]},
            "video_id": {"type": ["string", "null"]},
        },
    },
    "NewComment": {
        "type": "object",
        "required": ["content"],
        "properties": {
            "content": {"type": "string", "minLength": 1, "maxLength": 500},
            "parent_id": {"type": ["string", "null"], "format": "uuid"},
        },
    },
    "LikeState": {
        "type": "object",
        "required": ["liked", "likes_count"],
        "properties": {"liked": {"type": "boolean"}, "likes_count": COUNT},
    },
    "ShareState": {
        "type": "object",
        "required": ["counted", "shares_count"],
        "properties": {"counted": {"type": "boolean"}, "shares_count": COUNT},
    },
    "FollowState": {
        "type": "object",
        "required": ["following", "followers_count"],
        "properties": {"following": {"type": "boolean"}, "followers_count": COUNT},
    },
    "FollowMessage": {
        "type": "object",
        "required": ["message", "following"],
        "properties": {"message": {"type": "string"}, "following": {"type": "boolean"}},
    },
    "Welcome": {
        "type": "object",
        "required": ["message", "version"],
        "properties": {"message": {"type": "string"}, "version": {"type": "string"}},
    },
    "Health": {
        "type": "object",
        "required": ["status", "service", "database"],
        "properties": {
            "status": {"type": "string", "enum": ["healthy", "degraded"]},
            "service": {"type": "string", "const": "trendke-api"},
            "database": {"type": "string", "enum": ["connected", "disconnected"]},
            "version": {"type": "string"},
            "stage": {"type": "string"},
            "timestamp": TIMESTAMP,
        },
    },
}
