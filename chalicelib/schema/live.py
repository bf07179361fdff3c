"""Live sessions (FRONTEND.md section 6): request bodies, queries and answers. The socket's
frames are described in the README: OpenAPI has no socket."""
from __future__ import annotations

from typing import Annotated, Any, Dict, Literal, Optional

import msgspec

from .. import rules
from .accounts import Timestamp
from .types import Answer, Input, OpenBody, Uuid
from .videos import Count

SessionType = Literal["voice", "camera", "studio"]
Role = Literal["host", "cohost", "guest", "viewer"]
RequestType = Literal["guest", "cohost"]
MAX_TITLE, MAX_DESCRIPTION, MAX_PARTICIPANTS = 255, 2000, 1000


class LiveStart(OpenBody):
    title: Annotated[str, msgspec.Meta(extra_json_schema={"minLength": 1, "maxLength": MAX_TITLE})]
    description: Annotated[Optional[str], msgspec.Meta(extra_json_schema={"maxLength": MAX_DESCRIPTION})] = None
    session_type: SessionType = "voice"
    max_participants: Annotated[int, msgspec.Meta(ge=1, le=MAX_PARTICIPANTS)] = 50

    def __post_init__(self) -> None:
        self.title = rules.clean_text(self.title, "title", min_chars=1, max_chars=MAX_TITLE, multiline=False)
        self.description = rules.optional_text(self.description, "description", max_chars=MAX_DESCRIPTION)


class LiveSessionRef(OpenBody):
    session_id: Uuid


class LiveGuestAsk(OpenBody):
    session_id: Uuid
    message: Annotated[Optional[str], msgspec.Meta(extra_json_schema={"maxLength": MAX_TITLE})] = None
    request_type: RequestType = "guest"

    def __post_init__(self) -> None:
        self.message = rules.optional_text(self.message, "message", max_chars=MAX_TITLE)


class SessionIdPath(Input):
    session_id: Uuid


class LiveListQuery(Input):
    __clamp__ = {"limit": 100}
    status: Literal["active", "ended", "scheduled"] = "active"
    limit: Annotated[int, msgspec.Meta(ge=1)] = 50


class ParticipantsQuery(Input):
    __clamp__ = {"limit": 500}
    limit: Annotated[int, msgspec.Meta(ge=1)] = 100


class GuestRequestsQuery(Input):
    __clamp__ = {"limit": 200}
    status: Literal["pending", "approved", "rejected", "cancelled"] = "pending"
    limit: Annotated[int, msgspec.Meta(ge=1)] = 50


class LiveSession(Answer):
    id: Uuid
    host_id: Uuid
    title: str
    session_type: SessionType
    status: Literal["scheduled", "active", "ended"]
    viewer_count: Annotated[int, msgspec.Meta(ge=0, description="Users with an open socket, the host not counted.")]
    host_username: Optional[str] = None
    host_avatar_url: Optional[str] = None
    username: Annotated[Optional[str], msgspec.Meta(description="The host's username (the frontend reads it).")] = None
    description: Optional[str] = None
    thumbnail_url: Optional[str] = None
    access_token: Annotated[None, msgspec.Meta(description="Always null: the socket takes the user's token.")] = None
    peak_viewers: Optional[Count] = None
    guest_count: Optional[Count] = None
    max_participants: Optional[int] = None
    started_at: Optional[Timestamp] = None
    ended_at: Optional[Timestamp] = None
    created_at: Optional[Timestamp] = None


class LiveJoin(Answer):
    session: LiveSession
    webrtc_config: Annotated[Dict[str, Any], msgspec.Meta(
        description="room_name and STUN ice_servers; media is a peer-to-peer mesh signalled over the socket.")]
    access_token: None = None
    role: None = None


class LiveParticipant(Answer):
    user_id: Uuid
    role: Role
    status: str
    username: Optional[str] = None
    avatar_url: Optional[str] = None
    audio_enabled: Optional[bool] = None
    video_enabled: Optional[bool] = None
    joined_at: Optional[Timestamp] = None


class LiveGuestRequest(Answer):
    id: Uuid
    session_id: Uuid
    user_id: Uuid
    status: str
    username: Optional[str] = None
    avatar_url: Optional[str] = None
    request_type: Optional[RequestType] = None
    message: Optional[str] = None
    created_at: Optional[Timestamp] = None
    responded_at: Optional[Timestamp] = None


class LiveMessage(Answer):
    message: str


__all__ = ["LiveStart", "LiveSessionRef", "LiveGuestAsk", "SessionIdPath", "LiveListQuery",
           "ParticipantsQuery", "GuestRequestsQuery", "LiveSession", "LiveJoin", "LiveParticipant",
           "LiveGuestRequest", "LiveMessage"]
