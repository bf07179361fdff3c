"""The per-environment connection: reused while warm, re-opened after a failure."""
from __future__ import annotations

import json
import threading

import pytest

from chalicelib import db
from chalicelib.config import settings
from chalicelib.errors import ServiceUnavailable


def _backend_pid() -> int:
    return db.fetch_one("SELECT pg_backend_pid() AS pid")["pid"]


def test_connection_is_reused_across_invocations():
    assert _backend_pid() == _backend_pid()


def test_no_server_side_prepared_statements_and_a_statement_timeout():
    for _ in range(8):  # psycopg prepares after 5 executions unless told not to
        db.fetch_one("SELECT 1 AS one WHERE %s::int = 1", (1,))
    conn = db.connection()
    assert conn.prepare_threshold is None
    assert db.fetch_one("SELECT count(*) AS n FROM pg_prepared_statements")["n"] == 0
    timeout_ms = db.fetch_one(
        "SELECT setting::int AS ms FROM pg_settings WHERE name = 'statement_timeout'"
    )["ms"]
    assert timeout_ms == settings().db_statement_timeout_ms


def test_connection_killed_between_invocations_is_reopened(sql):
    old_pid = _backend_pid()
    sql("SELECT pg_terminate_backend(%s)", (old_pid,))
    assert _backend_pid() != old_pid  # the retry reconnected transparently


def test_each_thread_gets_its_own_connection():
    pids = []

    def work():
        pids.append(_backend_pid())
        db.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(pids)) == 3


def test_statement_timeout_cancels_long_queries_as_a_503_and_keeps_the_connection(settings_env):
    import psycopg

    settings_env(DB_STATEMENT_TIMEOUT_MS="100")
    db.close()
    pid = _backend_pid()
    with pytest.raises(ServiceUnavailable, match="took too long") as raised:
        db.fetch_one("SELECT pg_sleep(2)")
    assert isinstance(raised.value.__cause__, psycopg.errors.QueryCanceled)
    assert _backend_pid() == pid  # a cancelled statement leaves a healthy session


def test_a_statement_timeout_through_http_is_a_503(client, settings_env, make_user, database_url):
    # Another session holds the users table locked: the route's read waits past the timeout
    # and answers 503 with a detail, not a 500.
    import psycopg

    user = make_user()
    settings_env(DB_STATEMENT_TIMEOUT_MS="200")
    db.close()
    with psycopg.connect(database_url) as locker:
        locker.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        answer = client.http.get(f"/v1/users/{user['id']}")
        locker.rollback()
    assert answer.status_code == 503, answer.body
    assert "took too long" in json.loads(answer.body)["detail"]


_RAISE = "DO $$ BEGIN RAISE EXCEPTION 'provoked' USING ERRCODE = %s; END $$"


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])  # deadlock, serialization failure
def test_a_conflict_is_retried_once_on_the_same_connection(sqlstate):
    pid = _backend_pid()
    calls = []

    def unit(conn):
        calls.append(conn.info.backend_pid)
        if len(calls) == 1:
            conn.execute(_RAISE.replace("%s", f"'{sqlstate}'"))
        return conn.execute("SELECT 1 AS one").fetchone()["one"]

    assert db.in_transaction(unit) == 1
    assert calls == [pid, pid]
    assert _backend_pid() == pid


def test_a_conflict_twice_propagates_and_keeps_the_connection():
    import psycopg

    pid = _backend_pid()
    calls = []

    def unit(conn):
        calls.append(1)
        conn.execute(_RAISE.replace("%s", "'40P01'"))

    with pytest.raises(psycopg.errors.DeadlockDetected):
        db.in_transaction(unit)
    assert len(calls) == 2
    assert _backend_pid() == pid


def test_a_lock_timeout_propagates_unretried_and_keeps_the_connection():
    import psycopg

    pid = _backend_pid()
    calls = []

    def unit(conn):
        calls.append(1)
        conn.execute(_RAISE.replace("%s", "'55P03'"))

    with pytest.raises(psycopg.errors.LockNotAvailable):
        db.in_transaction(unit)
    assert len(calls) == 1
    assert _backend_pid() == pid


def test_a_real_deadlock_between_two_connections_keeps_the_environments_connection(sql, database_url):
    """Two transactions lock two rows in opposite order; the server kills one of them."""
    import psycopg

    sql("CREATE TABLE IF NOT EXISTS deadlock_probe (id int PRIMARY KEY)")
    sql("INSERT INTO deadlock_probe VALUES (1), (2) ON CONFLICT DO NOTHING")
    pid = _backend_pid()
    other = psycopg.connect(database_url)
    other_locked, mine_locked, rival_done = threading.Event(), threading.Event(), threading.Event()
    outcome = {}

    def rival():
        try:
            other.execute("SET deadlock_timeout = '10s'")  # so this environment is the victim
            other.execute("SELECT 1 FROM deadlock_probe WHERE id = 2 FOR UPDATE")
            other_locked.set()
            mine_locked.wait(5)
            other.execute("SELECT 1 FROM deadlock_probe WHERE id = 1 FOR UPDATE")
            other.commit()
            outcome["rival"] = "committed"
        except psycopg.errors.DeadlockDetected:
            other.rollback()
            outcome["rival"] = "deadlock"
        finally:
            rival_done.set()

    attempts = []

    def unit(conn):
        attempts.append(1)
        if len(attempts) > 1:
            # The retry comes after the rival, which takes row 1 the moment we roll back;
            # racing it for row 1 could deadlock again (a loaded machine made that happen).
            rival_done.wait(5)
        conn.execute("SET LOCAL deadlock_timeout = '50ms'")
        conn.execute("SELECT 1 FROM deadlock_probe WHERE id = 1 FOR UPDATE")
        if len(attempts) == 1:
            other_locked.wait(5)
            mine_locked.set()
        conn.execute("SELECT 1 FROM deadlock_probe WHERE id = 2 FOR UPDATE")
        return "done"

    thread = threading.Thread(target=rival)
    thread.start()
    try:
        try:
            db.in_transaction(unit)
            outcome["mine"] = "committed"
        except psycopg.errors.DeadlockDetected:
            outcome["mine"] = "deadlock"
        thread.join(10)
    finally:
        other.close()
        sql("DROP TABLE deadlock_probe")
    # This environment was the victim: its unit was rolled back and retried once on the same
    # session, after the rival (now unblocked) committed.
    assert outcome == {"mine": "committed", "rival": "committed"}
    assert len(attempts) == 2
    assert _backend_pid() == pid


def test_unreachable_database_is_a_503(settings_env):
    settings_env(DATABASE_URL="postgresql://postgres@127.0.0.1:1/trendke")
    db.close()
    with pytest.raises(ServiceUnavailable):
        db.fetch_one("SELECT 1")


def test_health_check_keeps_the_environments_connection(client):
    db.close()
    client.http.get("/health")
    opened_by_health = db.connection().info.backend_pid  # kept, not a throwaway
    client.http.get("/health")
    assert _backend_pid() == opened_by_health
