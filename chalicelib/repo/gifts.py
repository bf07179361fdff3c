"""SQL of the gift tables: gift_types and gift_transactions (history, leaderboard input)."""
from __future__ import annotations

from typing import Any, List, Optional

from .. import db
from ..timestamps import NOW_UTC

GIFT_COLUMNS = """
g.id, g.sender_id, g.recipient_id, g.gift_type_id, g.video_id, g.live_session_id,
g.coin_amount, g.quantity, g.creator_earnings, g.platform_fee, g.created_at,
t.name AS gift_name, t.emoji AS gift_emoji, t.coin_cost,
s.username AS sender_username, r.username AS recipient_username
"""
_JOINS = """
LEFT JOIN gift_types t ON t.id = g.gift_type_id
LEFT JOIN users s ON s.id = g.sender_id
LEFT JOIN users r ON r.id = g.recipient_id
"""


def gift_types() -> List[dict]:
    return db.fetch_all("SELECT id, name, emoji, coin_cost, animation_url FROM gift_types"
                        " ORDER BY coin_cost, name")


def gift_type(conn: Any, gift_type_id: str) -> Optional[dict]:
    return conn.execute("SELECT id, name, emoji, coin_cost FROM gift_types WHERE id = %s",
                        (gift_type_id,)).fetchone()


def user_exists(conn: Any, user_id: str) -> bool:
    return conn.execute("SELECT 1 AS found FROM users WHERE id = %s", (user_id,)).fetchone() is not None


def video_owner(conn: Any, video_id: str) -> Optional[dict]:
    return conn.execute("SELECT user_id FROM videos WHERE id = %s AND deleted_at IS NULL",
                        (video_id,)).fetchone()


def live_session_host(conn: Any, session_id: str) -> Optional[dict]:
    return conn.execute("SELECT host_id AS user_id FROM live_sessions WHERE id = %s",
                        (session_id,)).fetchone()


def insert_gift(conn: Any, row: dict) -> dict:
    return conn.execute(
        "INSERT INTO gift_transactions (id, sender_id, recipient_id, gift_type_id, video_id,"
        " live_session_id, coin_amount, quantity, creator_earnings, platform_fee, created_at)"
        " VALUES (%(id)s, %(sender_id)s, %(recipient_id)s, %(gift_type_id)s, %(video_id)s,"
        f" %(live_session_id)s, %(coin_amount)s, %(quantity)s, %(creator)s, %(platform)s, {NOW_UTC})"
        " RETURNING created_at", row).fetchone()


def gift_by_id(conn: Any, gift_id: str) -> Optional[dict]:
    return conn.execute(f"SELECT {GIFT_COLUMNS} FROM gift_transactions g {_JOINS} WHERE g.id = %s",
                        (gift_id,)).fetchone()


_HISTORY = f"""
SELECT {GIFT_COLUMNS} FROM (
    (SELECT * FROM gift_transactions WHERE sender_id = %(u)s {{after}}
     ORDER BY created_at DESC, id DESC LIMIT %(n)s)
    UNION ALL
    (SELECT * FROM gift_transactions WHERE recipient_id = %(u)s
       AND sender_id IS DISTINCT FROM %(u)s {{after}}
     ORDER BY created_at DESC, id DESC LIMIT %(n)s)
) g {_JOINS}
ORDER BY g.created_at DESC, g.id DESC LIMIT %(n)s
"""
_AFTER = "AND (created_at, id) < (%(at)s, %(id)s::uuid)"


def history(user_id: str, limit: int, after: Optional[tuple] = None) -> List[dict]:
    """Gifts the user sent or received, newest first: two index range scans merged."""
    params = {"u": user_id, "n": limit}
    if after is not None:
        params.update(at=after[0], id=after[1])
    sql = _HISTORY.replace("{after}", _AFTER if after is not None else "")
    return db.fetch_all(sql, params)


_TOP_RECIPIENTS = """
SELECT g.recipient_id AS user_id, u.username, u.full_name, u.avatar_url,
       sum(g.coin_amount)::bigint AS total_coins, count(*)::bigint AS gift_count
FROM gift_transactions g JOIN users u ON u.id = g.recipient_id
WHERE (%(since)s::timestamp IS NULL OR g.created_at >= %(since)s::timestamp)
GROUP BY g.recipient_id, u.username, u.full_name, u.avatar_url
ORDER BY total_coins DESC, gift_count DESC, g.recipient_id
LIMIT %(n)s
"""


def top_recipients(conn: Any, since_naive_utc: Any, limit: int) -> List[dict]:
    """The leaderboard job's aggregate (never run by a read)."""
    return conn.execute(_TOP_RECIPIENTS, {"since": since_naive_utc, "n": limit}).fetchall()
