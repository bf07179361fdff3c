"""Payment routes (issue 14): coin packages, buying coins with PesaPal (M-Pesa) or Stripe
(cards), the providers' callbacks, and the buyer's payment history. Thin: parse, call
chalicelib.payments, answer privately (packages are public)."""
from __future__ import annotations

from chalice import Blueprint, Response

from .. import observability
from ..config import settings
from ..errors import DomainError
from ..gifts import catalogue
from ..gifts.sending import clean_key
from ..http import json_body, private_json, public_json, query, uuid_param
from ..payments import history as payment_history
from ..payments import orders, stripe_checkout
from . import cache_policies, paging
from .error_answers import status_of
from .identity import signed_in

bp = Blueprint(__name__)


@bp.route("/payments/packages", methods=["GET"])
def packages():
    return public_json(bp.current_request, catalogue.packages(), cache_policies.CATALOGUE)


@bp.route("/v1/payments/packages", methods=["GET"])
def v1_packages():
    body = {"items": catalogue.packages(), "next_cursor": None}
    return public_json(bp.current_request, body, cache_policies.CATALOGUE)


@bp.route("/payments/history", methods=["GET"])
def history():
    request = bp.current_request
    limit = paging.limit(request, 50, paging.COMPAT_MAX_LIMIT)
    user = signed_in(request)
    return private_json(payment_history.list_for(user.user_id, limit))


@bp.route("/v1/payments/history", methods=["GET"])
def v1_history():
    request = bp.current_request
    limit, cursor = paging.cursor_limit(request), paging.cursor(request)
    user = signed_in(request)
    return private_json(payment_history.page_for(user.user_id, limit, cursor))


def _purchase(required_key: bool):
    request = bp.current_request
    user = signed_in(request)
    package_id, provider, phone = orders.parse_purchase(json_body(request))
    key = clean_key(request.headers.get("idempotency-key"), required_key)
    email = user.claims.get("email") if isinstance(user.claims.get("email"), str) else None
    return orders.initiate(user.user_id, package_id, provider, key, phone, email)


@bp.route("/payments/purchase/initiate", methods=["POST"])
def initiate():
    order, _ = _purchase(required_key=False)
    return private_json(order)


@bp.route("/v1/payments/purchases", methods=["POST"])
def v1_purchase():
    order, created = _purchase(required_key=True)
    return private_json(order, status=201 if created else 200)


@bp.route("/v1/payments/{id}", methods=["GET"])
def v1_payment(id: str):  # noqa: A002 - the path parameter's name
    payment_id = uuid_param(id, "id")
    user = signed_in(bp.current_request)
    return private_json(orders.mine(user.user_id, payment_id))


def _pesapal(params: dict):
    tracking = params.get("OrderTrackingId")
    reference = params.get("OrderMerchantReference")
    kind = params.get("OrderNotificationType") or "IPNCHANGE"
    try:
        outcome = orders.pesapal_notified(tracking, reference)
    except DomainError as exc:
        observability.webhook_outcome(f"refused_{status_of(exc)}", source="pesapal")
        raise
    observability.webhook_outcome(outcome, source="pesapal")
    back = settings().payment_return_url
    if kind == "CALLBACKURL" and back:  # the buyer's browser, back from PesaPal's page
        return Response(body="", status_code=302,
                        headers={"Location": f"{back}?payment={reference}", "Cache-Control": "private, no-store"})
    return private_json({"orderNotificationType": kind, "orderTrackingId": tracking,
                         "orderMerchantReference": reference, "status": 200, "result": outcome})


@bp.route("/v1/webhooks/pesapal", methods=["GET"])
def pesapal_get():
    return _pesapal(dict(query(bp.current_request)))


@bp.route("/v1/webhooks/pesapal", methods=["POST"])
def pesapal_post():
    body = json_body(bp.current_request)
    return _pesapal({k: v for k, v in body.items() if isinstance(v, str)})


@bp.route("/v1/webhooks/stripe", methods=["POST"], content_types=["application/json"])
def stripe_webhook():
    request = bp.current_request
    try:
        answer = stripe_checkout.handle(request.raw_body or b"", request.headers.get("stripe-signature"))
    except DomainError as exc:
        observability.webhook_outcome(f"refused_{status_of(exc)}", source="stripe")
        raise
    observability.webhook_outcome(answer["result"], source="stripe")
    return private_json(answer)
