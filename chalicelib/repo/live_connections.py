"""SQL of the live sockets (live_connections, 0050) and what is said over them
(live_chat_messages, live_reactions)."""
from __future__ import annotations

from typing import Any, Iterable, List, Optional

from ..timestamps import NOW_UTC

_CONNECTION = ("connection_id, session_id, user_id, username, role, audio_enabled, video_enabled,"
               " endpoint, connected_at")

# viewer_count is recounted from the sockets, not incremented: the caller holds the session
# row's lock (live.session(lock=True)), so this statement's snapshot, taken after the lock,
# sees every other join and drop committed; the host is not a viewer.
_RECOUNT = """
WITH n AS (
  SELECT count(DISTINCT c.user_id) AS n FROM live_connections c
  JOIN live_sessions h ON h.id = c.session_id
  WHERE c.session_id = %(s)s AND c.user_id IS DISTINCT FROM h.host_id)
UPDATE live_sessions SET viewer_count = n.n, peak_viewers = GREATEST(coalesce(peak_viewers, 0), n.n)
FROM n WHERE id = %(s)s RETURNING viewer_count, peak_viewers
"""


def add(conn: Any, connection_id: str, session_id: str, user_id: str, username: str,
        role: str, endpoint: str) -> None:
    conn.execute(
        f"INSERT INTO live_connections ({_CONNECTION})"
        f" VALUES (%s, %s, %s, %s, %s, true, true, %s, {NOW_UTC})"
        " ON CONFLICT (connection_id) DO NOTHING",
        (connection_id, session_id, user_id, username, role, endpoint))


def remove(conn: Any, connection_id: str) -> Optional[dict]:
    return conn.execute(f"DELETE FROM live_connections WHERE connection_id = %s RETURNING {_CONNECTION}",
                        (connection_id,)).fetchone()


def remove_many(conn: Any, connection_ids: Iterable[str], older_than_s: float = 0) -> List[dict]:
    """Delete sockets; with `older_than_s`, only those connected at least that long ago."""
    return conn.execute(
        "DELETE FROM live_connections WHERE connection_id = ANY(%s)"
        f" AND connected_at <= {NOW_UTC} - make_interval(secs => %s) RETURNING {_CONNECTION}",
        (list(connection_ids), older_than_s)).fetchall()


def recount(conn: Any, session_id: str) -> int:
    row = conn.execute(_RECOUNT, {"s": session_id}).fetchone()
    return int(row["viewer_count"]) if row else 0


def host_seen(conn: Any, session_id: str) -> None:
    conn.execute(f"UPDATE live_sessions SET host_seen_at = {NOW_UTC} WHERE id = %s", (session_id,))


def connection(conn: Any, connection_id: str) -> Optional[dict]:
    return conn.execute(f"SELECT {_CONNECTION} FROM live_connections WHERE connection_id = %s",
                        (connection_id,)).fetchone()


def of_session(conn: Any, session_id: str, *, roles: Optional[List[str]] = None,
               user_id: Optional[str] = None, exclude: Optional[str] = None) -> List[dict]:
    """A session's sockets, optionally only some roles, one user's, or all but one socket."""
    return conn.execute(
        f"SELECT {_CONNECTION} FROM live_connections WHERE session_id = %s"
        " AND (%s::text[] IS NULL OR role = ANY(%s::text[]))"
        " AND (%s::uuid IS NULL OR user_id = %s::uuid)"
        " AND (%s::text IS NULL OR connection_id <> %s)"
        " ORDER BY connected_at, connection_id",
        (session_id, roles, roles, user_id, user_id, exclude, exclude)).fetchall()


def set_role(conn: Any, session_id: str, user_id: str, role: str) -> int:
    return conn.execute("UPDATE live_connections SET role = %s WHERE session_id = %s AND user_id = %s",
                        (role, session_id, user_id)).rowcount


def set_media(conn: Any, connection_id: str, audio: Optional[bool], video: Optional[bool]) -> Optional[dict]:
    return conn.execute(
        "UPDATE live_connections SET audio_enabled = coalesce(%s, audio_enabled),"
        " video_enabled = coalesce(%s, video_enabled) WHERE connection_id = %s"
        " RETURNING user_id, audio_enabled, video_enabled", (audio, video, connection_id)).fetchone()


def drop_session(conn: Any, session_id: str) -> List[dict]:
    return conn.execute(f"DELETE FROM live_connections WHERE session_id = %s RETURNING {_CONNECTION}",
                        (session_id,)).fetchall()


# ---- chat and reactions -------------------------------------------------------------------

def seconds_since_last_message(conn: Any, session_id: str, user_id: str) -> Optional[float]:
    row = conn.execute(
        f"SELECT extract(epoch FROM {NOW_UTC} - max(created_at)) AS s FROM live_chat_messages"
        " WHERE session_id = %s AND user_id = %s AND message_type = 'text'",
        (session_id, user_id)).fetchone()
    return None if row is None or row["s"] is None else float(row["s"])


def add_message(conn: Any, session_id: str, user_id: str, message: str, message_type: str = "text",
                metadata: Optional[str] = None) -> dict:
    return conn.execute(
        "INSERT INTO live_chat_messages (session_id, user_id, message, message_type, metadata, created_at)"
        f" VALUES (%s, %s, %s, %s, %s::jsonb, {NOW_UTC}) RETURNING id, created_at",
        (session_id, user_id, message, message_type, metadata)).fetchone()


def add_reaction(conn: Any, session_id: str, user_id: str, reaction: str) -> None:
    conn.execute("INSERT INTO live_reactions (session_id, user_id, reaction_type, created_at)"
                 f" VALUES (%s, %s, %s, {NOW_UTC})", (session_id, user_id, reaction))
