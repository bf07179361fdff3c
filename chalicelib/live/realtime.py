"""The live socket's lifecycle (issue 17): connect, the welcome, disconnect, broadcasts and
the cleanup of gone sockets. Sockets live in Postgres (live_connections), so any Lambda may
handle any frame; nothing is kept in memory between events.

API Gateway cannot post to a socket during its own $connect, so the newcomer's
`current_participants` goes out from `welcome`, run after $connect returns (an asynchronous
Lambda invocation when LIVE_WELCOME_FUNCTION is set, else a background thread: welcome_call.py).
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Iterable, List, Optional

from .. import db
from ..errors import BadRequest, Unauthorized
from ..repo import live, live_connections
from ..timestamps import UTC, iso
from . import admission, sender

WELCOME_TRIES = 25
WELCOME_PAUSE_S = 0.08
# A socket whose $connect is still running, or just returned, is "gone" to post_to_connection
# for a moment; a broadcast's GoneException forgets only sockets older than this (a socket
# that never opens is forgotten by its welcome).
YOUNG_S = 10.0
# Presence is O(n^2) frames: every viewer's arrival told to every socket. Above this many
# viewers a viewer's arrival or departure goes to the stage only (host, co-hosts, guests);
# the others see the count in the next presence frame they get.
PRESENCE_ALL_MAX = int(os.environ.get("LIVE_PRESENCE_ALL_MAX", "200"))
STAGE = ["host", "cohost", "guest"]


def presence_roles(role: str, viewers: int) -> Optional[List[str]]:
    return None if role != "viewer" or viewers <= PRESENCE_ALL_MAX else STAGE


@dataclass(frozen=True)
class Caller:
    """The socket a frame came from, as its row says (role from the session, not the client)."""

    connection_id: str
    session_id: str
    user_id: str
    username: str
    role: str
    endpoint: str

    @property
    def moderator(self) -> bool:
        return self.role in ("host", "cohost")


def frame(kind: str, **fields: Any) -> bytes:
    return json.dumps({"type": kind, **fields}, default=str, separators=(",", ":")).encode()


def send(rows: Iterable[dict], data: bytes) -> None:
    """`data` to each socket row; the gone ones are forgotten (and their users announced)."""
    gone = sender.post_many([(r["endpoint"], r["connection_id"]) for r in rows], data)
    if gone:
        forget(gone, older_than_s=YOUNG_S)


def to_session(session_id: str, data: bytes, *, exclude: Optional[str] = None,
               roles: Optional[List[str]] = None, user_id: Optional[str] = None) -> None:
    rows = db.run(lambda c: live_connections.of_session(c, session_id, roles=roles, user_id=user_id,
                                                        exclude=exclude))
    send(rows, data)


# ---- connect / disconnect -----------------------------------------------------------------

def connect(connection_id: str, session_id: str, user_id: str, endpoint: str) -> Caller:
    """Admit a verified user's socket to an active session; 404/410/403 otherwise."""
    def unit(conn: Any) -> tuple:
        session = admission.admit(conn, session_id, user_id, lock=True)
        seat = live.participant(conn, session_id, user_id)
        is_host = str(session["host_id"]) == user_id
        role = "host" if is_host else (seat["role"] if seat and seat["role"] in ("cohost", "guest") else "viewer")
        name = live.username(conn, user_id)
        if name is None:
            raise Unauthorized("User not found")
        live_connections.add(conn, connection_id, session_id, user_id, name, role, endpoint)
        live.upsert_participant(conn, session_id, user_id, role)
        if is_host:
            live_connections.host_seen(conn, session_id)
        return Caller(connection_id, session_id, user_id, name, role, endpoint), \
            live_connections.recount(conn, session_id)

    caller, viewers = db.in_transaction(unit)
    to_session(session_id, frame("user_joined", user_id=caller.user_id, username=caller.username,
                                 role=caller.role, viewer_count=viewers), exclude=connection_id,
               roles=presence_roles(caller.role, viewers))
    return caller


def welcome(connection_id: str) -> bool:
    """`current_participants` to a new socket, retried while API Gateway still calls it gone
    (the handshake completes only after $connect has answered)."""
    try:
        row = db.run(lambda c: live_connections.connection(c, connection_id))
        if row is None:
            return False
        session_id = str(row["session_id"])
        rows = db.run(lambda c: live_connections.of_session(c, session_id))
        session = live.read_session(session_id)
        data = frame("current_participants", participants=participants_of(rows),
                     viewer_count=(session or {}).get("viewer_count", 0))
        for _ in range(WELCOME_TRIES):
            if sender.post(row["endpoint"], connection_id, data):
                return True
            time.sleep(WELCOME_PAUSE_S)
        forget([connection_id])
        return False
    finally:
        if threading.current_thread().name == "ws-welcome":
            db.close()


def participants_of(rows: Iterable[dict]) -> List[dict]:
    """One entry per user (their first socket), as the frontend's current_participants reads."""
    seen, out = set(), []
    for r in rows:
        uid = str(r["user_id"])
        if uid not in seen:
            seen.add(uid)
            out.append({"user_id": uid, "username": r["username"], "role": r["role"],
                        "audio_enabled": r["audio_enabled"], "video_enabled": r["video_enabled"]})
    return out


def disconnect(connection_id: str) -> None:
    forget([connection_id])


def forget(connection_ids: List[str], *, announce: bool = True, older_than_s: float = 0) -> None:
    """Drop sockets (closed, gone or kicked); a user whose last socket it was has left."""
    def unit(conn: Any) -> list:
        left = []
        for row in live_connections.remove_many(conn, connection_ids, older_than_s):
            session_id, user_id = str(row["session_id"]), str(row["user_id"])
            session = live.session(conn, session_id, lock=True)
            if live_connections.of_session(conn, session_id, user_id=user_id):
                continue  # another tab of the same user is still in the room
            seat = live.participant(conn, session_id, user_id)
            if seat is not None and seat["status"] != "kicked":
                live.set_participant(conn, session_id, user_id, status="left")
            if session is not None and str(session["host_id"]) == user_id:
                live_connections.host_seen(conn, session_id)
            left.append((session_id, user_id, row["username"], row["role"],
                         live_connections.recount(conn, session_id)))
        return left

    for session_id, user_id, username, role, viewers in db.in_transaction(unit):
        if announce:
            roles = presence_roles(role, viewers)
            rows = db.run(lambda c: live_connections.of_session(c, session_id, roles=roles))
            gone = sender.post_many([(r["endpoint"], r["connection_id"]) for r in rows],
                                    frame("user_left", user_id=user_id, username=username,
                                          viewer_count=viewers))
            if gone:  # one level: no cascade of announcements
                forget(gone, announce=False, older_than_s=YOUNG_S)


def caller_of(connection_id: str) -> Caller:
    row = db.run(lambda c: live_connections.connection(c, connection_id))
    if row is None:
        raise BadRequest("This connection is not in a live session")
    return Caller(connection_id, str(row["session_id"]), str(row["user_id"]), row["username"],
                  row["role"], row["endpoint"])


def end_session(session_id: str) -> None:
    """The session is over: tell every socket, then close them all."""
    rows = db.in_transaction(lambda c: live_connections.drop_session(c, session_id))
    sender.post_many([(r["endpoint"], r["connection_id"]) for r in rows],
                     frame("session_ended", session_id=session_id, ended_at=iso(_dt.datetime.now(UTC))))
    for r in rows:
        try:
            sender.close(r["endpoint"], r["connection_id"])
        except Exception:  # the socket may already be closing; the row is gone either way
            pass
