"""SQL for reading video_comments: newest first, deleted ones left out, author joined in."""
from __future__ import annotations

from typing import Optional

from .. import db
from ..cursors import Position
from .videos import VISIBLE

COMMENT_COLUMNS = """
    c.id, c.video_id, c.user_id, c.parent_id, c.content, c.created_at,
    cu.username, cu.avatar_url
"""
NEWEST_FIRST = "ORDER BY c.created_at DESC, c.id DESC"


def page(video_id: str, after: Optional[Position], limit: int) -> Optional[list]:
    """Comments of a listed video, in one statement; None when the video is not listed.

    Replies are in the same list, each naming its parent_id.
    """
    cond, params = "", {}
    if after is not None:
        cond = " AND (c.created_at, c.id) < (%(after_at)s, %(after_id)s)"
        params = {"after_at": after.created_at, "after_id": after.id}
    rows = db.fetch_all(
        f"""
        SELECT {COMMENT_COLUMNS}
        FROM videos v
        LEFT JOIN LATERAL (
            SELECT c.* FROM video_comments c
            WHERE c.video_id = v.id AND c.deleted_at IS NULL{cond}
            {NEWEST_FIRST} LIMIT %(n)s
        ) c ON true
        LEFT JOIN users cu ON cu.id = c.user_id
        WHERE v.id = %(video_id)s AND {VISIBLE}
        {NEWEST_FIRST}
        """,
        {**params, "n": limit, "video_id": video_id},
    )
    if not rows:
        return None
    return [r for r in rows if r["id"] is not None]
