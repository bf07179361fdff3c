"""Buying coins by card with Stripe Checkout (issue 14): the session is created through the
SDK against a loopback stand-in, webhooks are signed with Stripe's scheme and verified by
stripe.Webhook.construct_event on the raw body; forged, stale, replayed and mismatched events
credit nothing more."""
from __future__ import annotations

import json
import threading
import time

import pytest

from tests.conftest import auth_headers
from tests.support.gift_kit import ledger_report, seed_catalogue
from tests.support.stripe_standin import API_KEY, WEBHOOK_SECRET, event, sign, stripe_standin


@pytest.fixture
def stripe_api(settings_env):
    with stripe_standin() as (standin, base):
        settings_env(STRIPE_API_BASE=base, STRIPE_SECRET_KEY=API_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
                     PUBLIC_BASE_URL="https://api.trendke.test", KES_PER_USD="130",
                     PAYMENT_RECHECK_AFTER_S="0")
        yield standin


@pytest.fixture
def buyer(make_user):
    return make_user("card_buyer")


def buy(client, sql, buyer):
    package = seed_catalogue(sql)["packages"]["Premium Pack"]  # 2,500 + 625 bonus, KES 2,599
    answer = client.http.post("/v1/payments/purchases", headers={
        **auth_headers(buyer["id"]), "Content-Type": "application/json", "Idempotency-Key": "card-1"},
        body=json.dumps({"coin_package_id": package, "payment_method": "card"}))
    assert answer.status_code == 201, answer.body
    return json.loads(answer.body)


def deliver(client, payload: str, signature: str):
    return client.http.post("/v1/webhooks/stripe", body=payload,
                            headers={"Content-Type": "application/json", "Stripe-Signature": signature})


def coins(sql, user) -> int:
    return sql("SELECT coin_balance FROM users WHERE id = %s", (user["id"],))[0]["coin_balance"]


def test_checkout_session_url_is_the_payment_url(client, sql, stripe_api, buyer):
    order = buy(client, sql, buyer)
    assert order["payment_url"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    session = next(iter(stripe_api.sessions.values()))
    assert (session["amount_total"], session["currency"], session["client_reference_id"]) == (259900, "kes", order["id"])


def test_a_signed_completed_event_credits_once_however_often_delivered(client, sql, stripe_api, buyer, chalice_app):
    from chalicelib import db
    from tests.support.lambda_events import LambdaContext, api_gateway_event

    order = buy(client, sql, buyer)
    session = stripe_api.pay(next(iter(stripe_api.sessions)))
    payload = event("checkout.session.completed", session)
    events = [api_gateway_event("POST", "/v1/webhooks/stripe", body=payload, headers={
        "Content-Type": "application/json", "Stripe-Signature": sign(payload)}) for _ in range(10)]
    statuses, barrier = [], threading.Barrier(10)

    def one(e):
        barrier.wait()
        try:
            statuses.append(chalice_app(e, LambdaContext())["statusCode"])
        finally:
            db.close()

    threads = [threading.Thread(target=one, args=(e,)) for e in events]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert statuses == [200] * 10
    poll = client.http.get(f"/v1/payments/{order['id']}", headers=auth_headers(buyer["id"]))
    assert json.loads(poll.body)["status"] == "completed"
    assert coins(sql, buyer) == 3125
    assert ledger_report().ok


@pytest.mark.parametrize("forge", ["wrong_secret", "stale", "edited", "missing"])
def test_forged_or_stale_events_are_401_and_credit_nothing(client, sql, stripe_api, buyer, forge):
    buy(client, sql, buyer)
    payload = event("checkout.session.completed", stripe_api.pay(next(iter(stripe_api.sessions))))
    signature = {"wrong_secret": sign(payload, "whsec_other"), "stale": sign(payload, at=int(time.time()) - 3600),
                 "edited": sign(payload), "missing": ""}[forge]
    if forge == "edited":
        payload = payload.replace('"amount_total": 259900', '"amount_total": 1')
    answer = deliver(client, payload, signature)
    assert answer.status_code == 401
    assert coins(sql, buyer) == 0


def test_an_amount_mismatch_is_not_credited(client, sql, stripe_api, buyer):
    buy(client, sql, buyer)
    session = {**stripe_api.pay(next(iter(stripe_api.sessions))), "amount_total": 100}
    payload = event("checkout.session.completed", session)
    assert json.loads(deliver(client, payload, sign(payload)).body)["result"] == "amount_mismatch"
    assert coins(sql, buyer) == 0


def test_the_poll_credits_without_a_webhook_and_a_refund_claws_back(client, sql, stripe_api, buyer):
    order = buy(client, sql, buyer)
    session = stripe_api.pay(next(iter(stripe_api.sessions)))
    from chalicelib.payments import recheck

    assert recheck.run().get("credited") == 1
    assert coins(sql, buyer) == 3125
    charge = {"id": "ch_1", "object": "charge", "payment_intent": session["payment_intent"],
              "amount": 259900, "amount_refunded": 259900}
    payload = event("charge.refunded", charge)
    assert json.loads(deliver(client, payload, sign(payload)).body)["result"] == "clawed_back"
    assert json.loads(deliver(client, payload, sign(payload)).body)["result"] == "duplicate"
    assert coins(sql, buyer) == 0
    assert sql("SELECT status FROM payment_transactions WHERE id = %s", (order["id"],))[0]["status"] == "refunded"
    report = ledger_report()
    assert report.ok, report.lines()
