"""Live sessions over HTTP (FRONTEND.md section 6): start, list, join, end, read, the
participants and the guest requests. Roles come from the session row: its host_id is the
host; co-hosts are participants the host promoted."""
from __future__ import annotations

from typing import Any, List, Optional

from .. import db, ratelimit
from ..errors import BadRequest, Forbidden, NotFound
from ..repo import live
from . import admission
from ..timestamps import iso

STATUSES = ("active", "ended", "scheduled")
MAX_TITLE = 255  # a guest request's message (the socket's request_guest too)
# The frontend's RTCPeerConnection uses these anyway (no TURN): sent so a client could.
ICE_SERVERS = [{"urls": ["stun:stun.l.google.com:19302", "stun:stun1.l.google.com:19302"]}]


def shape(row: dict) -> dict:
    out = {k: (str(v) if k in ("id", "host_id") and v is not None else v) for k, v in row.items()}
    for key in ("started_at", "ended_at", "created_at"):
        out[key] = iso(row.get(key))
    return out


def _text(body: dict, key: str, limit: int, default: Optional[str]) -> Optional[str]:
    value = body.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{key}' must be text")
    value = value.strip()
    if len(value) > limit:
        raise BadRequest(f"'{key}' may be at most {limit} characters")
    return value


def start(host_id: str, fields: dict) -> dict:
    """A new active session; the host's older active sessions end (one live at a time).
    `fields`: title, description, session_type, max_participants (schema.live.LiveStart)."""
    def unit(conn: Any) -> tuple:
        ratelimit.check(conn, host_id, "live_start")
        ended = live.end_sessions_of_host(conn, host_id)
        session_id = live.create_session(conn, host_id, fields["title"], fields["description"],
                                         fields["session_type"], fields["max_participants"])
        live.upsert_participant(conn, session_id, host_id, "host")
        return live.session(conn, session_id), ended

    row, ended = db.in_transaction(unit)
    if ended:
        from . import realtime

        for session_id in ended:
            realtime.end_session(session_id)
    return shape(row)


def read(session_id: str) -> dict:
    row = live.read_session(session_id)
    if row is None:
        raise NotFound("Live session not found")
    return shape(row)


def listing(status: str, limit: int) -> List[dict]:
    if status not in STATUSES:
        raise BadRequest("'status' must be one of " + ", ".join(STATUSES))
    return [shape(r) for r in live.list_sessions(status, limit)]


def _open_seat(conn: Any, session_id: str, user_id: str) -> dict:
    return admission.admit(conn, session_id, user_id)


def join(user_id: str, session_id: str) -> dict:
    """Take a seat (idempotent). viewer_count counts open sockets, so it moves on the
    WebSocket's connect, not here: a page reload never counts twice."""
    def unit(conn: Any) -> dict:
        session = _open_seat(conn, session_id, user_id)
        role = "host" if str(session["host_id"]) == user_id else "viewer"
        live.upsert_participant(conn, session_id, user_id, role)
        return session

    session = shape(db.in_transaction(unit))
    return {"session": session, "access_token": None, "role": None,
            "webrtc_config": {"server_url": None, "room_name": f"live_{session_id}",
                              "participant_token": None, "ice_servers": ICE_SERVERS}}


def end(user_id: str, session_id: str) -> dict:
    def unit(conn: Any) -> bool:
        session = live.session(conn, session_id, lock=True)
        if session is None:
            raise NotFound("Live session not found")
        if str(session["host_id"]) != user_id:
            raise Forbidden("Only the host can end this live session")
        return live.end_session(conn, session_id)

    if db.in_transaction(unit):
        from . import realtime

        realtime.end_session(session_id)
    return {"message": "Live session ended"}


def participants(session_id: str, limit: int) -> List[dict]:
    read(session_id)
    rows = live.participants(session_id, limit)
    return [{**r, "user_id": str(r["user_id"]), "joined_at": iso(r["joined_at"])} for r in rows]


def guest_requests(user_id: str, session_id: str, status: str, limit: int) -> List[dict]:
    """Pending (or answered) requests: for the host and co-hosts only."""
    if status not in ("pending", "approved", "rejected", "cancelled"):
        raise BadRequest("'status' must be pending, approved, rejected or cancelled")

    def check(conn: Any) -> None:
        session = live.session(conn, session_id)
        if session is None:
            raise NotFound("Live session not found")
        seat = live.participant(conn, session_id, user_id)
        if str(session["host_id"]) != user_id and not (seat and seat["role"] == "cohost"
                                                       and seat["status"] != "kicked"):
            raise Forbidden("Only the host or a co-host may see guest requests")

    db.run(check)
    return [{**r, "id": str(r["id"]), "session_id": str(r["session_id"]), "user_id": str(r["user_id"]),
             "created_at": iso(r["created_at"]), "responded_at": iso(r["responded_at"])}
            for r in live.guest_requests(session_id, status, limit)]


def request_guest(user_id: str, session_id: str, message: Any, request_type: str = "guest") -> dict:
    if request_type not in ("guest", "cohost"):
        raise BadRequest("'request_type' must be guest or cohost")
    note = _text({"message": message}, "message", MAX_TITLE, None) if message is not None else None

    def unit(conn: Any) -> dict:
        session = _open_seat(conn, session_id, user_id)
        if str(session["host_id"]) == user_id:
            raise BadRequest("The host is already on stage")
        if live.settings(conn, session_id)["allow_guests"] is False:
            raise Forbidden("This live session does not take guests")
        ratelimit.check(conn, user_id, "live_guest_request")
        return {**live.request_guest(conn, session_id, user_id, request_type, note),
                "username": live.username(conn, user_id)}

    row = db.in_transaction(unit)
    return {**row, "id": str(row["id"]), "session_id": str(row["session_id"]),
            "user_id": str(row["user_id"]), "created_at": iso(row["created_at"])}
