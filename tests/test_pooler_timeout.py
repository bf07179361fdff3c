"""The statement timeout through a transaction-mode pooler (issue 15, item 1).

A real PgBouncer (tests/support/pgbouncer.py) in transaction mode with one server
connection, dropping startup options as Supabase's Supavisor does. The timeout must reach
Postgres anyway (a slow query answers 503), and must not stay on the server connection that
the pooler hands to its next client.
"""
from __future__ import annotations

import json
import time

import psycopg
import pytest

from chalicelib import db
from chalicelib.errors import ServiceUnavailable
from tests.support import pgbouncer


@pytest.fixture(scope="module")
def pooler_url(database_url):
    yield from pgbouncer.start(database_url)


@pytest.fixture
def via_pooler(settings_env, pooler_url):
    db.close()
    settings_env(DATABASE_URL=pooler_url, DB_STATEMENT_TIMEOUT_MS="200")
    yield pooler_url
    db.close()


def _other_client(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True, prepare_threshold=None)


def test_the_pooler_drops_startup_options_so_only_a_per_transaction_setting_works(pooler_url):
    with psycopg.connect(pooler_url, autocommit=True, options="-c statement_timeout=123") as conn:
        assert conn.execute("SHOW statement_timeout").fetchone()[0] == "0"


@pytest.mark.parametrize("how", ["statement", "transaction"])
def test_a_slow_query_through_the_pooler_is_cancelled_as_a_503(via_pooler, how):
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match="took too long") as raised:
        if how == "statement":
            db.fetch_one("SELECT pg_sleep(3)")
        else:
            db.in_transaction(lambda c: c.execute("SELECT 1").fetchone() and c.execute("SELECT pg_sleep(3)"))
    assert isinstance(raised.value.__cause__, psycopg.errors.QueryCanceled)
    assert time.monotonic() - started < 2
    assert db.fetch_one("SELECT 1 AS one")["one"] == 1  # the connection is still good


def test_a_route_whose_read_waits_answers_503_through_the_pooler(via_pooler, client, make_user, database_url):
    user = make_user()
    with psycopg.connect(database_url) as locker:  # directly, not through the pooler
        locker.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        answer = client.http.get(f"/v1/users/{user['id']}")
        locker.rollback()
    assert answer.status_code == 503, answer.body
    assert "took too long" in json.loads(answer.body)["detail"]
    assert client.http.get(f"/v1/users/{user['id']}").status_code == 200


def test_the_timeout_does_not_stay_on_the_shared_server_connection(via_pooler):
    inside = db.fetch_one("SELECT current_setting('statement_timeout') AS t, pg_backend_pid() AS pid")
    assert inside["t"] == "200ms"
    in_tx = db.in_transaction(lambda c: c.execute("SHOW statement_timeout").fetchone())
    assert in_tx["statement_timeout"] == "200ms"
    with _other_client(via_pooler) as other:
        pid, setting = other.execute("SELECT pg_backend_pid(), current_setting('statement_timeout')").fetchone()
        assert pid == inside["pid"]  # one server connection: the same backend, handed on
        assert setting == "0"
        other.execute("SELECT pg_sleep(0.4)")  # longer than our 200 ms: not cancelled
    # Nor does it outlive the statement on our own connection between units of work.
    assert db.connection().execute("SHOW statement_timeout").fetchone()["statement_timeout"] == "0"


def test_no_server_side_prepared_statements_through_the_pooler(via_pooler):
    for _ in range(8):  # psycopg would prepare after 5 executions
        db.fetch_one("SELECT %s::int AS n", (1,))
        db.in_transaction(lambda c: c.execute("SELECT %s::int AS n", (2,)).fetchone())
    assert db.fetch_one("SELECT count(*) AS n FROM pg_prepared_statements")["n"] == 0


def test_ci_installs_pgbouncer_before_the_suite():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    run = (root / ".ci" / "run").read_text()
    assert run.index("devtools/install-pgbouncer") < run.index("make test")
    assert "apt-get install" in (root / "devtools" / "install-pgbouncer").read_text()
    assert pgbouncer.binary() is not None or not __import__("os").environ.get("CI")


def test_the_timeout_costs_no_extra_round_trip(database_url, settings_env):
    """With every server answer delayed by 100 ms, a read still takes one round trip and a
    one-statement write transaction three (BEGIN with the timeout, the statement, COMMIT)."""
    from tests.support import commit_dropper

    gen = commit_dropper.start(database_url)
    proxy, url = next(gen)
    try:
        db.close()
        settings_env(DATABASE_URL=url)
        db.fetch_one("SELECT 1")
        proxy.answer_delay_s = delay = 0.1

        def fastest(call) -> float:
            times = []
            for _ in range(3):
                started = time.monotonic()
                call()
                times.append(time.monotonic() - started)
            return min(times)

        assert fastest(lambda: db.fetch_one("SELECT %s::int AS n", (1,))) < 1.8 * delay
        assert fastest(lambda: db.in_transaction(lambda c: c.execute("SELECT 1").fetchone())) < 3.8 * delay
    finally:
        db.close()
        gen.close()
