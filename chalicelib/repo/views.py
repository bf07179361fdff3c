"""SQL for the view and share events (video_views, video_shares): one row per viewer, video
(and channel) and clock hour, with its counter delta appended in the same statement."""
from __future__ import annotations

from typing import Any, Optional

from .videos import VISIBLE

_VIEW = f"""
WITH target AS (SELECT v.id FROM videos v WHERE v.id = %(video)s AND {VISIBLE}),
added AS (
    INSERT INTO video_views (video_id, user_id, viewer_key, hour, watch_ms)
    SELECT id, %(user)s, %(viewer)s, date_trunc('hour', now(), 'UTC'), %(watch_ms)s FROM target
    ON CONFLICT (video_id, viewer_key, hour) DO NOTHING
    RETURNING video_id
), delta AS (
    INSERT INTO video_count_deltas (video_id, views) SELECT video_id, 1 FROM added
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM added) AS changed
"""

_SHARE = f"""
WITH target AS (SELECT v.id FROM videos v WHERE v.id = %(video)s AND {VISIBLE}),
added AS (
    INSERT INTO video_shares (video_id, user_id, viewer_key, channel, hour)
    SELECT id, %(user)s, %(viewer)s, %(channel)s, date_trunc('hour', now(), 'UTC') FROM target
    ON CONFLICT (video_id, viewer_key, channel, hour) DO NOTHING
    RETURNING video_id
), delta AS (
    INSERT INTO video_count_deltas (video_id, shares) SELECT video_id, 1 FROM added
)
SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM added) AS changed
"""


def record_view(conn: Any, video_id: str, user_id: Optional[str], viewer_key: str,
                watch_ms: Optional[int]) -> dict:
    return conn.execute(_VIEW, {"video": video_id, "user": user_id, "viewer": viewer_key,
                                "watch_ms": watch_ms}).fetchone()


def record_share(conn: Any, video_id: str, user_id: Optional[str], viewer_key: str,
                 channel: str) -> dict:
    return conn.execute(_SHARE, {"video": video_id, "user": user_id, "viewer": viewer_key,
                                 "channel": channel}).fetchone()


def video_is_visible(conn: Any, video_id: str) -> bool:
    return conn.execute(
        f"SELECT 1 FROM videos v WHERE v.id = %s AND {VISIBLE}", (video_id,)
    ).fetchone() is not None
