"""The live session routes' operations and shapes (issue 17), merged into the document.
The WebSocket (/ws/live/{session_id}) is described in the README: OpenAPI has no socket."""
from __future__ import annotations

from .operations import UUID_SCHEMA, op, path_param, query_param
from .schemas import COUNT, NULLABLE_STR, TIMESTAMP, UUID, ref

NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
ROLE = {"type": "string", "enum": ["host", "cohost", "guest", "viewer"]}

SCHEMAS = {
    "LiveSession": {
        "type": "object",
        "required": ["id", "host_id", "title", "session_type", "status", "viewer_count"],
        "properties": {
            "id": UUID, "host_id": UUID, "host_username": NULLABLE_STR, "host_avatar_url": NULLABLE_STR,
            "username": {**NULLABLE_STR, "description": "The host's username (the frontend reads it)."},
            "title": {"type": "string"}, "description": NULLABLE_STR,
            "session_type": {"type": "string", "enum": ["voice", "camera", "studio"]},
            "status": {"type": "string", "enum": ["scheduled", "active", "ended"]},
            "thumbnail_url": NULLABLE_STR,
            "access_token": {"type": "null", "description": "Always null: the socket takes the user's token."},
            "viewer_count": {**COUNT, "description": "Users with an open socket, the host not counted."},
            "peak_viewers": COUNT, "guest_count": COUNT,
            "max_participants": {"type": ["integer", "null"]},
            "started_at": NULLABLE_TIME, "ended_at": NULLABLE_TIME, "created_at": NULLABLE_TIME,
        },
    },
    "LiveStart": {
        "type": "object", "required": ["title"],
        "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 255},
                       "description": {"type": ["string", "null"], "maxLength": 2000},
                       "session_type": {"type": "string", "enum": ["voice", "camera", "studio"], "default": "voice"},
                       "max_participants": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
    },
    "LiveSessionRef": {"type": "object", "required": ["session_id"], "properties": {"session_id": UUID}},
    "LiveGuestAsk": {"type": "object", "required": ["session_id"],
                     "properties": {"session_id": UUID, "message": {"type": ["string", "null"], "maxLength": 255},
                                    "request_type": {"type": "string", "enum": ["guest", "cohost"]}}},
    "LiveJoin": {
        "type": "object", "required": ["session", "webrtc_config"],
        "properties": {"session": ref("LiveSession"), "access_token": {"type": "null"},
                       "role": {"type": "null"},
                       "webrtc_config": {"type": "object", "description": "room_name and STUN ice_servers; "
                                         "media is a peer-to-peer mesh signalled over the socket."}},
    },
    "LiveParticipant": {
        "type": "object", "required": ["user_id", "role", "status"],
        "properties": {"user_id": UUID, "username": NULLABLE_STR, "avatar_url": NULLABLE_STR, "role": ROLE,
                       "status": {"type": "string"}, "audio_enabled": {"type": ["boolean", "null"]},
                       "video_enabled": {"type": ["boolean", "null"]}, "joined_at": NULLABLE_TIME},
    },
    "LiveGuestRequest": {
        "type": "object", "required": ["id", "session_id", "user_id", "status"],
        "properties": {"id": UUID, "session_id": UUID, "user_id": UUID, "username": NULLABLE_STR,
                       "avatar_url": NULLABLE_STR, "request_type": {"type": "string", "enum": ["guest", "cohost"]},
                       "status": {"type": "string"}, "message": NULLABLE_STR, "created_at": TIMESTAMP,
                       "responded_at": NULLABLE_TIME},
    },
    "LiveMessage": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
}

SESSION_ID = path_param("session_id", UUID_SCHEMA)
STATUS = query_param("status", {"type": "string", "enum": ["active", "ended", "scheduled"], "default": "active"})
REQUEST_STATUS = query_param("status", {"type": "string", "enum": ["pending", "approved", "rejected", "cancelled"],
                                        "default": "pending"})


def _limit(most: int, default: int) -> dict:
    return query_param("limit", {"type": "integer", "minimum": 1, "default": default},
                       f"Values over {most} are clamped.")


def _list(name: str) -> dict:
    return {"type": "array", "items": ref(name)}


OPERATIONS = {
    ("POST", "/live/start"): op(
        "Go live: a new active session hosted by me (my older active one ends)", "live",
        ref("LiveSession"), auth="required", body=ref("LiveStart"), errors=(429,)),
    ("GET", "/live/list"): op(
        "Live sessions by status, newest first (public; a few seconds of CDN cache)", "live",
        _list("LiveSession"), params=[STATUS, _limit(100, 50)], cacheable=True),
    ("POST", "/live/join"): op(
        "Take a seat in an active session (idempotent; the count moves with the socket)", "live",
        ref("LiveJoin"), auth="required", body=ref("LiveSessionRef"), errors=(403, 404, 410)),
    ("POST", "/live/{session_id}/end"): op(
        "End my session (host only): every socket gets session_ended and is closed", "live",
        ref("LiveMessage"), auth="required", params=[SESSION_ID], errors=(403, 404)),
    ("GET", "/live/{session_id}"): op(
        "One live session (public)", "live", ref("LiveSession"), params=[SESSION_ID], errors=(404,),
        cacheable=True),
    ("GET", "/live/participants/{session_id}"): op(
        "Who is in a session: host, co-hosts, guests, then viewers (public)", "live",
        _list("LiveParticipant"), params=[SESSION_ID, _limit(500, 100)], errors=(404,), cacheable=True),
    ("GET", "/live/guest-requests/{session_id}"): op(
        "Guest requests of a session (host and co-hosts only)", "live", _list("LiveGuestRequest"),
        auth="required", params=[SESSION_ID, REQUEST_STATUS, _limit(200, 50)], errors=(403, 404)),
    ("POST", "/live/request-guest"): op(
        "Ask to join the stage (the host and co-hosts get guest_request on the socket)", "live",
        ref("LiveGuestRequest"), auth="required", body=ref("LiveGuestAsk"), errors=(403, 404, 410, 429)),
}
