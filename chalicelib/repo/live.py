"""SQL of the live session tables: live_sessions, live_session_settings, live_participants,
live_guest_requests (the old backend's tables, shared with it)."""
from __future__ import annotations

from typing import Any, List, Optional

from .. import db
from ..timestamps import NOW_UTC

# The LiveSession shape; access_token is never read back (the old backend's column held a
# media token; the frontend would use it as the socket's token, so the answer sends null).
SESSION_COLUMNS = """
s.id, s.host_id, u.username AS host_username, u.avatar_url AS host_avatar_url,
u.username AS username, s.title, s.description, s.session_type, s.status, s.thumbnail_url,
NULL::text AS access_token, coalesce(s.viewer_count, 0) AS viewer_count,
coalesce(s.peak_viewers, 0) AS peak_viewers, coalesce(s.guest_count, 0) AS guest_count,
s.max_participants, s.started_at, s.ended_at, s.created_at
"""
_FROM = "FROM live_sessions s LEFT JOIN users u ON u.id = s.host_id"


def create_session(conn: Any, host_id: str, title: str, description: Optional[str],
                   session_type: str, max_participants: int) -> str:
    row = conn.execute(
        "INSERT INTO live_sessions (host_id, title, description, session_type, status,"
        " max_participants, started_at, created_at, host_seen_at)"
        f" VALUES (%s, %s, %s, %s, 'active', %s, {NOW_UTC}, {NOW_UTC}, {NOW_UTC}) RETURNING id",
        (host_id, title, description, session_type, max_participants)).fetchone()
    session_id = str(row["id"])
    conn.execute("INSERT INTO live_session_settings (session_id) VALUES (%s)"
                 " ON CONFLICT (session_id) DO NOTHING", (session_id,))
    return session_id


def end_sessions_of_host(conn: Any, host_id: str) -> List[str]:
    """A host restarting (say after a crash) ends their older active sessions."""
    rows = conn.execute(
        f"UPDATE live_sessions SET status = 'ended', ended_at = {NOW_UTC}"
        " WHERE host_id = %s AND status = 'active' RETURNING id", (host_id,)).fetchall()
    return [str(r["id"]) for r in rows]


def session(conn: Any, session_id: str, *, lock: bool = False) -> Optional[dict]:
    sql = f"SELECT {SESSION_COLUMNS} {_FROM} WHERE s.id = %s"
    if lock:
        sql += " FOR UPDATE OF s"
    return conn.execute(sql, (session_id,)).fetchone()


def read_session(session_id: str) -> Optional[dict]:
    return db.fetch_one(f"SELECT {SESSION_COLUMNS} {_FROM} WHERE s.id = %s", (session_id,))


def list_sessions(status: str, limit: int) -> List[dict]:
    order = "s.started_at DESC NULLS LAST" if status == "active" else "s.created_at DESC"
    return db.fetch_all(f"SELECT {SESSION_COLUMNS} {_FROM} WHERE s.status = %s"
                        f" ORDER BY {order}, s.id LIMIT %s", (status, limit))


def end_session(conn: Any, session_id: str) -> bool:
    return conn.execute(
        f"UPDATE live_sessions SET status = 'ended', ended_at = {NOW_UTC}, viewer_count = 0"
        " WHERE id = %s AND status <> 'ended'", (session_id,)).rowcount == 1


def settings(conn: Any, session_id: str) -> dict:
    row = conn.execute(
        "SELECT allow_guests, require_approval, max_guests, enable_chat, enable_gifts,"
        " chat_slow_mode FROM live_session_settings WHERE session_id = %s", (session_id,)).fetchone()
    return row or {"allow_guests": True, "require_approval": True, "max_guests": 8,
                   "enable_chat": True, "enable_gifts": True, "chat_slow_mode": 0}


# ---- participants ------------------------------------------------------------------------

def participant(conn: Any, session_id: str, user_id: str) -> Optional[dict]:
    return conn.execute("SELECT role, status FROM live_participants WHERE session_id = %s"
                        " AND user_id = %s", (session_id, user_id)).fetchone()


