"""Payment routes (issue 14): coin packages, buying coins with PesaPal (M-Pesa) or Stripe
(cards), the providers' callbacks, and the buyer's payment history. Thin: the declarations
decode (chalicelib/schema/money.py), chalicelib.payments does the work; answers are private
(packages are public).

The callbacks are WEBHOOK routes with no declared body: Stripe's signature is over the raw
bytes, and PesaPal's POST carries whatever keys it likes (the string values are read), so
the declaration does not decode them and their bodies are not documented.
"""
from __future__ import annotations

from typing import List

from chalice import Blueprint, Response

from ..lazy import lazy
from .. import observability
from ..config import settings
from ..errors import DomainError
from ..http import json_body
from ..schema import money
from ..schema.common import IdPath
from .error_answers import status_of
from .declare import SIGNED_IN, WEBHOOK, Call, Header, Reply, endpoint
from .gifts import KEY, KEY_REQUIRED, catalogue_routes, history_routes

catalogue = lazy("chalicelib.gifts.catalogue")
sending = lazy("chalicelib.gifts.sending")
orders = lazy("chalicelib.payments.orders")
payment_history = lazy("chalicelib.payments.history")
stripe_checkout = lazy("chalicelib.payments.stripe_checkout")

bp = Blueprint(__name__)
TAG = "payments"
ACK = dict  # the providers' acknowledgement: any JSON object


catalogue_routes(bp, "/payments/packages", "/v1/payments/packages", "packages",
                 summary="Coin packages", tag=TAG,
                 item=money.CoinPackage, page=money.CoinPackagePage, read=catalogue.packages)


history_routes(bp, "/payments/history", "/v1/payments/history", "payment_history", tag=TAG,
               summary="The caller's orders, newest first", item=money.PaymentOrder,
               page=money.PaymentOrderPage,
               read_list=payment_history.list_for, read_page=payment_history.page_for)


def _purchase(call: Call, required_key: bool):
    key = sending.clean_key(call.header("Idempotency-Key"), required_key)
    claims = call.user.claims
    email = claims.get("email") if isinstance(claims.get("email"), str) else None
    body = call.body
    return orders.initiate(call.user_id, str(body.coin_package_id), body.payment_method, key,
                           body.phone_number, email)


@endpoint(bp, "POST", "/payments/purchase/initiate", tag=TAG, auth=SIGNED_IN,
          summary="Start buying a package (the current frontend's route)",
          body=money.Purchase, answer=money.PaymentOrder, headers=(KEY,),
          errors=(404, 409, 502), description="Answers `payment_url`, the provider's page to pay on.")
def initiate(call: Call):
    order, _ = _purchase(call, required_key=False)
    return order


@endpoint(bp, "POST", "/v1/payments/purchases", summary="Start buying a package", tag=TAG, auth=SIGNED_IN,
          body=money.Purchase, answer=money.PaymentOrder, status=201, also_ok=(200,),
          headers=(KEY_REQUIRED,), errors=(404, 409, 502))
def v1_purchase(call: Call):
    order, created = _purchase(call, required_key=True)
    return Reply(order, status=201 if created else 200)


@endpoint(bp, "GET", "/v1/payments/{id}", tag=TAG, auth=SIGNED_IN,
          summary="One of the caller's orders (re-checked with the provider while pending)",
          params=IdPath, answer=money.PaymentOrder, errors=(404, 502))
def v1_payment(call: Call):
    return orders.mine(call.user_id, str(call.path.id))


def _pesapal(tracking, reference, kind):
    kind = kind or "IPNCHANGE"
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
    return {"orderNotificationType": kind, "orderTrackingId": tracking,
            "orderMerchantReference": reference, "status": 200, "result": outcome}


@endpoint(bp, "GET", "/v1/webhooks/pesapal", summary="PesaPal's IPN (GET) and the browser's return (callback)",
          tag=TAG, auth=WEBHOOK, query=money.PesapalCallback, answer=ACK, errors=(404, 502),
          description="Proves nothing by itself: the order's status is read from GetTransactionStatus.")
def pesapal_get(call: Call):
    q = call.query
    return _pesapal(q.OrderTrackingId, q.OrderMerchantReference, q.OrderNotificationType)


@endpoint(bp, "POST", "/v1/webhooks/pesapal", summary="PesaPal's IPN (POST)", tag=TAG, auth=WEBHOOK,
          answer=ACK, errors=(400, 404, 502))
def pesapal_post(call: Call):
    body = {k: v for k, v in json_body(call.request).items() if isinstance(v, str)}
    return _pesapal(body.get("OrderTrackingId"), body.get("OrderMerchantReference"),
                    body.get("OrderNotificationType"))


@endpoint(bp, "POST", "/v1/webhooks/stripe", tag=TAG, auth=WEBHOOK,
          summary="Stripe's events (Stripe-Signature checked on the raw body)",
          answer=ACK, errors=(400, 401),
          headers=(Header("Stripe-Signature", required=True),))
def stripe_webhook(call: Call):
    request = call.request
    try:
        answer = stripe_checkout.handle(request.raw_body or b"", call.header("Stripe-Signature"))
    except DomainError as exc:
        observability.webhook_outcome(f"refused_{status_of(exc)}", source="stripe")
        raise
    observability.webhook_outcome(answer["result"], source="stripe")
    return answer
