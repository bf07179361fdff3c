"""Gifts through the frontend's routes and /v1: shapes, the 80/20 split in the ledger and the
live columns, and bad input answered 4xx with no row changed (issue 14)."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.conftest import auth_headers
from tests.support.engagement import make_video
from tests.support.gift_kit import ledger_report, seed_catalogue

MONEY_TABLES = ("users", "gift_transactions", "ledger_accounts", "ledger_transactions",
                "ledger_entries", "payment_transactions")


@pytest.fixture
def catalogue(sql):
    return seed_catalogue(sql)


@pytest.fixture
def pair(make_user):
    return make_user("wanjiku", coin_balance=500), make_user("otieno", role="creator")


def money_rows(sql) -> dict:
    return {t: sql(f"SELECT to_jsonb(x)::text AS r FROM {t} x ORDER BY 1") for t in MONEY_TABLES}


def post(client, path, body, user, **headers):
    raw = json.dumps(body)
    return client.http.post(path, body=raw, headers={**auth_headers(user["id"]),
                                                     "Content-Type": "application/json", **headers})


def test_gift_types_carry_the_emoji_and_are_cacheable(client, catalogue):
    answer = client.http.get("/gifts/types")
    assert answer.status_code == 200
    gifts = json.loads(answer.body)
    assert [(g["name"], g["emoji"], g["coin_cost"]) for g in gifts][:2] == [("Rose", "🌹", 10), ("Heart", "❤️", 50)]
    assert set(gifts[0]) >= {"id", "name", "emoji", "coin_cost"}
    assert answer.headers["Cache-Control"].startswith("public")


def test_a_gift_moves_coins_once_split_80_20_in_the_ledger_and_the_live_columns(client, catalogue, pair, sql):
    sender, creator = pair
    video = make_video(sql, creator)
    body = {"recipient_id": str(creator["id"]), "gift_type_id": catalogue["gifts"]["Star"],
            "amount": 2, "video_id": str(video["id"])}
    answer = post(client, "/gifts/send", body, sender)
    assert answer.status_code == 200, answer.body
    gift = json.loads(answer.body)
    assert (gift["total_coins"], gift["creator_earnings"], gift["platform_fee"]) == (200, 160, 40)
    assert (gift["amount"], gift["gift_name"], gift["coin_balance"]) == (2, "Star", 300)
    assert gift["sender_username"] == "wanjiku" and gift["recipient_username"] == "otieno"
    users = {r["username"]: r for r in sql("SELECT username, coin_balance, total_earnings FROM users")}
    assert users["wanjiku"]["coin_balance"] == 300 and users["otieno"]["total_earnings"] == 160
    row = sql("SELECT coin_amount, creator_earnings, platform_fee, quantity FROM gift_transactions")[0]
    assert (row["coin_amount"], int(row["creator_earnings"]), int(row["platform_fee"]), row["quantity"]) == (200, 160, 40, 2)
    entries = sql("SELECT e.account, e.amount FROM ledger_entries e JOIN ledger_transactions t"
                  " ON t.id = e.transaction_id WHERE t.kind = 'gift' ORDER BY e.amount")
    assert [(e["account"].split(":")[0], e["amount"]) for e in entries] == [
        ("wallet", -200), ("system", 40), ("earnings", 160)]
    report = ledger_report()
    assert report.ok, report.lines()
    balance = json.loads(client.http.get("/gifts/balance", headers=auth_headers(creator["id"])).body)
    assert balance == {"user_id": str(creator["id"]), "coin_balance": 0, "total_earnings": 160}
    history = json.loads(client.http.get("/gifts/history?limit=20", headers=auth_headers(sender["id"])).body)
    assert [h["id"] for h in history] == [gift["id"]]
    assert {"sender_username", "recipient_username", "amount", "gift_name", "total_coins",
            "creator_earnings"} <= set(history[0])


def test_the_split_remainder_goes_to_the_creator(client, pair, sql):
    sender, creator = pair
    odd = str(sql("INSERT INTO gift_types (name, emoji, coin_cost) VALUES ('Odd', 'x', 15) RETURNING id")[0]["id"])
    gift = json.loads(post(client, "/gifts/send", {"recipient_id": str(creator["id"]), "gift_type_id": odd},
                           sender).body)
    assert (gift["creator_earnings"], gift["platform_fee"]) == (12, 3)
    assert ledger_report().ok


def test_v1_needs_an_idempotency_key_and_a_retry_moves_nothing_more(client, catalogue, pair, sql):
    sender, creator = pair
    body = {"recipient_id": str(creator["id"]), "gift_type_id": catalogue["gifts"]["Rose"]}
    assert post(client, "/v1/gifts", body, sender).status_code == 400
    first = post(client, "/v1/gifts", body, sender, **{"Idempotency-Key": "k1"})
    again = post(client, "/v1/gifts", body, sender, **{"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert json.loads(first.body)["id"] == json.loads(again.body)["id"]
    assert sql("SELECT coin_balance FROM users WHERE id = %s", (sender["id"],))[0]["coin_balance"] == 490
    other = post(client, "/v1/gifts", {**body, "amount": 3}, sender, **{"Idempotency-Key": "k1"})
    assert other.status_code == 409
    assert sql("SELECT count(*) AS n FROM gift_transactions")[0]["n"] == 1


def test_the_frontends_bare_string_body_is_a_clear_400_and_moves_nothing(client, catalogue, pair, sql):
    sender, creator = pair
    before = money_rows(sql)
    answer = client.http.post("/gifts/send", body=json.dumps(str(creator["id"])),
                              headers={**auth_headers(sender["id"]), "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert "bare string" in json.loads(answer.body)["detail"]
    assert money_rows(sql) == before


@pytest.mark.parametrize("change, status", [
    ({"recipient_id": "self"}, 400),
    ({"gift_type_id": str(uuid.uuid4())}, 404),
    ({"gift_type_id": "not-a-uuid"}, 400),
    ({"recipient_id": str(uuid.uuid4())}, 404),
    ({"amount": 0}, 400),
    ({"amount": -5}, 400),
    ({"amount": 10**12}, 400),
    ({"amount": 1.5}, 400),
    ({"amount": True}, 400),
    ({"amount": "2"}, 400),
    ({"amount": 3}, 402),  # 3 Rockets = 6,000 coins > 500
    ({"video_id": str(uuid.uuid4())}, 404),
    ({"coins": 10}, 400),
])
def test_bad_gifts_are_4xx_and_change_no_row(client, catalogue, pair, sql, change, status):
    sender, creator = pair
    make_user_video = make_video(sql, creator)  # noqa: F841 - a row that must stay unchanged
    body = {"recipient_id": str(creator["id"]), "gift_type_id": catalogue["gifts"]["Rocket"], "amount": 1}
    body.update(change)
    if body["recipient_id"] == "self":
        body["recipient_id"] = str(sender["id"])
    before = money_rows(sql)
    answer = post(client, "/gifts/send", body, sender)
    assert answer.status_code == status, answer.body
    assert "detail" in json.loads(answer.body)
    assert money_rows(sql) == before


def test_a_gift_on_another_creators_video_is_refused(client, catalogue, pair, make_user, sql):
    sender, creator = pair
    video = make_video(sql, make_user("someone_else"))
    body = {"recipient_id": str(creator["id"]), "gift_type_id": catalogue["gifts"]["Rose"],
            "video_id": str(video["id"])}
    assert post(client, "/gifts/send", body, sender).status_code == 400


def test_another_users_balance_is_403_and_ones_own_is_answered(client, pair):
    sender, creator = pair
    mine = client.http.get(f"/gifts/balance/{sender['id']}", headers=auth_headers(sender["id"]))
    theirs = client.http.get(f"/gifts/balance/{creator['id']}", headers=auth_headers(sender["id"]))
    assert mine.status_code == 200 and json.loads(mine.body)["coin_balance"] == 500
    assert theirs.status_code == 403
    assert client.http.get("/gifts/balance").status_code in (401, 403)


def test_history_pages_with_cursors_newest_first(client, catalogue, pair):
    sender, creator = pair
    rose = catalogue["gifts"]["Rose"]
    ids = [json.loads(post(client, "/gifts/send", {"recipient_id": str(creator["id"]), "gift_type_id": rose},
                           sender).body)["id"] for _ in range(5)]
    seen, cursor = [], None
    while True:
        path = "/v1/gifts/history?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = json.loads(client.http.get(path, headers=auth_headers(creator["id"])).body)
        seen += [g["id"] for g in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids[::-1]


def test_an_existing_balance_opens_the_ledger_and_the_books_still_balance(client, catalogue, make_user, sql):
    sender = make_user("legacy_rich", coin_balance=1000, total_earnings=24)
    creator = make_user("legacy_creator", total_earnings=8)
    body = {"recipient_id": str(creator["id"]), "gift_type_id": catalogue["gifts"]["Diamond"]}
    assert post(client, "/gifts/send", body, sender).status_code == 200
    assert post(client, "/gifts/send", body, sender).status_code == 402
    report = ledger_report()
    assert report.ok, report.lines()
    assert sql("SELECT count(*) AS n FROM ledger_transactions WHERE kind = 'opening'")[0]["n"] == 2
    assert int(sql("SELECT total_earnings FROM users WHERE id = %s", (creator["id"],))[0]["total_earnings"]) == 808
