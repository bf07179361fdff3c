"""Engagement under a viral video, through the Lambda handler (`app.app(event, context)`).

Like storm: 10,000 distinct likes (plus duplicate and retried requests) on ONE video from 64
threads, each with its own connection as 64 Lambda environments would have. Run twice in the
same process on the same data: the appended-delta design the API ships (a background fold
every second, as the scheduled job would), and the counter-in-the-transaction design (each
like also UPDATEs videos.likes_count) wired here as a bench-only handler. After each run the
stored count must equal the rows (after the fold for the delta design).

View ingest: 50,000 anonymous view posts on 100 videos from 32 threads.

Uses its own small database `trendke_bench_engagement` (BENCH_ENGAGEMENT_DATABASE_URL
overrides), not the big bench dataset.
"""
from __future__ import annotations

import os
import random
import threading
import time
from typing import Any, Callable, List, Tuple

import psycopg

from chalicelib import config
from chalicelib.migrate import migrate
from tests.support.lambda_events import LambdaContext, api_gateway_event

FANS = 10_000
DUPLICATES = 1_500     # the same user's PUT again: double taps and client retries
THREADS = 64
VIEW_VIDEOS = 100
VIEWS = 50_000
VIEWERS = 20_000       # anonymous viewer keys: some views repeat within the hour
VIEW_THREADS = 32
BASELINE_BUDGET_S = 15.0
ENGAGEMENT_TABLES = ("video_likes", "video_count_deltas", "user_count_deltas", "rate_limits",
                     "video_views", "video_shares")


def _database() -> str:
    url = os.environ.get("BENCH_ENGAGEMENT_DATABASE_URL")
    if not url:
        from devtools import local_db

        url = local_db.ensure_database(local_db.embedded_admin_url(), "trendke_bench_engagement")
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        if conn.execute("SELECT count(*) FROM users").fetchone()[0] != FANS + 1:
            conn.execute("TRUNCATE users CASCADE")
            conn.execute(
                "INSERT INTO users (email, username, password_hash)"
                " SELECT 'fan' || g || '@bench.test', 'fan_' || g, '!'"
                " FROM generate_series(0, %s) g", (FANS,))
            owner = conn.execute("SELECT id FROM users WHERE username = 'fan_0'").fetchone()[0]
            conn.execute(
                "INSERT INTO videos (user_id, title, video_url)"
                " SELECT %s, 'bench ' || g, 'https://x/' || g FROM generate_series(0, %s) g",
                (owner, VIEW_VIDEOS))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JWT_SECRET", config.DEV_JWT_SECRET)
    os.environ.setdefault("CLOUDINARY_URL", config.DEV_CLOUDINARY_URL)
    os.environ["RATE_LIMITS"] = "like=1000/60,comment=1000/60,follow=1000/60"
    config.reset()
    return url


def _reset(url: str) -> None:
    from chalicelib.repo import users

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE " + ", ".join(ENGAGEMENT_TABLES))
        conn.execute("UPDATE videos SET likes_count = 0, views_count = 0")
        conn.execute("VACUUM ANALYZE videos")
    users.forget_known()  # both designs pay the first-use profile check per user


def _like_trigger(url: str, enabled: bool) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ALTER TABLE video_likes " + ("ENABLE" if enabled else "DISABLE")
                     + " TRIGGER video_likes_count_trigger")


def _baseline_app() -> Any:
    """The counter-in-the-transaction design: same middleware, auth, limiter and answer."""
    from chalice import Chalice

    from chalicelib import db, ratelimit
    from chalicelib.chalice_app import middleware
    from chalicelib.chalice_app.identity import signed_in
    from chalicelib.errors import NotFound
    from chalicelib.http import private_json, uuid_param

    from bench.baseline import answering_domain_errors

    app = Chalice(app_name="bench-counter-in-transaction")
    app.register_middleware(middleware.errors_and_cors, "http")

    @app.route("/v1/videos/{id}/like", methods=["PUT"])
    @answering_domain_errors
    def like(id: str):
        video_id = uuid_param(id)
        user = signed_in(app.current_request)

        def work(conn: Any) -> dict:
            ratelimit.check(conn, user.user_id, "like")
            if not conn.execute("SELECT 1 FROM videos WHERE id = %s AND status = 'ready'"
                                " AND deleted_at IS NULL", (video_id,)).fetchone():
                raise NotFound("Video not found")
            added = conn.execute(
                "INSERT INTO video_likes (user_id, video_id) VALUES (%s, %s)"
                " ON CONFLICT (user_id, video_id) DO NOTHING RETURNING id",
                (user.user_id, video_id)).fetchone()
            sql = ("UPDATE videos SET likes_count = coalesce(likes_count, 0) + 1 WHERE id = %s"
                   " RETURNING likes_count" if added else
                   "SELECT likes_count FROM videos WHERE id = %s")
            return {"liked": True, "likes_count": conn.execute(sql, (video_id,)).fetchone()["likes_count"]}

        return private_json(db.in_transaction(work))

    return app


