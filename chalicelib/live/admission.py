"""Who may take a seat in a live session: the one rule the HTTP join, guest requests and the
socket's $connect share. The session must exist and be active; a user the host removed, or
one who and the host have blocked each other (either way), is refused."""
from __future__ import annotations

from typing import Any

from ..errors import Forbidden, Gone, NotFound
from ..moderation.blocks import refuse_if_blocked
from ..repo import live


def admit(conn: Any, session_id: str, user_id: str, *, lock: bool = False) -> dict:
    """The session row for a user who may sit in it; 404, 410 or 403 otherwise."""
    session = live.session(conn, session_id, lock=lock)
    if session is None:
        raise NotFound("Live session not found")
    if session["status"] != "active":
        raise Gone("Live session has ended")
    seat = live.participant(conn, session_id, user_id)
    if seat is not None and seat["status"] == "kicked":
        raise Forbidden("You were removed from this live session")
    host_id = str(session["host_id"])
    if host_id != user_id:
        refuse_if_blocked(conn, user_id, host_id, "join the live sessions of")
    return session
