"""SQL for follows writes; each appends the two users' counter deltas only on a change."""
from __future__ import annotations

from typing import Any

_FOLLOW = """
WITH target AS (SELECT id FROM users WHERE id = %(followed)s),
added AS (
    INSERT INTO follows (follower_id, following_id) SELECT %(follower)s, id FROM target
    ON CONFLICT (follower_id, following_id) DO NOTHING
    RETURNING follower_id, following_id
), delta AS (
    INSERT INTO user_count_deltas (user_id, followers, following)
    SELECT follower_id, 0, 1 FROM added UNION ALL SELECT following_id, 1, 0 FROM added
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM added) AS changed
"""

_UNFOLLOW = """
WITH target AS (SELECT id FROM users WHERE id = %(followed)s),
removed AS (
    DELETE FROM follows f USING target
    WHERE f.follower_id = %(follower)s AND f.following_id = target.id
    RETURNING f.follower_id, f.following_id
), delta AS (
    INSERT INTO user_count_deltas (user_id, followers, following)
    SELECT follower_id, 0, -1 FROM removed UNION ALL SELECT following_id, -1, 0 FROM removed
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM removed) AS changed
"""


def follow(conn: Any, follower_id: str, followed_id: str) -> dict:
    return conn.execute(_FOLLOW, {"follower": follower_id, "followed": followed_id}).fetchone()


def unfollow(conn: Any, follower_id: str, followed_id: str) -> dict:
    return conn.execute(_UNFOLLOW, {"follower": follower_id, "followed": followed_id}).fetchone()
