"""SQL for video_comments: list pages (feed) and writes (engagement), author joined in.

The live column holding the text is `comment` (the current backend reads it); the JSON field
stays `content`. comments_count moves through the table's trigger (migration 0008), for
inserts, deletes and soft deletes alike."""
from __future__ import annotations

from typing import Any, Optional

from .. import db
from ..cursors import Position
from .videos import VISIBLE

# ---- reads ---------------------------------------------------------------------------------

COMMENT_COLUMNS = """
    c.id, c.video_id, c.user_id, c.parent_id, c.comment AS content, c.created_at,
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
            WHERE c.video_id = v.id AND c.deleted_at IS NULL AND c.created_at IS NOT NULL
              AND c.taken_down_at IS NULL AND NOT EXISTS (
                  SELECT 1 FROM users su WHERE su.id = c.user_id AND su.suspended_at IS NOT NULL){cond}
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


# ---- writes --------------------------------------------------------------------------------



def comment_by_id(conn: Any, comment_id: str) -> Optional[dict]:
    """A comment as the frontend renders it (author joined), deleted or not."""
    return conn.execute(
        f"SELECT {COMMENT_COLUMNS}, c.deleted_at FROM video_comments c"
        " JOIN users cu ON cu.id = c.user_id WHERE c.id = %s",
        (comment_id,),
    ).fetchone()


def comment_by_idempotency_key(conn: Any, user_id: str, key: str) -> Optional[dict]:
    return conn.execute(
        f"SELECT {COMMENT_COLUMNS}, c.deleted_at FROM video_comments c"
        " JOIN users cu ON cu.id = c.user_id WHERE c.user_id = %s AND c.idempotency_key = %s",
        (user_id, key),
    ).fetchone()


def visible_video_owner(conn: Any, video_id: str) -> Optional[str]:
    row = conn.execute(
        f"SELECT v.user_id FROM videos v WHERE v.id = %s AND {VISIBLE}", (video_id,)
    ).fetchone()
    return None if row is None else str(row["user_id"])


def lock_live_parent(conn: Any, comment_id: str) -> Optional[dict]:
    """The parent of a reply, held against a concurrent delete until we commit."""
    return conn.execute(
        "SELECT id, video_id, parent_id FROM video_comments"
        " WHERE id = %s AND deleted_at IS NULL FOR SHARE",
        (comment_id,),
    ).fetchone()


def insert_comment(
    conn: Any, user_id: str, video_id: str, content: str, parent_id: Optional[str],
    idempotency_key: Optional[str],
) -> Optional[str]:
    """The new comment's id; None when a concurrent post with the same key won."""
    row = conn.execute(
        "INSERT INTO video_comments (user_id, video_id, comment, parent_id, idempotency_key)"
        " VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
        " RETURNING id",
        (user_id, video_id, content, parent_id, idempotency_key),
    ).fetchone()
    return None if row is None else str(row["id"])


def lock_for_delete(conn: Any, comment_id: str) -> Optional[dict]:
    return conn.execute(
        "SELECT c.id, c.user_id, c.video_id, c.deleted_at, v.user_id AS video_owner"
        " FROM video_comments c JOIN videos v ON v.id = c.video_id"
        " WHERE c.id = %s FOR UPDATE OF c",
        (comment_id,),
    ).fetchone()


def soft_delete_with_replies(conn: Any, comment_id: str) -> int:
    """Marks the comment and its live replies deleted; answers how many it marked."""
    return conn.execute(
        "UPDATE video_comments SET deleted_at = now()"
        " WHERE (id = %s OR parent_id = %s) AND deleted_at IS NULL",
        (comment_id, comment_id),
    ).rowcount
