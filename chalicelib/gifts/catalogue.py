"""Reads: the gift catalogue, packages, balances, gift history (offset-free pages)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .. import cursors, db
from ..errors import Forbidden, NotFound
from ..repo import gifts as repo
from ..repo import payments as payments_repo
from . import shapes


def gift_types() -> List[Dict[str, Any]]:
    return [shapes.gift_type(row) for row in repo.gift_types()]


def packages() -> List[Dict[str, Any]]:
    return [shapes.package(row) for row in payments_repo.active_packages()]


def balance(caller_id: str, user_id: Optional[str] = None) -> Dict[str, Any]:
    """The caller's balance; another user's is 403 (balances are private)."""
    target = user_id or caller_id
    if target != caller_id:
        raise Forbidden("You can only see your own balance")
    row = db.fetch_one("SELECT coin_balance, total_earnings FROM users WHERE id = %s", (target,))
    if row is None:
        raise NotFound("User not found")
    return shapes.balance(target, row)


def _page(rows: List[dict], limit: int, scope: str, shape: Any) -> Dict[str, Any]:
    items = [shape(row) for row in rows[:limit]]
    more = len(rows) > limit
    last = rows[limit - 1] if more else None
    return {"items": items,
            "next_cursor": cursors.encode(scope, last["created_at"], last["id"]) if last else None}


def gift_history(user_id: str, limit: int, cursor: Optional[str] = None) -> Dict[str, Any]:
    """Gifts sent or received, newest first; {items, next_cursor}."""
    scope = f"gifts:{user_id}"
    after = None
    if cursor:
        position = cursors.decode(scope, cursor)
        after = (position.created_at, position.id)
    return _page(repo.history(user_id, limit + 1, after), limit, scope, shapes.gift)


def gift_history_list(user_id: str, limit: int) -> List[Dict[str, Any]]:
    return [shapes.gift(row) for row in repo.history(user_id, limit)]
