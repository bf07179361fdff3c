"""A buyer's payment orders, newest first, and the JSON of one order."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .. import cursors, timestamps
from ..gifts import money
from ..repo import payments as repo


def order(row: dict) -> Dict[str, Any]:
    amount_minor = row.get("amount_minor")
    return {
        "id": str(row["id"]),
        "transaction_id": str(row["id"]),
        "package_id": None if row["package_id"] is None else str(row["package_id"]),
        "package_name": row.get("package_name"),
        "coins_purchased": int(row["coins_purchased"]),
        "amount_usd": row["amount_usd"],
        "amount": None if amount_minor is None else money.coins_out(money.major(amount_minor)),
        "amount_minor": amount_minor,
        "currency": row.get("currency") or "USD",
        "payment_method": row["payment_provider"],
        "status": row["status"],
        "payment_url": row.get("payment_url"),
        "created_at": timestamps.iso(row["created_at"]),
        "credited_at": timestamps.iso(row.get("credited_at")),
    }


def list_for(user_id: str, limit: int) -> List[Dict[str, Any]]:
    return [order(row) for row in repo.history(user_id, limit)]


def page_for(user_id: str, limit: int, cursor: Optional[str]) -> Dict[str, Any]:
    scope = f"payments:{user_id}"
    after = None
    if cursor:
        position = cursors.decode(scope, cursor)
        after = (position.created_at, position.id)
    rows = repo.history(user_id, limit + 1, after)
    more = len(rows) > limit
    last = rows[limit - 1] if more else None
    return {"items": [order(row) for row in rows[:limit]],
            "next_cursor": cursors.encode(scope, last["created_at"], last["id"]) if last else None}
