"""SQL for the lists of videos: one statement per page, author joined in, visible rows only.

Keyset pages walk the partial indexes of migration 0003 on (created_at DESC, id DESC) from
the cursor, so page 500 costs what page 1 costs. Each list asks for `limit + 1` rows: the
extra row only says whether there is a next page.
"""
from __future__ import annotations

from typing import Optional

from .. import db
from . import blocks
from ..positions import Position
from .videos import VIDEO_COLUMNS, VIDEO_FROM, VISIBLE

# What a list may show: visible rows with a place in the keyset order. The live created_at is
# nullable; a NULL would sort first (DESC puts NULLs first) and could end a page that no
# cursor can continue. Such a row stays readable by id.
LISTED = f"{VISIBLE} AND v.created_at IS NOT NULL"

NEWEST_FIRST = "ORDER BY v.created_at DESC, v.id DESC"
# A row comparison the btree index answers as one range: strictly after the cursor.
AFTER = "(v.created_at, v.id) < (%(after_at)s, %(after_id)s)"


def _after(after: Optional[Position]) -> tuple:
    if after is None:
        return "", {}
    return f" AND {AFTER}", {"after_at": after.created_at, "after_id": after.id}


def feed_page(after: Optional[Position], limit: int) -> list:
    cond, params = _after(after)
    return db.fetch_all(
        f"SELECT {VIDEO_COLUMNS} FROM {VIDEO_FROM} WHERE {LISTED}{cond} {NEWEST_FIRST} LIMIT %(n)s",
        {**params, "n": limit},
    )


def feed_offset(limit: int, offset: int) -> list:
    """The old backend's OFFSET page. The skipped rows are counted on the index alone
    (an index-only scan of ids), and only the page itself is joined to its columns."""
    return db.fetch_all(
        f"""
        WITH page AS (
            SELECT v.id FROM videos v WHERE {LISTED} {NEWEST_FIRST} LIMIT %(n)s OFFSET %(k)s
        )
        SELECT {VIDEO_COLUMNS} FROM page JOIN videos v ON v.id = page.id
        JOIN users u ON u.id = v.user_id
        {NEWEST_FIRST}
        """,
        {"n": limit, "k": offset},
    )


def user_page(user_id: str, after: Optional[Position], limit: int) -> Optional[list]:
    """One user's videos; None when the user does not exist (same statement)."""
    cond, params = _after(after)
    rows = db.fetch_all(
        f"""
        SELECT {VIDEO_COLUMNS}
        FROM users u
        LEFT JOIN LATERAL (
            SELECT v.* FROM videos v
            WHERE v.user_id = u.id AND {LISTED}{cond} {NEWEST_FIRST} LIMIT %(n)s
        ) v ON true
        WHERE u.id = %(user_id)s
        {NEWEST_FIRST}
        """,
        {**params, "n": limit, "user_id": user_id},
    )
    if not rows:
        return None
    return [r for r in rows if r["id"] is not None]


def hashtag_page(tag: str, after: Optional[Position], limit: int) -> list:
    cond, params = _after(after)
    return db.fetch_all(
        f"SELECT {VIDEO_COLUMNS} FROM {VIDEO_FROM}"
        f" WHERE {LISTED} AND v.hashtags @> ARRAY[%(tag)s]::text[]{cond}"
        f" {NEWEST_FIRST} LIMIT %(n)s",
        {**params, "n": limit, "tag": tag},
    )


def _followed_sql(cond: str, offset: str = "") -> str:
    """Videos of the people a viewer follows: the newest rows of each followed user, one
    index-only range scan each (videos_user_keyset_idx), merged and cut to the page; only
    the page is then joined to its columns. Bounded by the number of people followed, not by
    how far back in the global feed their videos are."""
    return f"""
        WITH page AS (
            SELECT v.id, v.created_at
            FROM follows f
            CROSS JOIN LATERAL (
                SELECT v.id, v.created_at FROM videos v
                WHERE v.user_id = f.following_id AND {LISTED}{cond}
                {NEWEST_FIRST} LIMIT %(per_user)s
            ) v
            WHERE f.follower_id = %(viewer)s
              AND NOT {blocks.between("f.follower_id", "f.following_id")}
            {NEWEST_FIRST} LIMIT %(n)s{offset}
        )
        SELECT {VIDEO_COLUMNS} FROM page JOIN videos v ON v.id = page.id
        JOIN users u ON u.id = v.user_id
        {NEWEST_FIRST}
    """


def following_page(viewer_id: str, after: Optional[Position], limit: int) -> list:
    """Videos of the people `viewer_id` follows, newest first."""
    cond, params = _after(after)
    return db.fetch_all(
        _followed_sql(cond), {**params, "n": limit, "per_user": limit, "viewer": viewer_id}
    )


def following_offset(viewer_id: str, limit: int, offset: int) -> list:
    return db.fetch_all(
        _followed_sql("", " OFFSET %(k)s"),
        {"n": limit, "k": offset, "per_user": limit + offset, "viewer": viewer_id},
    )
