"""SQL for reports, moderator actions and their audit (issue 16)."""
from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

from .. import db

REPORT_COLUMNS = "r.id, r.target_type, r.target_id, r.reason, r.note, r.status, r.created_at"

# Does the target exist (deleted or hidden targets are not reportable)?
_TARGET_EXISTS = {
    "video": "SELECT 1 FROM videos WHERE id = %s AND deleted_at IS NULL",
    "comment": "SELECT 1 FROM video_comments WHERE id = %s AND deleted_at IS NULL",
    "user": "SELECT 1 FROM users WHERE id = %s",
}


def target_exists(conn: Any, target_type: str, target_id: str) -> bool:
    return conn.execute(_TARGET_EXISTS[target_type], (target_id,)).fetchone() is not None


def open_report(conn: Any, reporter_id: str, target_type: str, target_id: str) -> Optional[dict]:
    return conn.execute(
        f"SELECT {REPORT_COLUMNS} FROM reports r WHERE r.reporter_id = %s AND r.target_type = %s"
        " AND r.target_id = %s AND r.status = 'open'",
        (reporter_id, target_type, target_id),
    ).fetchone()


def insert_report(conn: Any, reporter_id: str, target_type: str, target_id: str, reason: str,
                  note: Optional[str]) -> Optional[dict]:
    """The new report; None when a concurrent one of the same reporter and target won."""
    return conn.execute(
        "INSERT INTO reports AS r (reporter_id, target_type, target_id, reason, note)"
        " VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (reporter_id, target_type, target_id) WHERE status = 'open' DO NOTHING"
        f" RETURNING {REPORT_COLUMNS}",
        (reporter_id, target_type, target_id, reason, note),
    ).fetchone()


def queue(reasons: Sequence[str], weights: Sequence[int], after: Optional[Tuple[float, str]],
          limit: int) -> List[dict]:
    """Open reports grouped by target, heaviest first (weight = the sum of their reasons'
    weights), then the most recently reported; `key` = type:id breaks ties."""
    cond, params = "", {}
    if after is not None:
        cond = " WHERE (q.weight, q.key) < (%(after_weight)s, %(after_key)s)"
        params = {"after_weight": after[0], "after_key": after[1]}
    return db.fetch_all(
        f"""
        SELECT q.* FROM (
            SELECT r.target_type, r.target_id, r.target_type || ':' || r.target_id AS key,
                   sum(coalesce(w.weight, 1))::float8 AS weight, count(*) AS reports_count,
                   array_agg(DISTINCT r.reason ORDER BY r.reason) AS reasons,
                   min(r.created_at) AS first_reported_at, max(r.created_at) AS last_reported_at
            FROM reports r
            LEFT JOIN unnest(%(reasons)s::text[], %(weights)s::int[]) AS w(reason, weight)
                   ON w.reason = r.reason
            WHERE r.status = 'open'
            GROUP BY r.target_type, r.target_id
        ) q{cond}
        ORDER BY q.weight DESC, q.key DESC LIMIT %(n)s
        """,
        {**params, "reasons": list(reasons), "weights": list(weights), "n": limit},
    )


def is_admin(user_id: str) -> bool:
    row = db.fetch_one("SELECT coalesce(role, 'user') = 'admin' AS admin FROM users WHERE id = %s",
                       (user_id,))
    return bool(row and row["admin"])


# ---- actions: each sets or clears the hidden mark, answering the owner when it changed -----

_HIDE = {
    "video": ("videos", "taken_down_at", "takedown_reason", "user_id", "title"),
    "comment": ("video_comments", "taken_down_at", "takedown_reason", "user_id", "video_id"),
    "user": ("users", "suspended_at", "suspension_reason", "id", "username"),
}


def set_hidden(conn: Any, target_type: str, target_id: str, hidden: bool, reason: str) -> Optional[dict]:
    """Mark (or unmark) the target; the row's owner and label when this changed it, else None."""
    table, at, why, owner, label = _HIDE[target_type]
    if hidden:
        change, guard, params = f"{at} = now(), {why} = %s", f"{at} IS NULL", (reason, target_id)
    else:
        change, guard, params = f"{at} = NULL, {why} = NULL", f"{at} IS NOT NULL", (target_id,)
    return conn.execute(
        f"UPDATE {table} SET {change} WHERE id = %s AND {guard}"
        f" RETURNING {owner}::text AS owner_id, {label}::text AS label",
        params,
    ).fetchone()


