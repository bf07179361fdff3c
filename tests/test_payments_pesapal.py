"""Buying coins with PesaPal (M-Pesa) against a loopback stand-in of API 3.0 (issue 14):
a real payment_url, credited once whatever the callbacks, confirmed with
GetTransactionStatus, forged / mismatched callbacks credit nothing, reversals claw back."""
from __future__ import annotations

import json
import threading

import pytest

from chalicelib.payments import pesapal
from tests.conftest import auth_headers
from tests.support.gift_kit import ledger_report, seed_catalogue
from tests.support.pesapal_standin import KEY, SECRET, pesapal_standin


@pytest.fixture
def provider(settings_env):
    with pesapal_standin() as (standin, base):
        settings_env(PESAPAL_API_BASE=base, PESAPAL_CONSUMER_KEY=KEY, PESAPAL_CONSUMER_SECRET=SECRET,
                     PUBLIC_BASE_URL="https://api.trendke.test", KES_PER_USD="130",
                     PAYMENT_RECHECK_AFTER_S="0")
        pesapal.forget()
        yield standin
        pesapal.forget()


@pytest.fixture
def buyer(make_user):
    return make_user("buyer", coin_balance=0)


def buy(client, sql, buyer, package="Popular Pack", **headers):
    catalogue = seed_catalogue(sql)
    answer = client.http.post("/payments/purchase/initiate", headers={
        **auth_headers(buyer["id"]), "Content-Type": "application/json", **headers},
        body=json.dumps({"coin_package_id": catalogue["packages"][package], "payment_method": "pesapal"}))
    assert answer.status_code == 200, answer.body
    return json.loads(answer.body)


def ipn(client, standin, order, method="GET"):
    tracking = next(t for t, o in standin.orders.items() if o["id"] == order["transaction_id"])
    params = f"OrderTrackingId={tracking}&OrderMerchantReference={order['transaction_id']}&OrderNotificationType=IPNCHANGE"
    return client.http.get(f"/v1/webhooks/pesapal?{params}"), tracking


def coins(sql, user) -> int:
    return sql("SELECT coin_balance FROM users WHERE id = %s", (user["id"],))[0]["coin_balance"]


def test_packages_show_kes_prices_and_bonus_coins(client, sql, settings_env):
    settings_env(KES_PER_USD="130")
    seed_catalogue(sql)
    packages = {p["name"]: p for p in json.loads(client.http.get("/payments/packages").body)}
    assert (packages["Popular Pack"]["price_kes"], packages["Popular Pack"]["bonus_coins"]) == (649, 50)
    assert packages["Starter Pack"]["price_kes"] == 129 and packages["Starter Pack"]["bonus_coins"] == 0


def test_initiate_answers_pesapals_redirect_url_and_records_a_pending_order(client, sql, provider, buyer):
    order = buy(client, sql, buyer)
    assert order["payment_url"].startswith("https://cybqa.pesapal.com/")
    assert (order["status"], order["coins_purchased"], order["amount_minor"], order["currency"]) == (
        "pending", 550, 64900, "KES")
    submitted = provider.by_reference(order["transaction_id"])
    assert (submitted["amount"], submitted["currency"]) == ("649", "KES")
    assert submitted["callback_url"] == "https://api.trendke.test/v1/webhooks/pesapal"
    assert coins(sql, buyer) == 0


def test_an_ipn_alone_credits_nothing_until_pesapal_says_completed(client, sql, provider, buyer):
    order = buy(client, sql, buyer)
    answer, tracking = ipn(client, provider, order)
    assert answer.status_code == 200 and json.loads(answer.body)["result"] == "pending"
    assert coins(sql, buyer) == 0
    provider.set_status(tracking, 1)
    assert json.loads(ipn(client, provider, order)[0].body)["result"] == "credited"
    assert coins(sql, buyer) == 550
    assert ledger_report().ok


