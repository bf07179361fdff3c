"""SQL for reconciling the stored counters with the event rows they count.

For every counter, what is true now is `events - pending`: the stored column must equal the
event rows (likes, live comments, follows; views and shares plus what the live database held
before event rows existed) minus the deltas not folded yet, which the fold will add.

A batch runs in two statements of one transaction, so it is safe beside the fold and both
backends' writes:
1. lock the batch's rows (FOR NO KEY UPDATE: it waits for a fold that is updating them, and
   it does not block inserts of likes or follows, whose foreign-key checks take KEY SHARE);
2. count, in a new snapshot taken after the lock: a fold that started after it has deleted
   its deltas but cannot commit before us (its UPDATE waits on our lock), so we still see
   those deltas as pending and the fold adds them on top of our value afterwards. A write
   commits its event row and its delta together, so a snapshot sees both or neither.
Rows are locked in id order, like the fold, so the two cannot deadlock.
"""
from __future__ import annotations

from typing import Any, List, Optional, Sequence

LOCK_TIMEOUT = "2s"  # a batch that cannot get its rows quickly gives up and is retried

TABLES = {"video": "videos", "user": "users"}
KINDS = tuple(TABLES)
_LOCK = "SELECT id FROM {table} WHERE id = ANY(%(ids)s) ORDER BY id FOR NO KEY UPDATE"
_LOCK_RANGE = ("SELECT id FROM {table} WHERE %(after)s::uuid IS NULL OR id > %(after)s"
               " ORDER BY id LIMIT %(limit)s FOR NO KEY UPDATE")

# The expected value of each stored video counter, and the drift (expected - stored).
# legacy_*: measured once, when NULL, as what the counter held beyond its event rows.
_VIDEOS = """
WITH cur AS (
    SELECT v.id, coalesce(v.likes_count, 0) AS likes, coalesce(v.comments_count, 0) AS comments,
           coalesce(v.views_count, 0) AS views, coalesce(v.shares_count, 0) AS shares,
           v.legacy_views_count, v.legacy_shares_count,
           coalesce(p.likes, 0) AS p_likes, coalesce(p.comments, 0) AS p_comments,
           coalesce(p.views, 0) AS p_views, coalesce(p.shares, 0) AS p_shares,
           (SELECT count(*) FROM video_likes l WHERE l.video_id = v.id) AS e_likes,
           (SELECT count(*) FROM video_comments c
             WHERE c.video_id = v.id AND c.deleted_at IS NULL AND c.taken_down_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM users su  -- what the comment list shows (0067)
                               WHERE su.id = c.user_id AND su.suspended_at IS NOT NULL)
           ) AS e_comments,
           (SELECT count(*) FROM video_views w WHERE w.video_id = v.id) AS e_views,
           (SELECT count(*) FROM video_shares s WHERE s.video_id = v.id) AS e_shares
    FROM videos v
    LEFT JOIN LATERAL (
        SELECT sum(d.likes) AS likes, sum(d.comments) AS comments,
               sum(d.views) AS views, sum(d.shares) AS shares
        FROM video_count_deltas d WHERE d.video_id = v.id) p ON true
    WHERE v.id = ANY(%(ids)s)
), legacy AS (
    SELECT cur.*,
           coalesce(legacy_views_count, greatest(0, views + p_views - e_views)) AS l_views,
           coalesce(legacy_shares_count, greatest(0, shares + p_shares - e_shares)) AS l_shares
    FROM cur
), want AS (
    SELECT legacy.*,
           greatest(0, e_likes - p_likes) AS w_likes,
           greatest(0, e_comments - p_comments) AS w_comments,
           greatest(0, l_views + e_views - p_views) AS w_views,
           greatest(0, l_shares + e_shares - p_shares) AS w_shares
    FROM legacy
)
UPDATE videos v SET
    likes_count = w.w_likes, comments_count = w.w_comments,
    views_count = w.w_views, shares_count = w.w_shares,
    legacy_views_count = w.l_views, legacy_shares_count = w.l_shares
FROM want w
WHERE v.id = w.id
  AND (w.w_likes, w.w_comments, w.w_views, w.w_shares, w.l_views, w.l_shares)
      IS DISTINCT FROM (w.likes, w.comments, w.views, w.shares,
                        w.legacy_views_count, w.legacy_shares_count)
RETURNING v.id, w.w_likes - w.likes AS likes, w.w_comments - w.comments AS comments,
          w.w_views - w.views AS views, w.w_shares - w.shares AS shares
"""

