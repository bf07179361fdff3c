"""SQL for follows: who follows whom (reads, newest follow first) and follow writes. The
table's trigger (migration 0008) appends the two users' counter deltas for each row that
really changed, whichever backend wrote it."""
from __future__ import annotations

from typing import Any, Optional

from .. import db
from ..positions import Position
from . import blocks
from .users import USER_COLUMNS

# ---- reads ---------------------------------------------------------------------------------

# (column matching the user asked about, column naming the users listed)
_FOLLOWERS = ("following_id", "follower_id")
_FOLLOWING = ("follower_id", "following_id")


def _people(side: tuple, user_id: str, limit: int, offset: int = 0,
            after: Optional[Position] = None, keyset: bool = False) -> Optional[list]:
    """One statement, newest follow first, walking follows_(following|follower)_keyset_idx
    (migration 0003) from the cursor; None when `user_id` does not exist or is suspended.
    Suspended people and follows across a block (the old backend can still write one) are
    left out, as every public list leaves them out. Keyset pages also leave out a follow with
    a NULL created_at (the live column is nullable): no cursor could continue after it."""
    match, listed = side
    cond, params = "", {}
    if keyset:
        cond = " AND f.created_at IS NOT NULL"
    if after is not None:
        cond += " AND (f.created_at, f.id) < (%(after_at)s, %(after_id)s)"
        params = {"after_at": after.created_at, "after_id": after.id}
    rows = db.fetch_all(
        f"""
        SELECT p.*
        FROM users target
        LEFT JOIN LATERAL (
            SELECT {USER_COLUMNS}, f.created_at AS followed_at, f.id AS follow_id
            FROM follows f JOIN users u ON u.id = f.{listed}
            WHERE f.{match} = target.id AND u.suspended_at IS NULL
              AND NOT {blocks.between("f.follower_id", "f.following_id")}{cond}
            ORDER BY f.created_at DESC, f.id DESC LIMIT %(n)s OFFSET %(k)s
        ) p ON true
        WHERE target.id = %(user_id)s AND target.suspended_at IS NULL
        ORDER BY p.followed_at DESC, p.follow_id DESC
        """,
        {**params, "n": limit, "k": offset, "user_id": user_id},
    )
    if not rows:
        return None
    return [r for r in rows if r["id"] is not None]


def followers(user_id: str, limit: int, offset: int) -> Optional[list]:
    return _people(_FOLLOWERS, user_id, limit, offset)


def following(user_id: str, limit: int, offset: int) -> Optional[list]:
    return _people(_FOLLOWING, user_id, limit, offset)


def followers_page(user_id: str, after: Optional[Position], limit: int) -> Optional[list]:
    return _people(_FOLLOWERS, user_id, limit, after=after, keyset=True)


def following_page(user_id: str, after: Optional[Position], limit: int) -> Optional[list]:
    return _people(_FOLLOWING, user_id, limit, after=after, keyset=True)


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
