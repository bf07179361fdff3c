"""SQL for the notifications a user reads: the list, the unread count, read / read-all,
retention. Unread means `is_read IS NOT TRUE`. The unread count is one row per user
(`notification_unread_counts`), kept by the table's statement triggers (migration 0020)."""
from __future__ import annotations

import datetime as dt
from typing import Any, List, Optional

from .. import db
from ..cursors import Position
from ..timestamps import NOW_UTC

_COLUMNS = "id, user_id, type, title, message, data, is_read, created_at"
# Notifications whose (latest) actor is blocked either way stay out of the list (issue 16).
_NOT_FROM_BLOCKED = (
    "NOT EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = notifications.user_id"
    " AND b.blocked_id::text = notifications.data->>'actor_id') OR (b.blocked_id ="
    " notifications.user_id AND b.blocker_id::text = notifications.data->>'actor_id'))"
)


def recent(user_id: str, limit: int, unread_only: bool, after: Optional[Position] = None) -> List[dict]:
    """Newest first; one range scan of notifications_user_recent (or _unread)."""
    where = ["user_id = %(user)s", "created_at IS NOT NULL", _NOT_FROM_BLOCKED]
    if unread_only:
        where.append("is_read IS NOT TRUE")
    if after is not None:
        where.append("(created_at, id) < (%(at)s, %(id)s)")
    return db.fetch_all(
        f"SELECT {_COLUMNS} FROM notifications WHERE {' AND '.join(where)}"
        " ORDER BY created_at DESC, id DESC LIMIT %(n)s",
        {"user": user_id, "n": limit,
         "at": after.created_at if after else None, "id": after.id if after else None},
    )


def unread_count(user_id: str) -> int:
    row = db.fetch_one(
        "SELECT greatest(unread, 0) AS n FROM notification_unread_counts WHERE user_id = %s",
        (user_id,))
    return 0 if row is None else row["n"]


_MARK_READ = """
WITH target AS (SELECT id FROM notifications WHERE id = %(id)s AND user_id = %(user)s),
changed AS (
    UPDATE notifications n SET is_read = true FROM target
    WHERE n.id = target.id AND n.is_read IS NOT TRUE
    RETURNING n.id
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM changed) AS changed
"""


def mark_read(user_id: str, notification_id: str) -> dict:
    """{found, changed}: found is False for an unknown id or another user's notification."""
    return db.fetch_one(_MARK_READ, {"id": notification_id, "user": user_id})


def read_batch(conn: Any, user_id: str, up_to: dt.datetime, batch: int) -> int:
    """Mark up to `batch` of the user's unread notifications created up to `up_to` as read;
    answers how many. Its own short transaction: locks only these rows."""
    return conn.execute(
        """
        UPDATE notifications SET is_read = true
        WHERE id IN (SELECT id FROM notifications
                     WHERE user_id = %(user)s AND is_read IS NOT TRUE
                       AND coalesce(created_at, '-infinity') <= %(up_to)s
                     LIMIT %(n)s FOR UPDATE)
          AND is_read IS NOT TRUE
        """,
        {"user": user_id, "up_to": up_to, "n": batch},
    ).rowcount


def now_utc(conn: Any) -> dt.datetime:
    return conn.execute(f"SELECT {NOW_UTC} AS now").fetchone()["now"]


# ---- read-all that outlasted its request --------------------------------------------------


def request_read_all(conn: Any, user_id: str, up_to: dt.datetime) -> None:
    conn.execute(
        """
        INSERT INTO notification_read_all_requests AS r (user_id, up_to) VALUES (%s, %s)
        ON CONFLICT (user_id) DO UPDATE SET up_to = greatest(r.up_to, excluded.up_to),
                                            requested_at = now()
        """,
        (user_id, up_to),
    )


def pending_read_alls(conn: Any, limit: int) -> List[dict]:
    return conn.execute(
        "SELECT user_id, up_to FROM notification_read_all_requests ORDER BY requested_at LIMIT %s",
        (limit,)).fetchall()


def finish_read_all(conn: Any, user_id: str, up_to: dt.datetime) -> None:
    """Drop the request unless a later read-all moved its `up_to` meanwhile."""
    conn.execute("DELETE FROM notification_read_all_requests WHERE user_id = %s AND up_to <= %s",
                 (user_id, up_to))


# ---- retention -----------------------------------------------------------------------------


def prune_read_batch(conn: Any, older_than_days: int, batch: int) -> int:
    """Delete up to `batch` read notifications older than the age, oldest first."""
    return conn.execute(
        f"""
        DELETE FROM notifications WHERE id IN (
            SELECT id FROM notifications
            WHERE is_read IS TRUE AND created_at < {NOW_UTC} - make_interval(days => %(days)s)
            ORDER BY created_at LIMIT %(n)s FOR UPDATE SKIP LOCKED)
        """,
        {"days": older_than_days, "n": batch},
    ).rowcount
