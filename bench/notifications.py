"""Notifications (issue 13): materialisation during a like storm, and the unread count of a
user with a million notifications.

1. Like storm: FANS likes from 32 threads (the engagement logic, each thread its own
   connection), half on one viral video (one grouped notification) and half spread over
   FANS/2 videos of different creators (one notification each), while the materialiser runs
   as deployed (a pass every NOTIFICATION_POLL_S = 2 s). Prints the delay from each like's
   commit to the commit of the batch that materialised it (p50/p99), and the materialiser's
   throughput over its busy time.
2. Backlog drain: about BACKLOG likes (every creator's video liked by a few fans) appended
   with no materialiser running, then one drain: events/s and notifications/s.
3. Unread count for a creator with 1M notifications (seeded with generate_series), through
   the Lambda handler, next to the statement alone and a count(*) over the partial index.

Own database `trendke_bench_notifications` (BENCH_NOTIFICATIONS_DATABASE_URL overrides).
"""
from __future__ import annotations

import os
import statistics
import threading
import time
from typing import Any, Callable, List

import psycopg

from chalicelib import config
from chalicelib.migrate import migrate
from tests.support.lambda_events import LambdaContext, api_gateway_event

FANS = 6_000
BACKLOG = 20_000
THREADS = 32
BIG_USER_ROWS = 1_000_000
READS = 400


def _database() -> str:
    url = os.environ.get("BENCH_NOTIFICATIONS_DATABASE_URL")
    if not url:
        from devtools import local_db

        url = local_db.ensure_database(local_db.embedded_admin_url(), "trendke_bench_notifications")
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        if conn.execute("SELECT count(*) FROM users").fetchone()[0] != FANS + 1:
            conn.execute("TRUNCATE users CASCADE")
            conn.execute("INSERT INTO users (email, username, password_hash)"
                         " SELECT 'fan' || g || '@bench.test', 'fan_' || g, '!'"
                         " FROM generate_series(0, %s) g", (FANS,))
            # fan_0 is the viral creator; every fan also owns one video.
            conn.execute("INSERT INTO videos (user_id, title, video_url)"
                         " SELECT id, 'bench ' || username, 'https://x/' || username FROM users")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JWT_SECRET", config.DEV_JWT_SECRET)
    os.environ["RATE_LIMITS"] = "like=100000/60"
    config.reset()
    return url


