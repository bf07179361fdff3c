"""A user's notifications: the list (the old backend's array and cursor pages), the unread
count, read and read-all. No HTTP here."""
from __future__ import annotations

import time
from typing import Any, Dict, List, Optional

from .. import cursors, db, timestamps
from ..errors import NotFound
from ..feed import Page
from ..repo import notifications as repo

READ_ALL_BATCH = 2_000
READ_ALL_BUDGET_S = 3.0  # then the materialiser job finishes it


def shape(row: Dict[str, Any]) -> Dict[str, Any]:
    return {"id": str(row["id"]), "user_id": str(row["user_id"]), "type": row["type"],
            "title": row["title"], "message": row["message"], "data": row["data"],
            "read": bool(row["is_read"]), "created_at": timestamps.iso(row["created_at"])}


def recent(user_id: str, limit: int, unread_only: bool) -> List[Dict[str, Any]]:
    return [shape(r) for r in repo.recent(user_id, limit, unread_only)]


def page(user_id: str, cursor: Optional[str], limit: int, unread_only: bool) -> Page:
    scope = f"notifications:{user_id}:{'unread' if unread_only else 'all'}"
    after = cursors.decode(scope, cursor) if cursor is not None else None
    rows = repo.recent(user_id, limit + 1, unread_only, after)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursors.encode(scope, rows[-1]["created_at"], rows[-1]["id"]) if more else None
    return Page([shape(r) for r in rows], next_cursor)


def unread_count(user_id: str) -> int:
    return repo.unread_count(user_id)


def mark_read(user_id: str, notification_id: str) -> bool:
    """True when this call marked it; False when it was read already. 404 for an unknown id
    and for another user's notification alike."""
    result = repo.mark_read(user_id, notification_id)
    if not result["found"]:
        raise NotFound("Notification not found")
    return bool(result["changed"])


def read_all(user_id: str, budget_s: float = READ_ALL_BUDGET_S, batch: int = READ_ALL_BATCH) -> Dict[str, Any]:
    """Mark every notification created up to now as read, in short batches (each its own
    transaction, so a big user's rows are never locked for long). What the budget leaves is
    handed to the materialiser job, which finishes it within seconds."""
    up_to = db.run(repo.now_utc)
    deadline = time.monotonic() + budget_s
    marked = 0
    while True:
        done = db.in_transaction(lambda conn: repo.read_batch(conn, user_id, up_to, batch))
        marked += done
        if done < batch:
            return {"marked": marked, "finished": True}
        if time.monotonic() >= deadline:
            db.in_transaction(lambda conn: repo.request_read_all(conn, user_id, up_to))
            return {"marked": marked, "finished": False}


def continue_read_alls(budget_s: float = 10.0, batch: int = READ_ALL_BATCH, users: int = 20) -> int:
    """The materialiser job's part: finish read-alls their requests left. Answers rows marked."""
    deadline = time.monotonic() + budget_s
    marked = 0
    for request in db.in_transaction(lambda conn: repo.pending_read_alls(conn, users)):
        while time.monotonic() < deadline:
            done = db.in_transaction(
                lambda conn: repo.read_batch(conn, str(request["user_id"]), request["up_to"], batch))
            marked += done
            if done < batch:
                db.in_transaction(lambda conn: repo.finish_read_all(conn, str(request["user_id"]), request["up_to"]))
                break
    return marked
