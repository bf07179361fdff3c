"""The prune job's DELETEs use an index (issue 15, item 6), shown by EXPLAIN on tables of a
realistic shape: many current rows, a few long-expired ones."""
from __future__ import annotations

import psycopg
import pytest

from chalicelib import ratelimit
from chalicelib.repo import auth_failures, rate_limits

ROWS = 5000


def _plan_indexes(conn, statement: str, params) -> set:
    (plan,) = conn.execute("EXPLAIN (FORMAT JSON) " + statement, params).fetchone()
    found, todo = set(), [plan[0]["Plan"]]  # psycopg parses the json
    while todo:
        node = todo.pop()
        if "Index Name" in node:
            found.add(node["Index Name"])
        assert node["Node Type"] != "Seq Scan", node
        todo.extend(node.get("Plans", []))
    return found


@pytest.fixture
def filled(database_url):
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO rate_limits (user_id, action, window_start, hits)"
            " SELECT gen_random_uuid(), 'like', now() - (i %% 3600) * interval '1 second', 1"
            " FROM generate_series(1, %s) i", (ROWS,))
        conn.execute(
            "INSERT INTO rate_limits (user_id, action, window_start, hits)"
            " SELECT gen_random_uuid(), 'like', now() - interval '5 days', 1 FROM generate_series(1, 20)")
        conn.execute(
            "INSERT INTO auth_failures (key, failures, last_failure_at)"
            " SELECT 'addr:' || i, 1, now() - (i %% 3600) * interval '1 second' FROM generate_series(1, %s) i",
            (ROWS,))
        conn.execute(
            "INSERT INTO auth_failures (key, failures, last_failure_at)"
            " SELECT 'old:' || i, 1, now() - interval '5 days' FROM generate_series(1, 20) i")
        conn.execute("ANALYZE rate_limits")
        conn.execute("ANALYZE auth_failures")
        yield conn


def test_pruning_rate_limit_windows_uses_the_window_index(filled):
    assert "rate_limits_window_start" in _plan_indexes(filled, rate_limits._PRUNE, (ratelimit.KEEP_S,))


def test_pruning_log_in_failures_uses_the_failure_time_index(filled):
    statement = auth_failures._PRUNE
    assert "auth_failures_last_failure_at" in _plan_indexes(filled, statement, (ratelimit.KEEP_S,))


def test_prune_removes_only_the_old_rows(filled):
    from chalicelib import db

    assert db.in_transaction(ratelimit.prune) == 40
    assert filled.execute("SELECT count(*) FROM rate_limits").fetchone()[0] == ROWS
    assert filled.execute("SELECT count(*) FROM auth_failures").fetchone()[0] == ROWS
