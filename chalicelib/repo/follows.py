"""SQL for follows: who follows whom (reads, newest follow first) and follow writes. The
table's trigger (migration 0008) appends the two users' counter deltas for each row that
really changed, whichever backend wrote it."""
from __future__ import annotations

from typing import Any, Optional

from .. import db
from .users import USER_COLUMNS

# ---- reads ---------------------------------------------------------------------------------

# (column matching the user asked about, column naming the users listed)
_FOLLOWERS = ("following_id", "follower_id")
_FOLLOWING = ("follower_id", "following_id")


def _people(side: tuple, user_id: str, limit: int, offset: int) -> Optional[list]:
    """One statement; None when `user_id` does not exist."""
    match, listed = side
    rows = db.fetch_all(
        f"""
        SELECT {USER_COLUMNS}, f.followed_at
        FROM users target
        LEFT JOIN LATERAL (
            SELECT f.{listed} AS person_id, f.created_at AS followed_at, f.id AS follow_id
            FROM follows f WHERE f.{match} = target.id
            ORDER BY f.created_at DESC, f.id DESC LIMIT %(n)s OFFSET %(k)s
        ) f ON true
        LEFT JOIN users u ON u.id = f.person_id
        WHERE target.id = %(user_id)s
        ORDER BY f.followed_at DESC, f.follow_id DESC
        """,
        {"n": limit, "k": offset, "user_id": user_id},
    )
    if not rows:
        return None
    return [r for r in rows if r["id"] is not None]


def followers(user_id: str, limit: int, offset: int) -> Optional[list]:
    return _people(_FOLLOWERS, user_id, limit, offset)


def following(user_id: str, limit: int, offset: int) -> Optional[list]:
    return _people(_FOLLOWING, user_id, limit, offset)


def is_following(follower_id: str, user_id: str) -> Optional[bool]:
    """Whether follower_id follows user_id; None when user_id does not exist."""
    row = db.fetch_one(
        """
        SELECT EXISTS (SELECT 1 FROM follows
                       WHERE follower_id = %(me)s AND following_id = u.id) AS following
        FROM users u WHERE u.id = %(user_id)s
        """,
        {"me": follower_id, "user_id": user_id},
    )
    return None if row is None else row["following"]


# ---- writes --------------------------------------------------------------------------------

_FOLLOW = """
WITH target AS (SELECT id FROM users WHERE id = %(followed)s),
added AS (
    INSERT INTO follows (follower_id, following_id) SELECT %(follower)s, id FROM target
    ON CONFLICT (follower_id, following_id) DO NOTHING
    RETURNING follower_id, following_id
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM added) AS changed
"""

_UNFOLLOW = """
WITH target AS (SELECT id FROM users WHERE id = %(followed)s),
removed AS (
    DELETE FROM follows f USING target
    WHERE f.follower_id = %(follower)s AND f.following_id = target.id
    RETURNING f.follower_id, f.following_id
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM removed) AS changed
"""


def follow(conn: Any, follower_id: str, followed_id: str) -> dict:
    return conn.execute(_FOLLOW, {"follower": follower_id, "followed": followed_id}).fetchone()


def unfollow(conn: Any, follower_id: str, followed_id: str) -> dict:
    return conn.execute(_UNFOLLOW, {"follower": follower_id, "followed": followed_id}).fetchone()
