"""The gift leaderboard (written by its job, read without Postgres) and the ledger audit
(manage.py ledger-check, the scheduled metric) finding what is wrong (issue 14)."""
from __future__ import annotations

import datetime as dt
import json

from chalicelib.gifts import audit, leaderboard
from tests.conftest import auth_headers
from tests.support.gift_kit import seed_catalogue


def _send(client, sender, creator, gift_id, amount=1):
    answer = client.http.post("/gifts/send", headers={**auth_headers(sender["id"]), "Content-Type": "application/json"},
                              body=json.dumps({"recipient_id": str(creator["id"]), "gift_type_id": gift_id,
                                               "amount": amount}))
    assert answer.status_code == 200, answer.body


def test_the_leaderboard_is_computed_by_the_job_and_read_from_the_store(client, make_user, sql):
    catalogue = seed_catalogue(sql)
    fan = make_user("fan", coin_balance=10_000)
    top, second = make_user("top_creator"), make_user("second_creator")
    assert client.http.get("/gifts/leaderboard").status_code == 503  # never computed yet
    _send(client, fan, top, catalogue["gifts"]["Diamond"])
    _send(client, fan, second, catalogue["gifts"]["Star"], 2)
    # An old gift counts all time, not this week.
    sql("INSERT INTO gift_transactions (sender_id, recipient_id, gift_type_id, coin_amount, creator_earnings,"
        " platform_fee, created_at) VALUES (%s, %s, %s, 5000, 4000, 1000, now() AT TIME ZONE 'UTC' - interval '30 days')",
        (fan["id"], second["id"], catalogue["gifts"]["Rocket"]))
    assert leaderboard.refresh() == {"week": 2, "all": 2}
    sql("DELETE FROM gift_transactions")  # reads must not aggregate in Postgres
    week = json.loads(client.http.get("/gifts/leaderboard").body)
    assert [(e["username"], e["total_coins"], e["rank"]) for e in week] == [("top_creator", 1000, 1), ("second_creator", 200, 2)]
    all_time = json.loads(client.http.get("/v1/gifts/leaderboard?period=all").body)
    assert all_time["items"][0]["username"] == "second_creator" and all_time["period"] == "all"
    assert client.http.get("/gifts/leaderboard?period=month").status_code == 400


def test_the_week_starts_monday_in_nairobi():
    # Sunday 22:00 UTC is Monday 01:00 in Nairobi: the week began 3 hours ago... at 21:00 UTC.
    start = leaderboard.week_start(dt.datetime(2026, 11, 29, 22, 0, tzinfo=dt.timezone.utc))
    assert start == dt.datetime(2026, 11, 29, 21, 0)


def test_ledger_check_reports_a_balance_changed_behind_the_ledger(client, make_user, sql):
    catalogue = seed_catalogue(sql)
    fan, creator = make_user("fan2", coin_balance=100), make_user("creator2")
    _send(client, fan, creator, catalogue["gifts"]["Rose"])
    assert audit.check().ok
    sql("UPDATE users SET coin_balance = coin_balance + 5 WHERE id = %s", (fan["id"],))  # a write that bypassed it
    report = audit.check()
    assert not report.ok
    assert [(m["account"], int(m["cached"]), int(m["entries"])) for m in report.mismatches] == [
        (f"wallet:{fan['id']}", 95, 90)]
    assert any("MISMATCH" in line for line in report.lines())


def test_an_unbalanced_transaction_cannot_be_committed_and_entries_never_change(sql):
    import psycopg
    import pytest

    with pytest.raises(psycopg.errors.CheckViolation):
        sql("WITH t AS (INSERT INTO ledger_transactions (kind, key) VALUES ('adjustment', 'bad') RETURNING id)"
            " INSERT INTO ledger_entries (transaction_id, account, amount) SELECT id, 'system:adjustments', 5 FROM t")
    sql("WITH t AS (INSERT INTO ledger_transactions (kind, key) VALUES ('adjustment', 'good') RETURNING id)"
        " INSERT INTO ledger_entries (transaction_id, account, amount)"
        " SELECT id, a, n FROM t, (VALUES ('system:adjustments', 5), ('system:coin_issuance', -5)) v(a, n)")
    with pytest.raises(psycopg.errors.CheckViolation):
        sql("UPDATE ledger_entries SET amount = 6 WHERE amount = 5")
    assert audit.check().ok


def test_the_scheduled_ledger_check_emits_its_metric(chalice_app, capsys):
    from tests.support.lambda_events import LambdaContext, scheduled_event

    from chalicelib.scheduled import gifts as jobs

    result = jobs.ledger_check(scheduled_event(), LambdaContext("trendke-api-prod-ledger_check"))
    assert result["ok"] is True
    assert "LedgerDiscrepancies" in capsys.readouterr().out