_USERS = """
WITH cur AS (
    SELECT u.id, coalesce(u.followers_count, 0) AS followers,
           coalesce(u.following_count, 0) AS following,
           coalesce(p.followers, 0) AS p_followers, coalesce(p.following, 0) AS p_following,
           (SELECT count(*) FROM follows f WHERE f.following_id = u.id) AS e_followers,
           (SELECT count(*) FROM follows f WHERE f.follower_id = u.id) AS e_following
    FROM users u
    LEFT JOIN LATERAL (
        SELECT sum(d.followers) AS followers, sum(d.following) AS following
        FROM user_count_deltas d WHERE d.user_id = u.id) p ON true
    WHERE u.id = ANY(%(ids)s)
), want AS (
    SELECT cur.*, greatest(0, e_followers - p_followers) AS w_followers,
           greatest(0, e_following - p_following) AS w_following
    FROM cur
)
UPDATE users u SET followers_count = w.w_followers, following_count = w.w_following
FROM want w
WHERE u.id = w.id
  AND (w.w_followers, w.w_following) IS DISTINCT FROM (w.followers, w.following)
RETURNING u.id, w.w_followers - w.followers AS followers, w.w_following - w.following AS following
"""
_RECONCILE = {"video": _VIDEOS, "user": _USERS}


def _table(kind: str) -> str:
    if kind not in TABLES:
        raise ValueError(f"not a counter kind: {kind!r}")
    return TABLES[kind]


def lock_range(conn: Any, kind: str, after: Optional[str], limit: int) -> List[str]:
    """Lock the next `limit` rows after `after` (id order); answers their ids."""
    table = _table(kind)
    conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    rows = conn.execute(_LOCK_RANGE.format(table=table), {"after": after, "limit": limit}).fetchall()
    return [str(r["id"]) for r in rows]


def lock_ids(conn: Any, kind: str, ids: Sequence[str]) -> List[str]:
    """Lock these rows (those that still exist); answers their ids."""
    table = _table(kind)
    conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    return [str(r["id"]) for r in conn.execute(_LOCK.format(table=table), {"ids": list(ids)}).fetchall()]


def reconcile(conn: Any, kind: str, ids: Sequence[str]) -> List[dict]:
    """Set the locked rows' counters to what their events say; answers the rows that drifted,
    with expected - stored per counter (0 where that counter was right)."""
    _table(kind)
    if not ids:
        return []
    return [dict(r) for r in conn.execute(_RECONCILE[kind], {"ids": list(ids)}).fetchall()]


def take_queued(conn: Any, kind: str, limit: int) -> List[str]:
    """Remove up to `limit` queued ids (oldest first) in the caller's transaction."""
    _table(kind)
    rows = conn.execute(
        "DELETE FROM counter_reconcile_queue WHERE kind = %(kind)s AND row_id IN ("
        " SELECT row_id FROM counter_reconcile_queue WHERE kind = %(kind)s"
        " ORDER BY queued_at LIMIT %(limit)s FOR UPDATE SKIP LOCKED) RETURNING row_id",
        {"kind": kind, "limit": limit},
    ).fetchall()
    return [str(r["row_id"]) for r in rows]


def sweep_position(conn: Any, kind: str) -> Optional[str]:
    row = conn.execute("SELECT after_id FROM counter_reconcile_state WHERE kind = %s",
                       (kind,)).fetchone()
    return None if row is None or row["after_id"] is None else str(row["after_id"])


def set_sweep_position(conn: Any, kind: str, after: Optional[str]) -> None:
    conn.execute(
        "INSERT INTO counter_reconcile_state (kind, after_id, updated_at) VALUES (%s, %s, now())"
        " ON CONFLICT (kind) DO UPDATE SET after_id = EXCLUDED.after_id, updated_at = now()",
        (kind, after),
    )


def row_count(conn: Any, kind: str) -> int:
    """An estimate, for a progress bar: exact counting would scan a live table."""
    row = conn.execute("SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class"
                       " WHERE oid = %s::regclass", (_table(kind),)).fetchone()
    return int(row["n"]) if row else 0