def hidden_state(conn: Any, target_type: str, target_id: str) -> Optional[dict]:
    table, at, why, owner, _ = _HIDE[target_type]
    return conn.execute(
        f"SELECT {at} IS NOT NULL AS hidden, {why} AS reason, {owner}::text AS owner_id"
        f" FROM {table} WHERE id = %s", (target_id,),
    ).fetchone()


def audit(conn: Any, moderator_id: str, action: str, target_type: str, target_id: str, reason: str) -> dict:
    return conn.execute(
        "INSERT INTO moderation_actions (moderator_id, action, target_type, target_id, reason)"
        " VALUES (%s, %s, %s, %s, %s) RETURNING id, created_at",
        (moderator_id, action, target_type, target_id, reason),
    ).fetchone()


def resolve_reports(conn: Any, target_type: str, target_id: str, moderator_id: str) -> int:
    return conn.execute(
        "UPDATE reports SET status = 'actioned', resolved_at = now(), resolved_by = %s"
        " WHERE target_type = %s AND target_id = %s AND status = 'open'",
        (moderator_id, target_type, target_id),
    ).rowcount


def listed_video_ids_of(conn: Any, user_id: str) -> List[str]:
    """A user's videos (what a suspension must take out of trending)."""
    rows = conn.execute(
        "SELECT id::text AS id FROM videos WHERE user_id = %s AND deleted_at IS NULL", (user_id,)
    ).fetchall()
    return [r["id"] for r in rows]


def dismiss_reports(conn: Any, target_type: str, target_id: str, moderator_id: str) -> int:
    """Close the target's open reports without acting; how many were open. Row locks make a
    concurrent second dismissal (or an action resolving them) find none left."""
    return conn.execute(
        "UPDATE reports SET status = 'dismissed', resolved_at = now(), resolved_by = %s"
        " WHERE target_type = %s AND target_id = %s AND status = 'open'",
        (moderator_id, target_type, target_id),
    ).rowcount


# ---- the audit log -------------------------------------------------------------------------

_AUDIT_FILTERS = (("target_type", "a.target_type"), ("target_id", "a.target_id"),
                  ("moderator_id", "a.moderator_id"))


def audit_page(filters: dict, after: Optional[Any], limit: int) -> List[dict]:
    """Audit entries, newest first, keyset-paged on (created_at, id); `filters` holds the
    given ones of target_type, target_id, moderator_id (each has an index, 0067)."""
    conds = [f"{column} = %({name})s" for name, column in _AUDIT_FILTERS if filters.get(name)]
    params = {name: filters[name] for name, _ in _AUDIT_FILTERS if filters.get(name)}
    if after is not None:
        # The cursor carries naive UTC; the column is timestamptz.
        conds.append("(a.created_at, a.id) < (%(after_at)s::timestamp AT TIME ZONE 'UTC', %(after_id)s)")
        params.update(after_at=after.created_at, after_id=after.id)
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    return db.fetch_all(
        "SELECT a.id, a.moderator_id, u.username AS moderator_username, a.action, a.target_type,"
        " a.target_id, a.reason, a.created_at"
        f" FROM moderation_actions a LEFT JOIN users u ON u.id = a.moderator_id{where}"
        " ORDER BY a.created_at DESC, a.id DESC LIMIT %(n)s",
        {**params, "n": limit},
    )


# The advisory lock the comments trigger takes shared per author bucket (migration 0067).
_COMMENT_AUTHOR_LOCK = 1668115060  # "cmnt"


def shift_author_comments(conn: Any, user_id: str, hidden: bool) -> int:
    """A suspension takes the author's counted comments out of comments_count (a restore puts
    them back): one delta per video, in the action's transaction. The exclusive bucket lock
    waits for comment changes by this author in flight and holds new ones until commit, so the
    trigger and this recount never both (or neither) count one. Answers the comments moved."""
    conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s::uuid::text) & 63)",
                 (_COMMENT_AUTHOR_LOCK, user_id))
    row = conn.execute(
        """
        WITH moved AS (
            INSERT INTO video_count_deltas (video_id, comments)
            SELECT c.video_id, %(sign)s * count(*) FROM video_comments c
            WHERE c.user_id = %(user)s AND c.video_id IS NOT NULL
              AND c.deleted_at IS NULL AND c.taken_down_at IS NULL
            GROUP BY c.video_id
            RETURNING comments
        )
        SELECT coalesce(sum(abs(comments)), 0)::int AS n FROM moved
        """,
        {"sign": -1 if hidden else 1, "user": user_id},
    ).fetchone()
    return row["n"]
