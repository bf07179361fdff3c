"""The per-environment connection: reused while warm, re-opened after a failure."""
from __future__ import annotations

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


def test_statement_timeout_cancels_long_queries(settings_env):
    import psycopg

    settings_env(DB_STATEMENT_TIMEOUT_MS="100")
    db.close()
    with pytest.raises(psycopg.errors.QueryCanceled):
        db.fetch_one("SELECT pg_sleep(2)")


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