def test_ten_concurrent_ipns_plus_polls_credit_once(client, sql, provider, buyer, chalice_app):
    from chalicelib import db
    from tests.support.lambda_events import LambdaContext, api_gateway_event

    order = buy(client, sql, buyer)
    tracking = next(t for t, o in provider.orders.items() if o["id"] == order["transaction_id"])
    provider.set_status(tracking, 1)
    query = {"OrderTrackingId": tracking, "OrderMerchantReference": order["transaction_id"],
             "OrderNotificationType": "IPNCHANGE"}
    events = [api_gateway_event("GET", "/v1/webhooks/pesapal", query=query) for _ in range(10)]
    events += [api_gateway_event("GET", f"/v1/payments/{order['id']}", resource="/v1/payments/{id}",
                                 path_parameters={"id": order["id"]}, headers=auth_headers(buyer["id"]))
               for _ in range(3)]
    statuses, barrier = [], threading.Barrier(len(events))

    def one(event):
        barrier.wait()
        try:
            statuses.append(chalice_app(event, LambdaContext())["statusCode"])
        finally:
            db.close()

    threads = [threading.Thread(target=one, args=(e,)) for e in events]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert statuses == [200] * len(events)
    assert coins(sql, buyer) == 550
    assert sql("SELECT count(*) AS n FROM ledger_transactions WHERE kind = 'purchase'")[0]["n"] == 1
    from chalicelib.payments import recheck
    recheck.run()
    assert coins(sql, buyer) == 550
    assert ledger_report().ok


def test_forged_ipns_credit_nothing(client, sql, provider, buyer, make_user):
    order = buy(client, sql, buyer)
    _, tracking = ipn(client, provider, order)
    other = buy(client, sql, make_user("other_buyer"), package="Starter Pack")
    # The real tracking id with another order's reference; an invented tracking id.
    mixed = client.http.get(f"/v1/webhooks/pesapal?OrderTrackingId={tracking}&OrderMerchantReference={other['transaction_id']}")
    invented = client.http.get(f"/v1/webhooks/pesapal?OrderTrackingId=nope&OrderMerchantReference={order['transaction_id']}")
    assert (mixed.status_code, invented.status_code) == (404, 404)
    assert coins(sql, buyer) == 0 and ledger_report().entries == 0


def test_an_amount_or_currency_mismatch_is_not_credited(client, sql, provider, buyer):
    order = buy(client, sql, buyer)
    _, tracking = ipn(client, provider, order)
    provider.set_status(tracking, 1, amount=1.0)
    assert json.loads(ipn(client, provider, order)[0].body)["result"] == "amount_mismatch"
    assert coins(sql, buyer) == 0
    order2 = buy(client, sql, buyer, package="Starter Pack")
    _, tracking2 = ipn(client, provider, order2)
    provider.set_status(tracking2, 1, currency="USD")
    assert json.loads(ipn(client, provider, order2)[0].body)["result"] == "amount_mismatch"
    assert coins(sql, buyer) == 0
    assert sql("SELECT count(*) AS n FROM payment_transactions WHERE status = 'failed'")[0]["n"] == 2