def _run_threads(n: int, work: Callable[[int], None]) -> float:
    from chalicelib import db

    barrier = threading.Barrier(n + 1)
    errors: List[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        except BaseException as exc:  # reported after the run
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def _storm(handler: Any, requests: List[Tuple[str, str]], video_id: str,
           budget_s: float) -> Tuple[float, dict]:
    """Send the requests; each thread stops taking new ones once `budget_s` has passed."""
    statuses: dict = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + budget_s

    def work(i: int) -> None:
        for user_id, token in requests[i::THREADS]:
            if time.perf_counter() > deadline:
                return
            event = api_gateway_event(
                "PUT", f"/v1/videos/{video_id}/like", resource="/v1/videos/{id}/like",
                path_parameters={"id": video_id}, headers={"Authorization": "Bearer " + token})
            status = handler(event, LambdaContext())["statusCode"]
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    return _run_threads(THREADS, work), statuses


def _folding_in_background(stop: threading.Event, every_s: float = 1.0) -> threading.Thread:
    from chalicelib import db
    from chalicelib.engagement import counters

    def loop() -> None:
        while not stop.wait(every_s):
            counters.fold()
        db.close()


    thread = threading.Thread(target=loop, name="fold", daemon=True)
    thread.start()
    return thread


def _likes_state(url: str, video_id: str) -> Tuple[int, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT count(*) FROM video_likes WHERE video_id = %s", (video_id,)).fetchone()[0]
        stored = conn.execute("SELECT likes_count FROM videos WHERE id = %s", (video_id,)).fetchone()[0]
    return rows, stored


def like_storm(url: str) -> None:
    import app as api
    from chalicelib.auth import mint_token
    from chalicelib.engagement import counters

    with psycopg.connect(url, autocommit=True) as conn:
        video_id = str(conn.execute("SELECT id FROM videos ORDER BY title LIMIT 1").fetchone()[0])
        fans = [str(r[0]) for r in conn.execute("SELECT id FROM users WHERE username <> 'fan_0'")]
    secret = config.settings().jwt_secret
    tokens = {fan: mint_token(fan, secret) for fan in fans}
    rng = random.Random(6)
    requests = [(fan, tokens[fan]) for fan in fans] + [
        (fan, tokens[fan]) for fan in rng.choices(fans, k=DUPLICATES)]
    rng.shuffle(requests)
    print(f"like storm: {len(requests):,} PUT like requests ({len(fans):,} distinct fans,"
          f" {DUPLICATES:,} duplicates/retries) on one video, {THREADS} threads")

    results = {}
    # The slow design gets a time budget (it would take minutes under contention); rates are
    # comparable: same requests in the same order, same 64 threads.
    for name, handler, budget_s in (("counter-in-transaction", _baseline_app(), BASELINE_BUDGET_S),
                                    ("append delta + fold", api.app, 90.0)):
        _reset(url)
        # The baseline counts in its own transaction: the live trigger, which appends deltas
        # for the shipped design, is off while it runs.
        _like_trigger(url, enabled=handler is api.app)
        stop = threading.Event()
        # The deployed schedule's cadence (3 passes a minute); writes fold a backlog themselves.
        folder = _folding_in_background(stop, every_s=20.0) if handler is api.app else None
        seconds, statuses = _storm(handler, requests, video_id, budget_s)
        if folder:
            stop.set()
            folder.join()
        counters.fold()
        rows, stored = _likes_state(url, video_id)
        done = sum(statuses.values())
        results[name] = rate = done / seconds
        exact = "exact" if rows == stored else "MISMATCH"
        print(f"  {name:24s} {rate:8,.0f} likes/s  ({done:,} requests in {seconds:5.2f} s;"
              f" statuses {statuses}; rows {rows:,}, likes_count after fold {stored:,}: {exact})")
    ratio = results["append delta + fold"] / results["counter-in-transaction"]
    print(f"  speed-up: {ratio:.1f}x   target >= 3x")


def view_ingest(url: str) -> None:
    import app as api
    from chalicelib.engagement.viewer import issue_key
    from chalicelib.engagement import counters

    _reset(url)
    with psycopg.connect(url, autocommit=True) as conn:
        videos = [str(r[0]) for r in conn.execute(
            "SELECT id FROM videos ORDER BY title LIMIT %s", (VIEW_VIDEOS,))]
    rng = random.Random(7)
    keys = [issue_key() for _ in range(VIEWERS)]
    views = [(rng.choice(videos), rng.choice(keys)) for _ in range(VIEWS)]
    expected = len(set(views))
    stop = threading.Event()
    folder = _folding_in_background(stop, every_s=20.0)

    def work(i: int) -> None:
        for video_id, key in views[i::VIEW_THREADS]:
            event = api_gateway_event(
                "POST", f"/v1/videos/{video_id}/views", resource="/v1/videos/{id}/views",
                path_parameters={"id": video_id}, body={"watch_ms": 5000},
                headers={"X-Viewer-Key": key, "Content-Type": "application/json"})
            assert api.app(event, LambdaContext())["statusCode"] == 200

    seconds = _run_threads(VIEW_THREADS, work)
    stop.set()
    folder.join()
    counters.fold()
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT count(*) FROM video_views").fetchone()[0]
        stored = conn.execute("SELECT sum(views_count) FROM videos").fetchone()[0]
    exact = "exact" if rows == stored == expected else "MISMATCH"
    print(f"view ingest: {VIEWS:,} view posts on {VIEW_VIDEOS} videos, {VIEW_THREADS} threads:"
          f" {VIEWS / seconds:,.0f} views/s ({seconds:.2f} s); counted {rows:,} once-per-hour"
          f" views, views_count sum {stored:,}: {exact}")


def main() -> None:
    import logging

    # The slow design's statement timeouts would print a stack trace each; counted instead.
    for name in ("trendke", "bench-counter-in-transaction", "trendke-api"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    url = _database()
    like_storm(url)
    view_ingest(url)


if __name__ == "__main__":
    main()
