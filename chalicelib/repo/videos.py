"""SQL for the videos table: the columns every Video answer needs, author joined in."""
from __future__ import annotations

from typing import Optional

from .. import db

# One statement gives a whole Video: no per-row author lookups (no N+1).
VIDEO_COLUMNS = """
    v.id, v.user_id, v.title, v.description, v.video_url, v.thumbnail_url,
    coalesce(v.hashtags, '{}') AS hashtags,
    coalesce(v.views_count, 0) AS views_count, coalesce(v.likes_count, 0) AS likes_count,
    coalesce(v.comments_count, 0) AS comments_count, coalesce(v.shares_count, 0) AS shares_count,
    v.created_at, v.status, v.deleted_at, v.cloudinary_public_id, v.duration_seconds,
    v.width, v.height, v.taken_down_at, u.username, u.avatar_url,
    u.suspended_at AS owner_suspended_at
"""
VIDEO_FROM = "videos v JOIN users u ON u.id = v.user_id"
# A suspended user's content is hidden with them (issue 16); a primary-key probe per row.
OWNER_ACTIVE = (
    "NOT EXISTS (SELECT 1 FROM users su WHERE su.id = v.user_id AND su.suspended_at IS NOT NULL)"
)
# What every list and every anonymous read may show: ready, not deleted, not taken down by a
# moderator, its owner not suspended.
VISIBLE = f"v.status = 'ready' AND v.deleted_at IS NULL AND v.taken_down_at IS NULL AND {OWNER_ACTIVE}"


def get_video(video_id: str) -> Optional[dict]:
    """The video row whatever its state (the caller decides who may see it)."""
    return db.fetch_one(f"SELECT {VIDEO_COLUMNS} FROM {VIDEO_FROM} WHERE v.id = %s", (video_id,))
