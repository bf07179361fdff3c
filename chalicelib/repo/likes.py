"""SQL for video_likes writes. The table's trigger (migration 0008) appends the counter delta
for each row inserted or deleted, so a retry or a duplicate, which changes no row, counts
nothing, and the current backend's writes count exactly like ours."""
from __future__ import annotations

from typing import Any, Dict

from .videos import VISIBLE

_LIKE = f"""
WITH target AS (SELECT v.id FROM videos v WHERE v.id = %(video)s AND {VISIBLE}),
added AS (
    INSERT INTO video_likes (user_id, video_id) SELECT %(user)s, id FROM target
    ON CONFLICT (user_id, video_id) DO NOTHING
    RETURNING video_id
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM added) AS changed
"""

_UNLIKE = f"""
WITH target AS (SELECT v.id FROM videos v WHERE v.id = %(video)s AND {VISIBLE}),
removed AS (
    DELETE FROM video_likes l USING target
    WHERE l.video_id = target.id AND l.user_id = %(user)s
    RETURNING l.video_id
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM removed) AS changed
"""


def like(conn: Any, user_id: str, video_id: str) -> Dict[str, bool]:
    """{found, changed}: found is False for an unknown or hidden video."""
    return conn.execute(_LIKE, {"user": user_id, "video": video_id}).fetchone()


def unlike(conn: Any, user_id: str, video_id: str) -> Dict[str, bool]:
    return conn.execute(_UNLIKE, {"user": user_id, "video": video_id}).fetchone()
