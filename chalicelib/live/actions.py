"""What a live socket may say (FRONTEND.md section 7), each action checked against the
sender's real role: only the host and co-hosts approve guests, mute, kick or promote."""
from __future__ import annotations

import json
from typing import Any, Callable, Dict

from .. import db, ratelimit
from ..errors import BadRequest, DomainError, Forbidden, NotFound
from ..repo import live, live_connections
from . import chat, realtime
from .realtime import Caller, frame

SIGNAL_TYPES = {"offer", "answer", "ice_candidate"}
MAX_SIGNAL_BYTES = 16 * 1024  # an SDP with many candidates is a few kB
PARTICIPANT_ACTIONS = {"mute_audio", "mute_video", "kick", "promote"}
ROLES_GIVEN = {"cohost", "guest", "viewer"}


def _target(message: dict, key: str = "target_user_id") -> str:
    import uuid

    try:
        return str(uuid.UUID(str(message.get(key))))
    except ValueError:
        raise BadRequest(f"'{key}' must be a user id") from None


def _moderator(caller: Caller) -> None:
    if not caller.moderator:
        raise Forbidden("Only the host or a co-host may do that")


def _on_stage(caller: Caller, target: str) -> dict:
    """The target's seat; nobody acts on the host, nor on themself."""
    def read(conn: Any) -> dict:
        session = live.session(conn, caller.session_id)
        if session is not None and str(session["host_id"]) == target:
            raise Forbidden("The host cannot be moderated")
        seat = live.participant(conn, caller.session_id, target)
        if seat is None:
            raise NotFound("That user is not in this live session")
        return seat

    if target == caller.user_id:
        raise BadRequest("You cannot do that to yourself")
    return db.run(read)


def do_chat(caller: Caller, message: dict) -> None:
    said = chat.post(caller, message.get("message"))
    realtime.to_session(caller.session_id, frame("chat_message", **said))


def do_reaction(caller: Caller, message: dict) -> None:
    reaction = chat.react(caller, message.get("reaction"))
    realtime.to_session(caller.session_id, frame("reaction", reaction=reaction,
                                                 username=caller.username, user_id=caller.user_id))


def do_request_guest(caller: Caller, message: dict) -> None:
    from . import sessions

    request = sessions.request_guest(caller.user_id, caller.session_id, message.get("message"))
    realtime.to_session(caller.session_id, frame(
        "guest_request", user_id=caller.user_id, username=caller.username,
        timestamp=request["created_at"]), roles=["host", "cohost"])


def do_respond_guest(caller: Caller, message: dict) -> None:
    _moderator(caller)
    target, approved = _target(message), message.get("approved") is True

    def unit(conn: Any) -> Any:
        answered = live.answer_guest(conn, caller.session_id, target, approved, caller.user_id)
        if answered is None:
            raise NotFound("No pending guest request from that user")
        name = live.username(conn, target)
        if approved:
            role = "cohost" if answered["request_type"] == "cohost" else "guest"
            live.upsert_participant(conn, caller.session_id, target, role)
            live.set_participant(conn, caller.session_id, target, role=role)
            live_connections.set_role(conn, caller.session_id, target, role)
        return name

    name = db.in_transaction(unit)
    if approved:
        realtime.to_session(caller.session_id, frame("guest_approved", approved_by=caller.username),
                            user_id=target)
        realtime.to_session(caller.session_id, frame("guest_joined", user_id=target,
                                                     username=name))
    else:
        realtime.to_session(caller.session_id, frame("guest_rejected", rejected_by=caller.username),
                            user_id=target)


def do_participant_action(caller: Caller, message: dict) -> None:
    _moderator(caller)
    target, kind = _target(message), message.get("action_type")
    if kind not in PARTICIPANT_ACTIONS:
        raise BadRequest("'action_type' must be one of " + ", ".join(sorted(PARTICIPANT_ACTIONS)))
    _on_stage(caller, target)
    sid = caller.session_id
    if kind in ("mute_audio", "mute_video"):
        audio = False if kind == "mute_audio" else None
        video = False if kind == "mute_video" else None
        rows = db.run(lambda c: live_connections.of_session(c, sid, user_id=target))
        for row in rows:
            db.run(lambda c, cid=row["connection_id"]: live_connections.set_media(c, cid, audio, video))
        realtime.send(rows, frame("force_" + kind, by=caller.username, reason=message.get("reason")))
        realtime.to_session(sid, frame("participant_media_changed", user_id=target,
                                       audio_enabled=False if audio is False else None,
                                       video_enabled=False if video is False else None))
    elif kind == "kick":
        kick(caller, target)
    else:
        promote(caller, target, message.get("new_role") or "guest")