def upsert_participant(conn: Any, session_id: str, user_id: str, role: str) -> dict:
    """Join (or re-join) a session; a kicked participant stays kicked, a role is kept."""
    return conn.execute(
        "INSERT INTO live_participants (session_id, user_id, role, status, joined_at)"
        f" VALUES (%s, %s, %s, 'active', {NOW_UTC})"
        " ON CONFLICT (session_id, user_id) DO UPDATE SET"
        "  status = CASE WHEN live_participants.status = 'kicked' THEN 'kicked' ELSE 'active' END,"
        "  left_at = CASE WHEN live_participants.status = 'kicked' THEN live_participants.left_at END"
        " RETURNING role, status", (session_id, user_id, role)).fetchone()


def set_participant(conn: Any, session_id: str, user_id: str, *, role: Optional[str] = None,
                    status: Optional[str] = None) -> bool:
    return conn.execute(
        "UPDATE live_participants SET role = coalesce(%s, role), status = coalesce(%s, status),"
        f" left_at = CASE WHEN %s IN ('left', 'kicked') THEN {NOW_UTC} ELSE left_at END"
        " WHERE session_id = %s AND user_id = %s",
        (role, status, status, session_id, user_id)).rowcount == 1


def participants(session_id: str, limit: int) -> List[dict]:
    return db.fetch_all(
        "SELECT p.user_id, u.username, u.avatar_url, p.role, p.status, p.audio_enabled,"
        " p.video_enabled, p.joined_at FROM live_participants p JOIN users u ON u.id = p.user_id"
        " WHERE p.session_id = %s AND p.status IN ('active', 'muted')"
        " ORDER BY CASE p.role WHEN 'host' THEN 0 WHEN 'cohost' THEN 1 WHEN 'guest' THEN 2 ELSE 3 END,"
        " p.joined_at, p.user_id LIMIT %s", (session_id, limit))


# ---- guest requests ----------------------------------------------------------------------

def request_guest(conn: Any, session_id: str, user_id: str, request_type: str,
                  message: Optional[str]) -> dict:
    """Pending again after an earlier answer: asking twice is one request."""
    return conn.execute(
        "INSERT INTO live_guest_requests (session_id, user_id, request_type, status, message, created_at)"
        f" VALUES (%s, %s, %s, 'pending', %s, {NOW_UTC})"
        " ON CONFLICT (session_id, user_id, request_type) DO UPDATE SET status = 'pending',"
        "  message = EXCLUDED.message, created_at = EXCLUDED.created_at, responded_at = NULL,"
        "  responded_by = NULL RETURNING id, session_id, user_id, request_type, status, message, created_at",
        (session_id, user_id, request_type, message)).fetchone()


def answer_guest(conn: Any, session_id: str, user_id: str, approved: bool, by: str) -> Optional[dict]:
    return conn.execute(
        "UPDATE live_guest_requests SET status = %s, responded_by = %s,"
        f" responded_at = {NOW_UTC} WHERE session_id = %s AND user_id = %s AND status = 'pending'"
        " RETURNING request_type",
        ("approved" if approved else "rejected", by, session_id, user_id)).fetchone()


def guest_requests(session_id: str, status: str, limit: int) -> List[dict]:
    return db.fetch_all(
        "SELECT r.id, r.session_id, r.user_id, u.username, u.avatar_url, r.request_type, r.status,"
        " r.message, r.created_at, r.responded_at FROM live_guest_requests r"
        " JOIN users u ON u.id = r.user_id WHERE r.session_id = %s AND r.status = %s"
        " ORDER BY r.created_at, r.id LIMIT %s", (session_id, status, limit))


def hosts_without_connection(conn: Any, grace_s: int, limit: int) -> List[str]:
    """Active sessions whose host has had no open socket for `grace_s` (the sweep)."""
    rows = conn.execute(
        "SELECT s.id FROM live_sessions s WHERE s.status = 'active'"
        f" AND coalesce(s.host_seen_at, s.started_at, s.created_at) < {NOW_UTC} - make_interval(secs => %s)"
        " AND NOT EXISTS (SELECT 1 FROM live_connections c WHERE c.session_id = s.id"
        "                 AND c.user_id = s.host_id)"
        " ORDER BY s.id LIMIT %s FOR UPDATE OF s SKIP LOCKED", (grace_s, limit)).fetchall()
    return [str(r["id"]) for r in rows]


def username(conn: Any, user_id: str) -> Optional[str]:
    row = conn.execute("SELECT username FROM users WHERE id = %s", (user_id,)).fetchone()
    return row["username"] if row else None