def _reset(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE video_likes, video_count_deltas, notification_outbox, rate_limits")
        conn.execute("DELETE FROM notifications WHERE user_id <> (SELECT id FROM users WHERE username = 'fan_0')"
                     " OR type <> 'bench'")
        conn.execute("VACUUM ANALYZE notification_outbox")


def _ids(url: str) -> tuple:
    with psycopg.connect(url) as conn:
        users = [str(r[0]) for r in conn.execute("SELECT id FROM users ORDER BY username")]
        videos = dict((str(u), str(v)) for u, v in conn.execute("SELECT user_id, id FROM videos"))
        star = str(conn.execute("SELECT id FROM users WHERE username = 'fan_0'").fetchone()[0])
    return star, [u for u in users if u != star], videos


def _threads(n: int, work: Callable[[int], None]) -> float:
    from chalicelib import db

    def run(i: int) -> None:
        try:
            work(i)
        finally:
            db.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def _pct(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def like_storm(url: str) -> None:
    from chalicelib.engagement import likes
    from chalicelib.notifications import materialise

    _reset(url)
    star, fans, videos = _ids(url)
    plan = [(fan, videos[star] if i % 2 == 0 else videos[fans[(i + 1) % len(fans)]])
            for i, fan in enumerate(fans)]
    stop, runs, busy = threading.Event(), [], [0.0]

    def materialiser() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            runs.append(materialise.materialise(keep_times=True))
            busy[0] += time.perf_counter() - started
            stop.wait(2.0)

    background = threading.Thread(target=materialiser)
    background.start()
    per_thread = (len(plan) + THREADS - 1) // THREADS
    took = _threads(THREADS, lambda t: [likes.set_like(u, v, True) for u, v in plan[t * per_thread:(t + 1) * per_thread]])
    time.sleep(2.5)
    stop.set()
    background.join()
    runs.append(materialise.materialise(keep_times=True))
    lags = [lag for r in runs for lag in r["lags_s"]]
    events = sum(r["events"] for r in runs)
    with psycopg.connect(url) as conn:
        made = conn.execute("SELECT count(*) FROM notifications WHERE type = 'new_like'").fetchone()[0]
        star_count = conn.execute(
            "SELECT data->>'actor_count' FROM notifications WHERE user_id = %s AND type = 'new_like'",
            (star,)).fetchall()
    print(f"like storm: {len(plan):,} likes in {took:.1f} s ({len(plan) / took:,.0f} likes/s, {THREADS} threads);"
          f" {events:,} events -> {made:,} notifications (viral video: {star_count})")
    print(f"  delay like -> notification: p50 {_pct(lags, 0.5):.2f} s, p99 {_pct(lags, 0.99):.2f} s,"
          f" max {max(lags):.2f} s (a pass every 2 s, as deployed)")
    print(f"  materialiser busy {busy[0]:.2f} s: {events / max(busy[0], 1e-9):,.0f} events/s")


def backlog_drain(url: str) -> None:
    from chalicelib.engagement import likes
    from chalicelib.notifications import materialise

    _reset(url)
    star, fans, videos = _ids(url)
    n = len(fans)  # every creator's video liked by the next BACKLOG // n fans: n groups
    plan = [(fans[(i + k) % n], videos[fans[i]]) for k in range(1, BACKLOG // n + 1) for i in range(n)]
    per_thread = (len(plan) + THREADS - 1) // THREADS
    _threads(THREADS, lambda t: [likes.set_like(u, v, True) for u, v in plan[t * per_thread:(t + 1) * per_thread]])
    started = time.perf_counter()
    done = materialise.materialise(max_batches=1000)
    took = time.perf_counter() - started
    print(f"backlog drain: {done['events']:,} events in {took:.2f} s = {done['events'] / took:,.0f} events/s;"
          f" {done['created'] + done['updated']:,} notification rows written (created or updated)"
          f" ({(done['created'] + done['updated']) / took:,.0f}/s)")


def _timed(fn: Callable[[], Any], n: int) -> List[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def unread_count(url: str) -> None:
    import app as application
    from chalicelib import db
    from chalicelib.auth import mint_token

    star = _ids(url)[0]
    with psycopg.connect(url, autocommit=True) as conn:
        have = conn.execute("SELECT count(*) FROM notifications WHERE user_id = %s AND type = 'bench'",
                            (star,)).fetchone()[0]
        if have != BIG_USER_ROWS:
            started = time.perf_counter()
            conn.execute("DELETE FROM notifications WHERE user_id = %s AND type = 'bench'", (star,))
            conn.execute(
                "INSERT INTO notifications (user_id, type, title, message, is_read, created_at)"
                " SELECT %s, 'bench', 'New like', 'someone liked your video', mod(g, 10) = 0,"
                "        (now() AT TIME ZONE 'UTC') - g * interval '1 second'"
                " FROM generate_series(1, %s) g", (star, BIG_USER_ROWS))
            conn.execute("VACUUM ANALYZE notifications")
            print(f"seeded {BIG_USER_ROWS:,} notifications for one user in {time.perf_counter() - started:.0f} s")
        unread = conn.execute("SELECT unread FROM notification_unread_counts WHERE user_id = %s",
                              (star,)).fetchone()[0]
    headers = {"Authorization": "Bearer " + mint_token(star, config.DEV_JWT_SECRET)}

    def call(path: str, query=None) -> None:
        event = api_gateway_event("GET", path, headers=headers, query=query)
        assert application.app(event, LambdaContext())["statusCode"] == 200

    call("/notifications/unread-count")  # warm
    handler = _timed(lambda: call("/notifications/unread-count"), READS)
    first_page = _timed(lambda: call("/notifications", {"limit": "20"}), READS // 4)
    statement = _timed(lambda: db.fetch_one(
        "SELECT greatest(unread, 0) FROM notification_unread_counts WHERE user_id = %s", (star,)), READS)
    counted = _timed(lambda: db.fetch_one(
        "SELECT count(*) FROM notifications WHERE user_id = %s AND is_read IS NOT TRUE", (star,)), 5)
    print(f"unread count, user with {BIG_USER_ROWS:,} notifications ({unread:,} unread):")
    print(f"  GET /notifications/unread-count through the handler: p50 {statistics.median(handler):.2f} ms,"
          f" p99 {_pct(handler, 0.99):.2f} ms")
    print(f"  its statement (one primary-key lookup): p50 {statistics.median(statement):.3f} ms")
    print(f"  GET /notifications?limit=20 (first page): p50 {statistics.median(first_page):.2f} ms")
    print(f"  for comparison, count(*) over the partial unread index: p50 {statistics.median(counted):.0f} ms")


def main() -> None:
    url = _database()
    like_storm(url)
    backlog_drain(url)
    unread_count(url)


if __name__ == "__main__":
    main()
