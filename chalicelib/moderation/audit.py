"""The moderators' audit log as a list: who did what to which target, when and why."""
from __future__ import annotations

from typing import Optional

from .. import cursors, timestamps
from ..feed import Page
from ..repo import moderation as repo


def _scope(filters: dict) -> str:
    # A cursor belongs to one filtered list: another filter's cursor is a 400.
    return "audit:" + ":".join(str(filters.get(k) or "") for k in ("target_type", "target_id", "moderator_id"))


def log(filters: dict, cursor: Optional[str], limit: int) -> Page:
    scope = _scope(filters)
    after = cursors.decode(scope, cursor) if cursor is not None else None
    rows = repo.audit_page(filters, after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [{
        "id": str(r["id"]), "moderator_id": str(r["moderator_id"]),
        "moderator_username": r["moderator_username"], "action": r["action"],
        "target_type": r["target_type"], "target_id": str(r["target_id"]), "reason": r["reason"],
        "created_at": timestamps.iso(r["created_at"]),
    } for r in rows]
    next_cursor = cursors.encode(scope, rows[-1]["created_at"], rows[-1]["id"]) if more else None
    return Page(items, next_cursor)
