"""Stripe Checkout (cards): a Checkout Session per order, and Stripe's signed events.

- The session is created with the SDK (`StripeClient`, STRIPE_API_BASE overrides the address:
  the tests point it at a loopback stand-in), in KES cents, `client_reference_id` and
  `metadata.payment_id` = our order id, and the SDK's Idempotency-Key `checkout:<order id>`.
- A webhook is verified with `stripe.Webhook.construct_event` on the raw body (the
  Stripe-Signature HMAC-SHA256 with STRIPE_WEBHOOK_SECRET, 5 minutes of tolerance: a stale or
  replayed-late delivery fails), then read as plain JSON with Decimal numbers.
- `checkout.session.completed` / `async_payment_succeeded` with `payment_status: paid`
  credit (amount_total and currency checked against the order); `async_payment_failed` and
  `expired` fail it; `charge.refunded` (in full) and `charge.dispute.created` claw back.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Optional, Tuple

from .. import db
from ..config import settings
from ..errors import BadGateway, BadRequest, ServiceUnavailable, Unauthorized
from ..repo import payments as repo
from . import settle

TOLERANCE_S = 300


def configured() -> bool:
    return bool(settings().secret("STRIPE_SECRET_KEY"))


def _client() -> Any:
    import stripe

    key = settings().secret("STRIPE_SECRET_KEY")
    if not key:
        raise ServiceUnavailable("Card payments are not configured (STRIPE_SECRET_KEY)")
    base = settings().stripe_api_base
    return stripe.StripeClient(key, base_addresses={"api": base} if base else None, max_network_retries=1)


def create_session(order: dict, description: str, base_url: str) -> Tuple[str, str]:
    import stripe

    payment_id = str(order["id"])
    back = settings().payment_return_url or base_url
    params = {
        "mode": "payment",
        "client_reference_id": payment_id,
        "metadata": {"payment_id": payment_id},
        "payment_intent_data": {"metadata": {"payment_id": payment_id}},
        "line_items": [{"quantity": 1, "price_data": {
            "currency": order["currency"].lower(), "unit_amount": int(order["amount_minor"]),
            "product_data": {"name": description}}}],
        "success_url": f"{back}?payment={payment_id}&status=success",
        "cancel_url": f"{back}?payment={payment_id}&status=cancelled",
    }
    try:
        session = _client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"checkout:{payment_id}"})
    except stripe.StripeError as exc:
        raise BadGateway(f"Stripe refused the checkout session: {exc.user_message or type(exc).__name__}") from exc
    if not session.id or not session.url:
        raise BadGateway("Stripe gave no session id or URL")
    return session.id, session.url


def _session_state(session: Any) -> settle.Observation:
    get = session.get if isinstance(session, dict) else (lambda k, d=None: getattr(session, k, d))
    amount, currency = get("amount_total"), get("currency")
    if get("payment_status") in ("paid", "no_payment_required") and get("status") == "complete":
        return settle.Observation("completed", int(amount) if amount is not None else None,
                                  (currency or "").upper(), get("payment_intent"), "paid by card")
    if get("status") == "expired":
        return settle.Observation("failed", detail="checkout session expired")
    return settle.Observation("pending")


def session_observation(session_id: str) -> settle.Observation:
    import stripe

    try:
        return _session_state(_client().v1.checkout.sessions.retrieve(session_id))
    except stripe.StripeError as exc:
        raise BadGateway(f"Stripe did not answer ({type(exc).__name__})") from exc


def verify(raw_body: bytes, signature: Optional[str]) -> dict:
    """The event, if Stripe signed these exact bytes within the tolerance; else 401."""
    import stripe

    secret = settings().secret("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise ServiceUnavailable("Stripe events cannot be verified (STRIPE_WEBHOOK_SECRET)")
    if not signature:
        raise Unauthorized("Missing Stripe-Signature")
    try:
        text = raw_body.decode("utf-8")
        stripe.Webhook.construct_event(text, signature, secret, tolerance=TOLERANCE_S)
        event = json.loads(text, parse_float=Decimal)
    except stripe.SignatureVerificationError:
        raise Unauthorized("Invalid or stale Stripe-Signature") from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("Stripe event body must be JSON") from None
    if not isinstance(event, dict) or not isinstance((event.get("data") or {}).get("object"), dict):
        raise BadRequest("Not a Stripe event")
    return event


def _order_for_session(session: dict) -> Optional[dict]:
    order = db.run(lambda conn: repo.order_by_provider(conn, "stripe", str(session.get("id"))))
    reference = session.get("client_reference_id") or (session.get("metadata") or {}).get("payment_id")
    if order is None or str(order["id"]) != str(reference):
        return None
    return order


def handle(raw_body: bytes, signature: Optional[str]) -> dict:
    event = verify(raw_body, signature)
    kind, obj = event.get("type"), event["data"]["object"]
    if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded",
                "checkout.session.async_payment_failed", "checkout.session.expired"):
        order = _order_for_session(obj)
        if order is None:
            return {"received": True, "result": "unknown"}
        obs = _session_state(obj)
        if kind == "checkout.session.async_payment_failed":
            obs = settle.Observation("failed", detail="asynchronous payment failed")
        return {"received": True, "result": settle.apply(str(order["id"]), obs)}
    if kind in ("charge.refunded", "charge.dispute.created"):
        intent = obj.get("payment_intent") if kind == "charge.refunded" else obj.get("payment_intent")
        order = db.run(lambda conn: repo.order_by_provider_payment(conn, str(intent))) if intent else None
        if order is None:
            return {"received": True, "result": "unknown"}
        if kind == "charge.refunded" and obj.get("amount_refunded") != obj.get("amount"):
            return {"received": True, "result": "partial_refund_ignored"}
        obs = settle.Observation("reversed", detail=kind,
                                 reversal_kind="chargeback" if kind == "charge.dispute.created" else "refund")
        return {"received": True, "result": settle.apply(str(order["id"]), obs)}
    return {"received": True, "result": "ignored"}
