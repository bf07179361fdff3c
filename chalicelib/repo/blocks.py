"""SQL for user_blocks (issue 16): who blocked whom, and the checks the writes make."""
from __future__ import annotations

from typing import Any, Iterable, List, Set, Tuple

from .. import db

# A condition on two id expressions: either has blocked the other (primary key / index probes).
def between(a: str, b: str) -> str:
    return (f"EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = {a} AND b.blocked_id = {b})"
            f" OR (b.blocker_id = {b} AND b.blocked_id = {a}))")


def either_blocked(conn: Any, a: str, b: str) -> bool:
    return conn.execute(f"SELECT {between('%(a)s::uuid', '%(b)s::uuid')} AS blocked",
                        {"a": a, "b": b}).fetchone()["blocked"]


def block(conn: Any, blocker_id: str, blocked_id: str) -> dict:
    return conn.execute(
        """
        WITH target AS (SELECT id FROM users WHERE id = %(blocked)s),
        added AS (
            INSERT INTO user_blocks (blocker_id, blocked_id) SELECT %(blocker)s, id FROM target
            ON CONFLICT DO NOTHING RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM added) AS changed
        """,
        {"blocker": blocker_id, "blocked": blocked_id},
    ).fetchone()


def unblock(conn: Any, blocker_id: str, blocked_id: str) -> bool:
    return conn.execute("DELETE FROM user_blocks WHERE blocker_id = %s AND blocked_id = %s",
                        (blocker_id, blocked_id)).rowcount > 0


def blocked_by(user_id: str) -> List[str]:
    rows = db.fetch_all("SELECT blocked_id::text AS id FROM user_blocks WHERE blocker_id = %s"
                        " ORDER BY created_at DESC, blocked_id", (user_id,))
    return [r["id"] for r in rows]


def blocked_pairs(conn: Any, pairs: Iterable[Tuple[str, str]]) -> Set[frozenset]:
    """Of these (a, b) pairs, those where either has blocked the other; one statement."""
    pairs = list({(str(a), str(b)) for a, b in pairs})
    if not pairs:
        return set()
    rows = conn.execute(
        """
        SELECT b.blocker_id::text AS a, b.blocked_id::text AS b
        FROM unnest(%(a)s::uuid[], %(b)s::uuid[]) AS p(x, y)
        JOIN user_blocks b ON (b.blocker_id = p.x AND b.blocked_id = p.y)
                           OR (b.blocker_id = p.y AND b.blocked_id = p.x)
        """,
        {"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]},
    ).fetchall()
    return {frozenset((r["a"], r["b"])) for r in rows}