def kick(caller: Caller, target: str) -> None:
    rows = db.in_transaction(lambda c: (
        live.set_participant(c, caller.session_id, target, status="kicked"),
        live_connections.of_session(c, caller.session_id, user_id=target))[1])
    realtime.send(rows, frame("kicked", by=caller.username))
    realtime.forget([r["connection_id"] for r in rows])
    from . import sender

    for r in rows:
        sender.close(r["endpoint"], r["connection_id"])


def promote(caller: Caller, target: str, new_role: str) -> None:
    if new_role not in ROLES_GIVEN:
        raise BadRequest("'new_role' must be one of " + ", ".join(sorted(ROLES_GIVEN)))
    if new_role == "cohost" and caller.role != "host":
        raise Forbidden("Only the host may make a co-host")

    def unit(conn: Any) -> None:
        live.set_participant(conn, caller.session_id, target, role=new_role)
        live_connections.set_role(conn, caller.session_id, target, new_role)

    db.in_transaction(unit)
    realtime.to_session(caller.session_id, frame("promoted", new_role=new_role, by=caller.username),
                        user_id=target)
    realtime.to_session(caller.session_id, frame("participant_role_changed", user_id=target,
                                                 new_role=new_role))


def do_webrtc_signal(caller: Caller, message: dict) -> None:
    """Relay an offer, answer or ICE candidate to one user's sockets (or everyone else's)."""
    kind, data = message.get("signal_type"), message.get("signal_data")
    if kind not in SIGNAL_TYPES:
        raise BadRequest("'signal_type' must be offer, answer or ice_candidate")
    if not isinstance(data, dict) or len(json.dumps(data)) > MAX_SIGNAL_BYTES:
        raise BadRequest(f"'signal_data' must be an object of at most {MAX_SIGNAL_BYTES} bytes")
    db.in_transaction(lambda c: ratelimit.check(c, caller.user_id, "live_signal"))
    to = message.get("to_user_id")
    out = frame("webrtc_signal", signal_type=kind, from_user_id=caller.user_id, signal_data=data)
    if to == "all":
        realtime.to_session(caller.session_id, out, exclude=caller.connection_id)
    else:
        realtime.to_session(caller.session_id, out, user_id=_target(message, "to_user_id"))


def do_update_media_status(caller: Caller, message: dict) -> None:
    audio, video = message.get("audio_enabled"), message.get("video_enabled")
    if not isinstance(audio, bool) and not isinstance(video, bool):
        raise BadRequest("Send 'audio_enabled' or 'video_enabled' as true or false")
    row = db.run(lambda c: live_connections.set_media(
        c, caller.connection_id, audio if isinstance(audio, bool) else None,
        video if isinstance(video, bool) else None))
    realtime.to_session(caller.session_id, frame(
        "participant_media_changed", user_id=caller.user_id, audio_enabled=row["audio_enabled"],
        video_enabled=row["video_enabled"]))


ACTIONS: Dict[str, Callable[[Caller, dict], None]] = {
    "chat": do_chat, "reaction": do_reaction, "request_guest": do_request_guest,
    "respond_guest": do_respond_guest, "participant_action": do_participant_action,
    "webrtc_signal": do_webrtc_signal, "update_media_status": do_update_media_status,
}


def handle(connection_id: str, body: str, status_of: Callable[[DomainError], int]) -> None:
    """One client frame; a refused one answers `error` {detail, status} to its sender only
    (`status_of`: the HTTP status the caller's layer gives a domain error)."""

    caller = None
    try:
        caller = realtime.caller_of(connection_id)
        try:
            message = json.loads(body)
        except ValueError:
            raise BadRequest("Frames must be JSON objects") from None
        if not isinstance(message, dict):
            raise BadRequest("Frames must be JSON objects")
        action = message.get("action")
        if action == "ping":
            realtime.send([{"endpoint": caller.endpoint, "connection_id": connection_id}], frame("pong"))
            return
        handler = ACTIONS.get(action)
        if handler is None:
            raise BadRequest("Unknown action; expected one of " + ", ".join(sorted(ACTIONS)))
        handler(caller, message)
    except DomainError as exc:
        if caller is None:
            return
        extra = {"retry_after": exc.retry_after_s} if hasattr(exc, "retry_after_s") else {}
        realtime.send([{"endpoint": caller.endpoint, "connection_id": connection_id}],
                      frame("error", detail=exc.detail, status=status_of(exc), action=_action(body), **extra))


def _action(body: str) -> Any:
    try:
        message = json.loads(body)
        return message.get("action") if isinstance(message, dict) else None
    except ValueError:
        return None
