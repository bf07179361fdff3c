"""SQL of the notification outbox and its materialiser: take a batch of events, find and lock
the open groups they join, write the grouped notifications (migration 0020)."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Tuple

_LOCK_KEY = 0x6E6F7469667900  # "notify": one materialiser at a time


def Jsonb(value: Any) -> Any:  # noqa: N802 - psycopg imported on first use (cold starts)
    from psycopg.types.json import Jsonb as wrap

    return wrap(value)


def try_lock(conn: Any) -> bool:
    return conn.execute("SELECT pg_try_advisory_xact_lock(%s) AS ok", (_LOCK_KEY,)).fetchone()["ok"]


def append_direct(conn: Any, recipient_id: str, actor_id: Any, payload: dict) -> None:
    """A notification made by other code (uploads, gifts, moderation), materialised as is."""
    conn.execute(
        "INSERT INTO notification_outbox (kind, actor_id, user_id, event_at, payload)"
        " VALUES ('direct', %s, %s, now() AT TIME ZONE 'UTC', %s)",
        (actor_id, recipient_id, Jsonb(payload)),
    )


_TAKE = """
WITH taken AS (
    DELETE FROM notification_outbox WHERE id IN (
        SELECT id FROM notification_outbox ORDER BY id LIMIT %(n)s FOR UPDATE SKIP LOCKED)
    RETURNING *
)
SELECT t.id, t.kind, t.sign, t.actor_id, t.user_id, t.video_id, t.comment_id, t.parent_id,
       t.event_at, t.payload, t.created_at,
       v.user_id AS video_owner, v.title AS video_title,
       p.user_id AS parent_author, c.comment AS comment_text
FROM taken t
LEFT JOIN videos v ON v.id = t.video_id
LEFT JOIN video_comments p ON p.id = t.parent_id
LEFT JOIN video_comments c ON c.id = t.comment_id AND t.sign = 1
ORDER BY t.id
"""


def take_batch(conn: Any, limit: int) -> List[dict]:
    """Delete up to `limit` events, oldest first, and answer them with what they concern."""
    return conn.execute(_TAKE, {"n": limit}).fetchall()


def backlog(conn: Any) -> dict:
    return conn.execute(
        "SELECT count(*) AS n, min(created_at) AS oldest FROM notification_outbox").fetchone()


Key = Tuple[str, str, str]


def lock_groups(conn: Any, keys: Iterable[Key]) -> Dict[Key, dict]:
    """The current group of each key with its notification, the notification locked (in id
    order) so a concurrent read waits for this batch instead of racing it."""
    keys = list(keys)
    if not keys:
        return {}
    rows = conn.execute(
        """
        SELECT g.recipient_id, g.type, g.target_id, g.notification_id, g.started_at,
               g.opened_at, g.actors, n.is_read, n.data
        FROM notification_groups g JOIN notifications n ON n.id = g.notification_id
        WHERE (g.recipient_id, g.type, g.target_id) IN (
            SELECT * FROM unnest(%s::uuid[], %s::text[], %s::uuid[]))
        ORDER BY n.id FOR UPDATE OF n
        """,
        ([k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]),
    ).fetchall()
    return {(str(r["recipient_id"]), r["type"], str(r["target_id"])): r for r in rows}


def usernames(conn: Any, user_ids: Iterable[str]) -> Dict[str, str]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = conn.execute("SELECT id, username FROM users WHERE id = ANY(%s::uuid[])", (ids,)).fetchall()
    return {str(r["id"]): r["username"] for r in rows}


_INSERT = """
INSERT INTO notifications (id, user_id, type, title, message, data, is_read, created_at)
SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::text[], %s::text[], %s::text[], %s::jsonb[],
                     %s::boolean[], %s::timestamp[])
"""


def insert_notifications(conn: Any, rows: List[dict]) -> None:
    """One statement for the batch (the unread-count trigger runs once for it)."""
    if not rows:
        return
    conn.execute(_INSERT, (
        [r["id"] for r in rows], [r["user_id"] for r in rows], [r["type"] for r in rows],
        [r["title"][:255] for r in rows], [r["message"] for r in rows],
        [Jsonb(r["data"]) for r in rows], [False] * len(rows), [r["created_at"] for r in rows],
    ))


def save_groups(conn: Any, rows: List[dict]) -> None:
    """Open (or re-open on a new notification) the group of each key."""
    if not rows:
        return
    conn.execute(
        """
        INSERT INTO notification_groups AS g
            (recipient_id, type, target_id, notification_id, started_at, actors)
        SELECT * FROM unnest(%s::uuid[], %s::text[], %s::uuid[], %s::uuid[], %s::timestamp[],
                             %s::integer[])
        ON CONFLICT (recipient_id, type, target_id) DO UPDATE SET
            notification_id = excluded.notification_id, started_at = excluded.started_at,
            actors = excluded.actors,
            opened_at = CASE WHEN g.notification_id = excluded.notification_id
                             THEN g.opened_at ELSE now() END
        """,
        ([r["recipient_id"] for r in rows], [r["type"] for r in rows], [r["target_id"] for r in rows],
         [r["notification_id"] for r in rows], [r["started_at"] for r in rows],
         [r["actors"] for r in rows]),
    )


def update_notifications(conn: Any, rows: List[dict]) -> None:
    """New text, data and time of grouped notifications that are still unread."""
    if not rows:
        return
    conn.execute(
        """
        UPDATE notifications n SET title = u.title, message = u.message, data = u.data,
               created_at = greatest(n.created_at, u.created_at)
        FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::jsonb[], %s::timestamp[])
             AS u(id, title, message, data, created_at)
        WHERE n.id = u.id AND n.is_read IS NOT TRUE
        """,
        ([r["id"] for r in rows], [r["title"][:255] for r in rows], [r["message"] for r in rows],
         [Jsonb(r["data"]) for r in rows], [r["created_at"] for r in rows]),
    )


def delete_unread(conn: Any, notification_ids: List[str]) -> None:
    """Grouped notifications whose every event was undone before anybody read them."""
    if notification_ids:
        conn.execute("DELETE FROM notifications WHERE id = ANY(%s::uuid[]) AND is_read IS NOT TRUE",
                     (notification_ids,))
