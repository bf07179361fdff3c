"""The JSON of gifts, balances and packages, as the frontend reads them (FRONTEND.md 4-5):
the old backend's field names, coins as integers, times with their offset."""
from __future__ import annotations

from typing import Any, Dict, Optional

from .. import timestamps
from . import money


def gift_type(row: dict) -> Dict[str, Any]:
    return {"id": str(row["id"]), "name": row["name"], "emoji": row["emoji"],
            "coin_cost": int(row["coin_cost"]), "icon_url": None,
            "animation_url": row.get("animation_url")}


def _quantity(row: dict) -> int:
    if row.get("quantity"):
        return int(row["quantity"])
    cost = row.get("coin_cost")
    return max(1, int(row["coin_amount"]) // int(cost)) if cost else 1


def gift(row: dict) -> Dict[str, Any]:
    """A gift_transactions row (ours or the current backend's) joined with names."""
    return {
        "id": str(row["id"]),
        "sender_id": _str(row["sender_id"]),
        "recipient_id": _str(row["recipient_id"]),
        "gift_type_id": _str(row["gift_type_id"]),
        "video_id": _str(row["video_id"]),
        "live_session_id": _str(row["live_session_id"]),
        "amount": _quantity(row),
        "total_coins": int(row["coin_amount"]),
        "creator_earnings": money.coins_out(row["creator_earnings"]),
        "platform_fee": money.coins_out(row["platform_fee"]),
        "gift_name": row.get("gift_name"),
        "gift_emoji": row.get("gift_emoji"),
        "sender_username": row.get("sender_username"),
        "recipient_username": row.get("recipient_username"),
        "created_at": timestamps.iso(row["created_at"]),
    }


def new_gift(row: dict, gift_type_row: dict, created_at: Any, sender_balance: int,
             usernames: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    names = usernames or {}
    answer = gift({**row, "creator_earnings": row["creator"], "platform_fee": row["platform"],
                   "gift_name": gift_type_row["name"], "gift_emoji": gift_type_row["emoji"],
                   "coin_cost": gift_type_row["coin_cost"], "created_at": created_at,
                   "sender_username": names.get(row["sender_id"]),
                   "recipient_username": names.get(row["recipient_id"])})
    answer["coin_balance"] = sender_balance
    return answer


def balance(user_id: str, row: dict) -> Dict[str, Any]:
    return {"user_id": user_id, "coin_balance": int(row["coin_balance"] or 0),
            "total_earnings": money.coins_out(row["total_earnings"])}


def package(row: dict) -> Dict[str, Any]:
    price_minor = money.price_kes_minor(row)
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "coin_amount": int(row["coin_amount"]),
        "bonus_coins": money.bonus_coins(row),
        "total_coins": money.coins_for(row),
        "bonus_percentage": int(row.get("bonus_percentage") or 0),
        "price_usd": row["price_usd"],
        "price_kes": money.coins_out(money.major(price_minor)),
        "price_minor": price_minor,
        "currency": money.CURRENCY,
    }


def _str(value: Any) -> Optional[str]:
    return None if value is None else str(value)