def test_a_failed_payment_credits_nothing_and_a_reversal_claws_back(client, sql, provider, buyer, make_user, settings_env):
    order = buy(client, sql, buyer)
    _, tracking = ipn(client, provider, order)
    provider.set_status(tracking, 2)
    assert json.loads(ipn(client, provider, order)[0].body)["result"] == "failed"
    assert coins(sql, buyer) == 0
    good = buy(client, sql, buyer, package="Value Pack")  # 1,200 + 240 bonus
    _, tracking = ipn(client, provider, good)
    provider.set_status(tracking, 1)
    ipn(client, provider, good)
    assert coins(sql, buyer) == 1440
    # Spend some, then the payment is reversed: what is left is clawed back, the rest is a loss.
    creator = make_user("creator_x")
    rocket = sql("SELECT id FROM gift_types WHERE name = 'Rocket' LIMIT 1")[0]["id"]
    sent = client.http.post("/gifts/send", headers={**auth_headers(buyer["id"]), "Content-Type": "application/json"},
                            body=json.dumps({"recipient_id": str(creator["id"]), "gift_type_id": str(rocket)}))
    assert sent.status_code == 402
    heart = sql("SELECT id FROM gift_types WHERE name = 'Crown' LIMIT 1")[0]["id"]
    client.http.post("/gifts/send", headers={**auth_headers(buyer["id"]), "Content-Type": "application/json"},
                     body=json.dumps({"recipient_id": str(creator["id"]), "gift_type_id": str(heart), "amount": 2}))
    assert coins(sql, buyer) == 440
    provider.set_status(tracking, 3)
    assert json.loads(ipn(client, provider, good)[0].body)["result"] == "clawed_back"
    assert json.loads(ipn(client, provider, good)[0].body)["result"] == "duplicate"
    assert coins(sql, buyer) == 0
    assert sql("SELECT status FROM payment_transactions WHERE id = %s", (good["id"],))[0]["status"] == "refunded"
    report = ledger_report()
    assert report.ok, report.lines()


def test_an_idempotency_key_answers_the_same_order(client, sql, provider, buyer):
    first = buy(client, sql, buyer, **{"Idempotency-Key": "buy-1"})
    catalogue_id = sql("SELECT id FROM coin_packages WHERE name = 'Popular Pack' ORDER BY created_at DESC LIMIT 1")[0]["id"]
    again = client.http.post("/v1/payments/purchases", headers={
        **auth_headers(buyer["id"]), "Content-Type": "application/json", "Idempotency-Key": "buy-1"},
        body=json.dumps({"coin_package_id": str(catalogue_id), "payment_method": "pesapal"}))
    assert again.status_code == 200
    assert json.loads(again.body)["id"] == first["id"]
    assert json.loads(again.body)["payment_url"] == first["payment_url"]
    assert sql("SELECT count(*) AS n FROM payment_transactions")[0]["n"] == 1
    other = sql("SELECT id FROM coin_packages WHERE name = 'Starter Pack'")[0]["id"]
    clash = client.http.post("/v1/payments/purchases", headers={
        **auth_headers(buyer["id"]), "Content-Type": "application/json", "Idempotency-Key": "buy-1"},
        body=json.dumps({"coin_package_id": str(other), "payment_method": "pesapal"}))
    assert clash.status_code == 409


def test_bad_purchases_are_4xx_and_unconfigured_is_503(client, sql, buyer, settings_env):
    seed_catalogue(sql)
    headers = {**auth_headers(buyer["id"]), "Content-Type": "application/json"}
    assert client.http.post("/payments/purchase/initiate", headers=headers,
                            body=json.dumps({"coin_package_id": "x"})).status_code == 400
    settings_env(PESAPAL_CONSUMER_KEY=None, PESAPAL_CONSUMER_SECRET=None)
    pkg = sql("SELECT id FROM coin_packages LIMIT 1")[0]["id"]
    answer = client.http.post("/payments/purchase/initiate", headers=headers,
                              body=json.dumps({"coin_package_id": str(pkg), "payment_method": "pesapal"}))
    assert answer.status_code == 503
    assert sql("SELECT count(*) AS n FROM payment_transactions")[0]["n"] == 0


@pytest.mark.parametrize("query", [
    "OrderTrackingId=%00&OrderMerchantReference=x", "OrderTrackingId=abc&OrderMerchantReference=%00",
    "OrderTrackingId=abc", "OrderMerchantReference=abc", "", "OrderTrackingId=a%20b&OrderMerchantReference=c"])
def test_malformed_callbacks_are_400(client, query):
    answer = client.http.get(f"/v1/webhooks/pesapal?{query}")
    assert answer.status_code == 400
    assert "detail" in json.loads(answer.body)
