"""SQL for counter deltas: appended by the event tables' triggers (likes, comments, follows:
migration 0008) and by the view and share writes, folded in batches into videos.*_count and
users.*_count by the counters job.

No count is ever shown or stored below zero, and a fold always completes: a stored counter
that was already wrong (the live database's double counts) could otherwise be taken below
zero by an honest delta, and the CHECK (... >= 0) would then fail the whole batch, every
minute. The row is clamped instead and queued for reconcile, which puts it right.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

VIDEO_COUNTS = ("likes", "comments", "views", "shares")
USER_COUNTS = ("followers", "following")


def _fresh(conn: Any, table: str, deltas: str, key: str, row_id: str, name: str) -> Optional[Dict[str, int]]:
    """{n: the exact count now (folded column + deltas not folded yet), pending: how many
    unfolded delta rows the row has}; None for an unknown row. Names come from fixed lists."""
    row = conn.execute(
        f"SELECT greatest(coalesce(t.{name}_count, 0) + coalesce(p.n, 0), 0) AS n, p.pending"
        f" FROM {table} t, LATERAL (SELECT sum(d.{name}) AS n, count(*) AS pending"
        f"  FROM {deltas} d WHERE d.{key} = t.id) p"
        " WHERE t.id = %s",
        (row_id,),
    ).fetchone()
    return None if row is None else {"n": int(row["n"]), "pending": int(row["pending"])}


def fresh_video_count(conn: Any, video_id: str, name: str) -> Optional[Dict[str, int]]:
    if name not in VIDEO_COUNTS:
        raise ValueError(f"not a video counter: {name!r}")
    return _fresh(conn, "videos", "video_count_deltas", "video_id", video_id, name)


def fresh_user_count(conn: Any, user_id: str, name: str) -> Optional[Dict[str, int]]:
    if name not in USER_COUNTS:
        raise ValueError(f"not a user counter: {name!r}")
    return _fresh(conn, "users", "user_count_deltas", "user_id", user_id, name)


# One batch: take the oldest deltas nobody else holds, delete them and add their sums to the
# counters, all in the caller's transaction: a delta is folded exactly once or not at all.
# Each counter is kept between 0 and the integer maximum, so no CHECK (>= 0) or overflow can
# fail a batch; each row changed is queued for the scheduled reconcile.
_FOLD_VIDEOS = """
WITH batch AS (
    DELETE FROM video_count_deltas WHERE id IN (
        SELECT id FROM video_count_deltas WHERE {only} ORDER BY id LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED)
    RETURNING video_id, likes, comments, views, shares
), sums AS (
    SELECT video_id, sum(likes) AS likes, sum(comments) AS comments,
           sum(views) AS views, sum(shares) AS shares, count(*) AS n
    FROM batch GROUP BY video_id
), applied AS (
    UPDATE videos v SET
        likes_count = least(2147483647, greatest(0, coalesce(v.likes_count, 0) + s.likes)),
        comments_count = least(2147483647, greatest(0, coalesce(v.comments_count, 0) + s.comments)),
        views_count = least(2147483647, greatest(0, coalesce(v.views_count, 0) + s.views)),
        shares_count = least(2147483647, greatest(0, coalesce(v.shares_count, 0) + s.shares))
    FROM (SELECT * FROM sums ORDER BY video_id) s
    WHERE v.id = s.video_id
    RETURNING v.id
), queued AS (
    INSERT INTO counter_reconcile_queue (kind, row_id) SELECT 'video', id FROM applied
    ON CONFLICT (kind, row_id) DO NOTHING
)
SELECT coalesce((SELECT sum(n) FROM sums), 0)::int AS deltas,
       (SELECT count(*) FROM applied)::int AS rows
"""

_FOLD_USERS = """
WITH batch AS (
    DELETE FROM user_count_deltas WHERE id IN (
        SELECT id FROM user_count_deltas WHERE {only} ORDER BY id LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED)
    RETURNING user_id, followers, following
), sums AS (
    SELECT user_id, sum(followers) AS followers, sum(following) AS following, count(*) AS n
    FROM batch GROUP BY user_id
), applied AS (
    UPDATE users u SET
        followers_count = least(2147483647, greatest(0, coalesce(u.followers_count, 0) + s.followers)),
        following_count = least(2147483647, greatest(0, coalesce(u.following_count, 0) + s.following))
    FROM (SELECT * FROM sums ORDER BY user_id) s
    WHERE u.id = s.user_id
    RETURNING u.id
), queued AS (
    INSERT INTO counter_reconcile_queue (kind, row_id) SELECT 'user', id FROM applied
    ON CONFLICT (kind, row_id) DO NOTHING
)
SELECT coalesce((SELECT sum(n) FROM sums), 0)::int AS deltas,
       (SELECT count(*) FROM applied)::int AS rows
"""

FOLD_LOCK_KEY = 0x666F6C64  # "fold": one fold at a time; a second one skips instead of waiting


def try_fold_lock(conn: Any) -> bool:
    return bool(conn.execute("SELECT pg_try_advisory_xact_lock(%s) AS ok", (FOLD_LOCK_KEY,))
                .fetchone()["ok"])


def try_row_fold_lock(conn: Any, row_id: str) -> bool:
    """One fold of one video's (user's) backlog at a time; others skip instead of waiting."""
    return bool(conn.execute("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s)) AS ok",
                             (FOLD_LOCK_KEY, row_id)).fetchone()["ok"])


def fold_video_batch(conn: Any, limit: int, video_id: Optional[str] = None) -> Dict[str, int]:
    only = "video_id = %(id)s" if video_id else "true"
    return dict(conn.execute(_FOLD_VIDEOS.replace("{only}", only),
                             {"limit": limit, "id": video_id}).fetchone())


def fold_user_batch(conn: Any, limit: int, user_id: Optional[str] = None) -> Dict[str, int]:
    only = "user_id = %(id)s" if user_id else "true"
    return dict(conn.execute(_FOLD_USERS.replace("{only}", only),
                             {"limit": limit, "id": user_id}).fetchone())
