"""SQL of coin_packages and payment_transactions (the purchase orders)."""
from __future__ import annotations

from typing import Any, List, Optional

from .. import db
from ..timestamps import NOW_UTC

PACKAGE_COLUMNS = "id, name, coin_amount, price_usd, bonus_percentage, price_kes_minor"
PAYMENT_COLUMNS = """
p.id, p.user_id, p.package_id, p.amount_usd, p.coins_purchased, p.payment_provider,
p.transaction_id, p.status, p.created_at, p.amount_minor, p.currency, p.provider_order_id,
p.provider_payment_id, p.payment_url, p.idempotency_key, p.status_detail, p.credited_at,
p.reversed_at, p.checked_at, p.check_count, c.name AS package_name
"""


def active_packages() -> List[dict]:
    return db.fetch_all(f"SELECT {PACKAGE_COLUMNS} FROM coin_packages WHERE is_active IS NOT FALSE"
                        " ORDER BY price_usd, coin_amount")


def package(conn: Any, package_id: str) -> Optional[dict]:
    return conn.execute(f"SELECT {PACKAGE_COLUMNS} FROM coin_packages WHERE id = %s"
                        " AND is_active IS NOT FALSE", (package_id,)).fetchone()


def insert_order(conn: Any, row: dict) -> dict:
    return conn.execute(
        "INSERT INTO payment_transactions (id, user_id, package_id, amount_usd, coins_purchased,"
        " payment_provider, status, amount_minor, currency, idempotency_key, created_at)"
        " VALUES (%(id)s, %(user_id)s, %(package_id)s, %(amount_usd)s, %(coins)s, %(provider)s,"
        f" 'pending', %(amount_minor)s, %(currency)s, %(key)s, {NOW_UTC})"
        " ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
        " RETURNING id", row).fetchone()


def order(conn: Any, payment_id: str, lock: bool = False) -> Optional[dict]:
    suffix = " FOR NO KEY UPDATE OF p" if lock else ""
    return conn.execute(f"SELECT {PAYMENT_COLUMNS} FROM payment_transactions p"
                        f" LEFT JOIN coin_packages c ON c.id = p.package_id WHERE p.id = %s{suffix}",
                        (payment_id,)).fetchone()


def order_by_key(conn: Any, user_id: str, key: str) -> Optional[dict]:
    return conn.execute(f"SELECT {PAYMENT_COLUMNS} FROM payment_transactions p"
                        " LEFT JOIN coin_packages c ON c.id = p.package_id"
                        " WHERE p.user_id = %s AND p.idempotency_key = %s", (user_id, key)).fetchone()


def order_by_provider(conn: Any, provider: str, order_id: str) -> Optional[dict]:
    return conn.execute(f"SELECT {PAYMENT_COLUMNS} FROM payment_transactions p"
                        " LEFT JOIN coin_packages c ON c.id = p.package_id"
                        " WHERE p.payment_provider = %s AND p.provider_order_id = %s",
                        (provider, order_id)).fetchone()


def order_by_provider_payment(conn: Any, payment_ref: str) -> Optional[dict]:
    return conn.execute(f"SELECT {PAYMENT_COLUMNS} FROM payment_transactions p"
                        " LEFT JOIN coin_packages c ON c.id = p.package_id"
                        " WHERE p.provider_payment_id = %s", (payment_ref,)).fetchone()


def record_submission(payment_id: str, order_id: str, payment_url: str) -> None:
    db.execute("UPDATE payment_transactions SET provider_order_id = %s, payment_url = %s"
               " WHERE id = %s AND provider_order_id IS NULL", (order_id, payment_url, payment_id))


def set_status(conn: Any, payment_id: str, frm: tuple, to: str, detail: Optional[str],
               **stamps: Any) -> Optional[dict]:
    """Move an order from one of the states `frm` to `to` (one guarded UPDATE: of concurrent
    deliveries only one moves it); the row, or None when it was in none of them."""
    sets = ["status = %(to)s", "status_detail = coalesce(%(detail)s, status_detail)"]
    for column in ("credited_at", "reversed_at"):
        if stamps.get(column):
            sets.append(f"{column} = now()")
    for column in ("transaction_id", "provider_payment_id"):
        if stamps.get(column):
            sets.append(f"{column} = coalesce({column}, %({column})s)")
    return conn.execute(
        f"UPDATE payment_transactions SET {', '.join(sets)} WHERE id = %(id)s AND status = ANY(%(frm)s)"
        " RETURNING id, user_id, coins_purchased",
        {"id": payment_id, "frm": list(frm), "to": to, "detail": detail, **stamps}).fetchone()


def note_check(payment_id: str, detail: Optional[str]) -> None:
    db.execute("UPDATE payment_transactions SET checked_at = now(), check_count = check_count + 1,"
               " status_detail = coalesce(%s, status_detail) WHERE id = %s", (detail, payment_id))


def pending_due(older_than_s: int, younger_than_s: int, limit: int) -> List[dict]:
    return db.fetch_all(
        "SELECT id, payment_provider, provider_order_id, check_count FROM payment_transactions"
        f" WHERE status = 'pending' AND provider_order_id IS NOT NULL"
        f" AND created_at < {NOW_UTC} - make_interval(secs => %s)"
        f" AND created_at > {NOW_UTC} - make_interval(secs => %s)"
        " AND (checked_at IS NULL OR checked_at < now() - make_interval(secs =>"
        "      least(3600, 60 * power(2, least(check_count, 6)))))"
        " ORDER BY created_at LIMIT %s", (older_than_s, younger_than_s, limit))


def expire_abandoned(older_than_s: int) -> int:
    return db.execute(
        "UPDATE payment_transactions SET status = 'failed', status_detail = 'abandoned: never paid'"
        f" WHERE status = 'pending' AND created_at < {NOW_UTC} - make_interval(secs => %s)",
        (older_than_s,))


def history(user_id: str, limit: int, after: Optional[tuple] = None) -> List[dict]:
    cond = " AND (p.created_at, p.id) < (%s, %s::uuid)" if after else ""
    params: list = [user_id, *(after or ()), limit]
    return db.fetch_all(f"SELECT {PAYMENT_COLUMNS} FROM payment_transactions p"
                        " LEFT JOIN coin_packages c ON c.id = p.package_id"
                        f" WHERE p.user_id = %s{cond} ORDER BY p.created_at DESC, p.id DESC LIMIT %s",
                        params)
