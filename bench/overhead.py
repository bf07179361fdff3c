"""The hot path's own overhead, all in one run: a warm trending read through the Lambda
handler, the same read without the observability middleware (`observe`) and without any of
ours, and a bare Chalice app whose one route answers constant bytes.

Interleaved: rounds of ROUND calls of each variant in turn, so the shared machine's load
hits all of them alike; the figure per variant is the median of its rounds' medians.
Targets (issue 18): trending read <= 1.5x the bare route; `observe` < a quarter of the read.
Also usable as `measure()` by the capacity run. Its own small database (trendke_bench_overhead):
a trending read does not touch Postgres once the lists are held.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from contextlib import redirect_stdout
from typing import Callable, Dict, List

ROUNDS = 15
ROUND = 1000


def _small_database() -> str:
    import psycopg

    from chalicelib import config
    from chalicelib.migrate import migrate
    from devtools import local_db
    from devtools.seed import SeedSizes, seed

    url = os.environ.get("BENCH_OVERHEAD_DATABASE_URL") or local_db.ensure_database(
        local_db.embedded_admin_url(), "trendke_bench_overhead")
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('public.users') IS NULL").fetchone()[0]:
            from tests.support.legacy import build_live_schema

            build_live_schema(conn)
        migrate(conn)
        if conn.execute("SELECT count(*) FROM videos").fetchone()[0] == 0:
            seed(conn, SeedSizes(users=50, videos=500, likes=3000, comments=500, follows=100))
    os.environ.update(DATABASE_URL=url, TRENDING_LOCAL_DIR=tempfile.mkdtemp(prefix="overhead-"),
                      TRENDING_REVALIDATE_S="5")
    os.environ.pop("TRENDING_BUCKET", None)
    os.environ.setdefault("JWT_SECRET", config.DEV_JWT_SECRET)
    os.environ.setdefault("CLOUDINARY_URL", config.DEV_CLOUDINARY_URL)
    config.reset()
    return url


def _round(handler: Callable, event: dict, context) -> float:
    clock = time.perf_counter_ns
    samples = []
    for _ in range(ROUND):
        started = clock()
        handler(event, context)
        samples.append(clock() - started)
    return statistics.median(samples) / 1000


def measure() -> Dict[str, float]:
    """Median microseconds per variant, interleaved."""
    _small_database()
    from app import app
    from bench.trending import _bare_app
    from chalicelib.trending import reader, writer
    from tests.support.lambda_events import LambdaContext, api_gateway_event

    writer.refresh()
    reader.reset()
    context = LambdaContext("trendke-api-prod")
    read = api_gateway_event("GET", "/v1/trending", query={"limit": "50"})
    bare_app, bare = _bare_app(), api_gateway_event("GET", "/bare")
    saved = list(app.middleware_handlers)
    ours = {m[0].__name__ for m in saved if m[1] in ("http", "all")}
    without_observe = [m for m in saved if m[0].__name__ != "observe"]

    def with_handlers(handlers: List) -> Callable:
        def call(event, ctx):
            app.middleware_handlers = handlers
            try:
                return app(event, ctx)
            finally:
                app.middleware_handlers = saved
        return call

    variants = {
        "trending read, as deployed": (app, read),
        "trending read, without observe": (with_handlers(without_observe), read),
        "trending read, without our middleware": (with_handlers([]), read),
        "bare Chalice route, constant bytes": (bare_app, bare),
    }
    rounds: Dict[str, List[float]] = {name: [] for name in variants}
    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        answer = app(read, context)
        assert answer["statusCode"] == 200, answer
        for handler, event in variants.values():
            _round(handler, event, context)  # warm
        for _ in range(ROUNDS):
            for name, (handler, event) in variants.items():
                rounds[name].append(_round(handler, event, context))
    out = {name: statistics.median(values) for name, values in rounds.items()}
    out["middleware"] = sorted(ours)
    return out


def main() -> None:
    m = measure()
    for name in list(m)[:4]:
        print(f"{name:42s} p50 {m[name]:7.1f} us")
    read, bare = m["trending read, as deployed"], m["bare Chalice route, constant bytes"]
    observe = read - m["trending read, without observe"]
    ours = read - m["trending read, without our middleware"]
    print(f"trending read / bare route                 {read / bare:7.2f}x    target <= 1.5x")
    print(f"observe middleware                         {observe:7.1f} us = {observe / read:.0%} of the read"
          f"   target < 25%")
    print(f"all of our middleware ({', '.join(m['middleware'])})"
          f" {ours:5.1f} us = {ours / read:.0%} of the read")
