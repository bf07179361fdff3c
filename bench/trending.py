"""Trending: the refresh on the benchmark database, and warm reads in-process.

- refresh: the ranking statement and the writes to a local folder, on 100k videos, 1M likes,
  200k comments, 5M views and 100k shares (target under 3 s), at the dataset's clock (see
  bench.dataset.dataset_clock); next to it the ranking on likes and comments only, and the
  plan's scan of each event table (an index-only range scan of the window, or not);
- warm reads through `app.app(event, context)` with API Gateway events, as Lambda calls the
  handler (target p50 under 50 us), next to a bare Chalice route returning constant bytes.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from contextlib import redirect_stdout

from chalicelib import config

READS = 20_000
REFRESHES = 3


def _percentiles(samples_ns: list) -> str:
    ordered = sorted(samples_ns)
    p50 = ordered[len(ordered) // 2] / 1000
    p99 = ordered[int(len(ordered) * 0.99)] / 1000
    return f"p50 {p50:7.1f} us   p99 {p99:7.1f} us"


def _time_handler(handler, event, context, n: int = READS) -> list:
    # The handler's log lines and metrics go to stdout, as on Lambda: here to /dev/null.
    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        for _ in range(200):  # warm: the first call fills the in-memory copy
            answer = handler(event, context)
        assert answer["statusCode"] in (200, 304), answer
        samples = []
        clock = time.perf_counter_ns
        for _ in range(n):
            started = clock()
            handler(event, context)
            samples.append(clock() - started)
    return samples


def _bare_app():
    from chalice import Chalice, Response

    bare = Chalice(app_name="bare")
    body = '{"items":[]}'

    @bare.route("/bare", methods=["GET"])
    def constant():
        return Response(body=body, status_code=200, headers={"Content-Type": "application/json"})

    return bare


def _window_report(url: str):
    """Print what the 48 h window holds per event table and how the plan scans each; answer
    the dataset's clock, at which the refresh ranks."""
    import datetime
    import json

    import psycopg

    from bench.dataset import dataset_clock
    from chalicelib.repo import trending as ranking

    with psycopg.connect(url, autocommit=True) as conn:
        clock = dataset_clock(conn)  # naive UTC, like the live columns
        since = clock - datetime.timedelta(hours=ranking.WINDOW_HOURS)
        utc = datetime.timezone.utc
        counts = []
        for source in ranking.EVENT_SOURCES:
            total = conn.execute(f"SELECT count(*) FROM {source.table}").fetchone()[0]
            where = f" AND {source.where}" if source.where else ""
            bounds = (since, clock) if source.naive else (since.replace(tzinfo=utc), clock.replace(tzinfo=utc))
            recent = conn.execute(f"SELECT count(*) FROM {source.table} WHERE created_at > %s"
                                  f" AND created_at <= %s{where}", bounds).fetchone()[0]
            counts.append(f"{source.table[6:]} {recent:,} of {total:,}")
        plan = conn.execute("EXPLAIN (FORMAT JSON) " + ranking.rank_sql(), {
            "now": clock.replace(tzinfo=utc), "since": since.replace(tzinfo=utc),
            "now_utc": clock, "since_utc": since, "half_life_h": 1.0, "gravity": 1.0,
            "global_size": 1, "hashtag_size": 1, "hashtag_lists": 1}).fetchone()[0]
    scans = []

    def walk(node):
        if node.get("Relation Name") in {s.table for s in ranking.EVENT_SOURCES}:
            scans.append(f"{node['Relation Name'][6:]}: {node['Node Type']} {node.get('Index Name', '')}")
        for child in node.get("Plans", []):
            walk(child)

    walk((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"])
    print(f"dataset clock {clock:%Y-%m-%d %H:%M} UTC; events in the 48 h window: " + ", ".join(counts))
    print("plan: " + "; ".join(scans))
    return clock


def main() -> None:
    from bench.dataset import bench_database
    from tests.support.lambda_events import LambdaContext, api_gateway_event

    url = bench_database()
    folder = tempfile.mkdtemp(prefix="trending-bench-")
    os.environ.update(TRENDING_LOCAL_DIR=folder, TRENDING_REVALIDATE_S="5")
    os.environ.pop("TRENDING_BUCKET", None)
    config.reset()

    from chalicelib import db
    from chalicelib.trending import reader, writer

    db.fetch_one("SELECT 1")  # the connection is not what we measure
    clock = _window_report(url)
    runs = [writer.refresh(now=clock) for _ in range(REFRESHES)]
    ranks = [r.rank_s * 1000 for r in runs]
    totals = [r.total_s * 1000 for r in runs]
    print(f"refresh (1 ranking statement + writes, {REFRESHES} runs): ranking p50 "
          f"{statistics.median(ranks):6.0f} ms, total p50 {statistics.median(totals):6.0f} ms,"
          f" max {max(totals):6.0f} ms   target < 3000 ms")
    print(f"  first run wrote {len(runs[0].written)} objects; later runs wrote "
          f"{len(runs[-1].written)}, skipped {len(runs[-1].unchanged)} unchanged")

    from chalicelib.repo import trending as ranking

    old_sources = [s for s in ranking.EVENT_SOURCES if s.table in ("video_likes", "video_comments")]
    before = []
    for _ in range(REFRESHES):
        started = time.perf_counter()
        ranking.ranked_rows(now=clock, sources=old_sources)
        before.append((time.perf_counter() - started) * 1000)
    print(f"  (comparison: ranking on likes and comments only, p50 {statistics.median(before):6.0f} ms)")

    from app import app

    reader.reset()
    context = LambdaContext()
    cases = [
        ("GET /videos/trending/videos (limit 50)",
         api_gateway_event("GET", "/videos/trending/videos", query={"limit": "50"})),
        ("GET /v1/trending (limit 50)", api_gateway_event("GET", "/v1/trending", query={"limit": "50"})),
        ("GET /v1/trending/hashtags/kenya",
         api_gateway_event("GET", "/v1/trending/hashtags/kenya", resource="/v1/trending/hashtags/{tag}",
                           path_parameters={"tag": "kenya"})),
    ]
    first = app(cases[1][1], context)
    if first["statusCode"] != 200:
        raise SystemExit(f"GET /v1/trending answered {first['statusCode']}: {first['body'][:300]}")
    etag = first["headers"]["ETag"]
    cases.append(("GET /v1/trending, If-None-Match -> 304",
                  api_gateway_event("GET", "/v1/trending", query={"limit": "50"},
                                    headers={"If-None-Match": etag})))
    for label, event in cases:
        print(f"warm read {label:42s} {_percentiles(_time_handler(app, event, context))}")
    bare = _bare_app()
    samples = _time_handler(bare, api_gateway_event("GET", "/bare"), context)
    print(f"bare Chalice route, constant bytes {'':23s} {_percentiles(samples)}   (comparison)")
    print("warm read target: p50 < 50 us")
