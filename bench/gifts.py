"""Gifts under a hot creator, and the ledger audit on a million entries (issue 14).

Gift storm: 64 threads (each its own connection, as 64 Lambda environments) send Roses to ONE
creator from 6,400 funded fans through `app.app(event, context)`; every send is one
transaction (conditional debit, creator credit, gift row, three ledger entries). Then the
ledger check must pass and the creator's earnings equal 8 coins per gift.

Audit: 1,000,000 ledger entries seeded with generate_series (balanced 2-entry transactions on
system accounts, beside the storm's), then `audit.check()` timed, p50 of 3.

Uses its own database `trendke_bench_gifts` (BENCH_GIFTS_DATABASE_URL overrides).
"""
from __future__ import annotations

import os
import statistics
import threading
import time

import psycopg

from chalicelib import config
from chalicelib.migrate import migrate
from tests.support.lambda_events import LambdaContext, api_gateway_event

THREADS = 64
FANS = 6_400
GIFTS = 6_400
ENTRIES = 1_000_000


def _database() -> str:
    url = os.environ.get("BENCH_GIFTS_DATABASE_URL")
    if not url:
        from devtools import local_db

        url = local_db.ensure_database(local_db.embedded_admin_url(), "trendke_bench_gifts")
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        conn.execute("TRUNCATE users, gift_types, ledger_accounts, ledger_transactions, ledger_entries CASCADE")
        conn.execute("INSERT INTO users (email, username, password_hash, coin_balance)"
                     " SELECT 'fan' || g || '@bench.test', 'fan_' || g, '!', 1000 FROM generate_series(1, %s) g",
                     (FANS,))
        conn.execute("INSERT INTO users (email, username, password_hash) VALUES ('hot@bench.test', 'hot', '!')")
        conn.execute("INSERT INTO gift_types (name, emoji, coin_cost) VALUES ('Rose', '🌹', 10)")
        conn.execute("VACUUM ANALYZE users")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JWT_SECRET", config.DEV_JWT_SECRET)
    config.reset()
    return url


def _storm(url: str) -> None:
    from app import app
    from chalicelib import db
    from chalicelib.auth import mint_token

    with psycopg.connect(url) as conn:
        fans = [str(r[0]) for r in conn.execute("SELECT id FROM users WHERE username <> 'hot' ORDER BY username")]
        hot = str(conn.execute("SELECT id FROM users WHERE username = 'hot'").fetchone()[0])
        rose = str(conn.execute("SELECT id FROM gift_types").fetchone()[0])
    tokens = {fan: mint_token(fan, config.DEV_JWT_SECRET) for fan in fans}
    latencies, statuses, lock = [], {}, threading.Lock()
    barrier = threading.Barrier(THREADS + 1)

    def work(i: int) -> None:
        mine = []
        try:
            barrier.wait()
            for n in range(i, GIFTS, THREADS):
                fan = fans[n % len(fans)]
                event = api_gateway_event("POST", "/v1/gifts", headers={
                    "Authorization": "Bearer " + tokens[fan], "Content-Type": "application/json",
                    "Idempotency-Key": f"bench-{n}"}, body={"recipient_id": hot, "gift_type_id": rose})
                started = time.perf_counter()
                status = app(event, LambdaContext())["statusCode"]
                mine.append(time.perf_counter() - started)
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
        finally:
            db.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    with psycopg.connect(url) as conn:
        earned = conn.execute("SELECT total_earnings FROM users WHERE username = 'hot'").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM gift_transactions").fetchone()[0]
    print(f"gift storm: {GIFTS:,} gifts to one creator from {THREADS} threads: {GIFTS / elapsed:,.0f} gifts/s"
          f" ({elapsed:.2f} s), p50 {p50:.1f} ms, p99 {p99:.1f} ms; statuses {statuses};"
          f" gift rows {rows:,}, creator earnings {earned} (expected {rows * 8})")


def _audit(url: str) -> None:
    from chalicelib.gifts import audit

    with psycopg.connect(url, autocommit=True) as conn:
        have = conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
        pairs = (ENTRIES - have) // 2
        started = time.perf_counter()
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")  # the commit-time check per row
            conn.execute("INSERT INTO ledger_transactions (kind, key) SELECT 'adjustment', 'bench:' || g"
                         " FROM generate_series(1, %s) g", (pairs,))
            conn.execute("INSERT INTO ledger_entries (transaction_id, account, amount)"
                         " SELECT t.id, a.account, a.sign * (t.id %% 97 + 1)"
                         ""
                         " FROM ledger_transactions t CROSS JOIN (VALUES ('system:adjustments', 1),"
                         " ('system:coin_issuance', -1)) a(account, sign) WHERE t.key LIKE 'bench:%%'", ())
        conn.execute("VACUUM ANALYZE ledger_transactions")
        conn.execute("VACUUM ANALYZE ledger_entries")
        total = conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
    print(f"seeded {total:,} ledger entries in {time.perf_counter() - started:.1f} s")
    times = []
    for _ in range(3):
        report = audit.check()
        times.append(report.seconds)
    print(f"ledger check on {report.entries:,} entries / {report.transactions:,} transactions:"
          f" p50 {statistics.median(times) * 1000:,.0f} ms (runs {[round(t * 1000) for t in times]}),"
          f" ok={report.ok}")


def main() -> None:
    url = _database()
    _storm(url)
    from chalicelib.gifts import audit

    report = audit.check()
    print(f"after the storm: {' / '.join(report.lines())}")
    _audit(url)


if __name__ == "__main__":
    main()
