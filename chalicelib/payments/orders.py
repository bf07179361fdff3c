"""Starting a purchase, answering one order, and asking the provider about it.

The order row is written (pending, with the amount in KES cents) before the provider is
called, outside any database transaction; the provider's order id and payment page are
recorded after. A retried Idempotency-Key answers the same order (and its payment page)."""
from __future__ import annotations

import re
import uuid
from typing import Any, Dict, Optional, Tuple

from .. import db
from ..config import settings
from ..errors import BadRequest, Conflict, NotFound, ServiceUnavailable
from ..gifts import money
from ..repo import payments as repo
from . import history, pesapal, settle, stripe_checkout

_TRACKING_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")


def _base_url() -> str:
    cfg = settings()
    if not cfg.public_base_url:
        raise ServiceUnavailable("Payments need PUBLIC_BASE_URL (the providers call it back)")
    return cfg.public_base_url.rstrip("/")


def _check_configured(provider: str) -> None:
    ok = pesapal.configured() if provider == "pesapal" else stripe_checkout.configured()
    if not ok:
        raise ServiceUnavailable(f"{provider} payments are not configured")


def initiate(user_id: str, package_id: str, provider: str, key: Optional[str],
             phone: Optional[str] = None, email: Optional[str] = None) -> Tuple[dict, bool]:
    """(the order's JSON with payment_url, created)."""
    _check_configured(provider)
    base = _base_url()
    payment_id = str(uuid.uuid4())

    def work(conn: Any) -> Tuple[dict, bool]:
        if key:
            earlier = repo.order_by_key(conn, user_id, key)
            if earlier is not None:
                if (str(earlier["package_id"]), earlier["payment_provider"]) != (package_id, provider):
                    raise Conflict("Idempotency-Key was already used for another purchase")
                return earlier, False
        package = repo.package(conn, package_id)
        if package is None:
            raise NotFound("Coin package not found")
        repo.insert_order(conn, {
            "id": payment_id, "user_id": user_id, "package_id": package_id,
            "amount_usd": package["price_usd"], "coins": money.coins_for(package), "provider": provider,
            "amount_minor": money.price_kes_minor(package), "currency": money.CURRENCY, "key": key})
        return repo.order(conn, payment_id), True

    order, created = db.in_transaction(work)
    if order["provider_order_id"] is None:
        order = _submit(order, base, phone, email)
    return history.order(order), created


def _submit(order: dict, base: str, phone: Optional[str], email: Optional[str]) -> dict:
    payment_id = str(order["id"])
    description = f"TrendKe {order['package_name'] or 'coins'}: {order['coins_purchased']} coins"
    if order["payment_provider"] == "pesapal":
        answer = pesapal.submit_order(
            merchant_reference=payment_id, amount=money.major(order["amount_minor"]),
            currency=order["currency"], description=description,
            callback_url=f"{base}/v1/webhooks/pesapal", ipn_url=f"{base}/v1/webhooks/pesapal",
            email=email, phone=phone)
        order_id, url = answer["order_tracking_id"], answer["redirect_url"]
    else:
        order_id, url = stripe_checkout.create_session(order, description, base)
    repo.record_submission(payment_id, order_id, url)
    return {**order, "provider_order_id": order_id, "payment_url": url}


def observe(order: dict) -> settle.Observation:
    """Ask the order's provider what became of it."""
    if order["payment_provider"] == "pesapal":
        return pesapal_observation(order, pesapal.transaction_status(order["provider_order_id"]))
    return stripe_checkout.session_observation(order["provider_order_id"])


def pesapal_observation(order: dict, status: dict) -> settle.Observation:
    if str(status.get("merchant_reference") or order["id"]) != str(order["id"]):
        return settle.Observation("pending", detail="status names another order")
    code = status.get("status_code")
    state = pesapal.STATES.get(int(code) if isinstance(code, (int, str)) and str(code).isdigit() else -1, "pending")
    try:
        amount = money.minor_from(status["amount"]) if status.get("amount") is not None else None
    except (ValueError, ArithmeticError):
        amount = None
    return settle.Observation(state, amount, status.get("currency"), status.get("confirmation_code"),
                              status.get("payment_status_description"))


def check(payment_id: str) -> str:
    """Ask the provider and apply its answer (the poll, the IPN and the re-check job)."""
    order = db.run(lambda conn: repo.order(conn, payment_id))
    if order is None or order["provider_order_id"] is None:
        return "unknown"
    outcome = settle.apply(payment_id, observe(order))
    repo.note_check(payment_id, None)
    return outcome


def pesapal_notified(tracking_id: Optional[str], reference: Optional[str]) -> str:
    """An IPN or the browser's return: find the order, then ask GetTransactionStatus."""
    if not isinstance(tracking_id, str) or not _TRACKING_ID.fullmatch(tracking_id):
        raise BadRequest("OrderTrackingId is required (PesaPal's order tracking id)")
    try:
        reference = str(uuid.UUID(reference)) if isinstance(reference, str) else None
    except ValueError:
        reference = None
    if reference is None:
        raise BadRequest("OrderMerchantReference must be one of our order ids")
    order = db.run(lambda conn: repo.order_by_provider(conn, "pesapal", tracking_id))
    if order is None or str(order["id"]) != reference:
        raise NotFound("No such order")
    return check(str(order["id"]))


def mine(user_id: str, payment_id: str, refresh: bool = True) -> dict:
    order = db.run(lambda conn: repo.order(conn, payment_id))
    if order is None or str(order["user_id"]) != user_id:
        raise NotFound("Payment not found")
    if refresh and order["status"] == "pending" and order["provider_order_id"]:
        check(payment_id)
        order = db.run(lambda conn: repo.order(conn, payment_id))
    return history.order(order)
