"""The feed read path on the big seeded database (100k videos, 2k users, 1M likes, 200k
comments): warm in-process Lambda invocations, then a bounded burst through `chalice local`.

In-process: an API Gateway proxy event goes into `app.app(event, context)` and the response
comes out, as Lambda runs it, after a warm-up (the environment's connection is open).
Statements per request are what Postgres itself counted (pg_stat_statements).
Target (issue 3): p50 at most 3 ms for every cursor page at any depth, one statement each.
"""
from __future__ import annotations

import http.client
import statistics
import threading
import time
from typing import Dict, List, Optional

import psycopg

from bench.dataset import bench_database
from tests.support.lambda_events import LambdaContext, api_gateway_event
from tests.support.local_server import chalice_local
from tests.support.pg_stats import count_statements

WARMUP = 30
RUNS = 400
COUNTED = 50
PAGE = 20
LOCAL_PORT = 8101  # this area's assigned port
BURST_REQUESTS = 1500
BURST_THREADS = 8


def _percentile(values: List[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _cases(url: str) -> Dict[str, dict]:
    """The requests the issue names, as API Gateway events."""
    from chalicelib import cursors

    with psycopg.connect(url, autocommit=True) as conn:
        # A page-500 cursor is the position of the last row of page 499: the same token
        # walking 499 pages would have handed out.
        at, last_id = conn.execute(
            "SELECT created_at, id FROM videos WHERE status = 'ready' AND deleted_at IS NULL"
            " ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1", (499 * PAGE - 1,)
        ).fetchone()
        video_id = str(conn.execute(
            "SELECT id FROM videos WHERE status = 'ready' ORDER BY likes_count DESC LIMIT 1"
        ).fetchone()[0])
    page500 = cursors.encode("feed", at, last_id)
    limit = {"limit": str(PAGE)}
    return {
        "GET /v1/feed (page 1)": api_gateway_event("GET", "/v1/feed", query=limit),
        "GET /v1/feed (page 500)": api_gateway_event(
            "GET", "/v1/feed", query={**limit, "cursor": page500}),
        "GET /v1/videos/{id}": api_gateway_event(
            "GET", f"/v1/videos/{video_id}", resource="/v1/videos/{id}",
            path_parameters={"id": video_id}),
        "GET /videos/feed?offset=0": api_gateway_event(
            "GET", "/videos/feed", query={**limit, "offset": "0"}),
        "GET /videos/feed?offset=5000": api_gateway_event(
            "GET", "/videos/feed", query={**limit, "offset": "5000"}),
    }


def _invoke(handler, event) -> None:
    out = handler(event, LambdaContext())
    if out["statusCode"] != 200:
        raise RuntimeError(f"{event['path']}: {out['statusCode']} {out['body'][:200]}")


def in_process(url: str) -> None:
    from app import app

    cases = _cases(url)
    print(f"warm in-process invocations, {RUNS} each after {WARMUP} warm-up (limit={PAGE})")
    print(f"{'request':34} {'p50 ms':>8} {'p99 ms':>8} {'statements/request':>20}")
    for name, event in cases.items():
        for _ in range(WARMUP):
            _invoke(app, event)
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            _invoke(app, event)
            timings.append((time.perf_counter() - started) * 1000)
        with count_statements(url) as counted:
            for _ in range(COUNTED):
                _invoke(app, event)
        per_request = counted.count / COUNTED
        print(f"{name:34} {statistics.median(timings):8.2f} {_percentile(timings, 99):8.2f}"
              f" {per_request:20.2f}")
    print("target: cursor pages p50 <= 3 ms at any depth, 1 statement each")


def _load(port: int, paths: List[str], total: int, threads: int) -> dict:
    """`total` GETs spread over `threads` keep-alive-less clients; answers per second."""
    lock = threading.Lock()
    state = {"next": 0, "errors": 0, "latencies": []}

    def worker() -> None:
        while True:
            with lock:
                n = state["next"]
                if n >= total:
                    return
                state["next"] += 1
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", paths[n % len(paths)])
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                state["latencies"].append(elapsed)
                if not ok:
                    state["errors"] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    return {"rps": total / wall, "wall": wall, "errors": state["errors"],
            "p50": statistics.median(state["latencies"]), "p99": _percentile(state["latencies"], 99)}


def burst(url: str, port: Optional[int] = LOCAL_PORT) -> None:
    paths = ["/v1/feed?limit=20", "/videos/feed?limit=20&offset=0", "/v1/feed?limit=20",
             "/videos/feed?limit=20&offset=5000"]
    with chalice_local({"DATABASE_URL": url}, port=port) as bound:
        _load(bound, paths, 100, BURST_THREADS)  # warm every server thread's connection
        result = _load(bound, paths, BURST_REQUESTS, BURST_THREADS)
    print(f"\nburst through chalice local (127.0.0.1:{port}): {BURST_REQUESTS} GETs, {BURST_THREADS} threads,"
          f" feed page 1 and offset pages")
    print(f"  {result['rps']:.0f} requests/s over {result['wall']:.1f} s, latency p50 {result['p50']:.1f} ms,"
          f" p99 {result['p99']:.1f} ms, {result['errors']} errors")
    print("  (chalice local is a development server: one Python process, a thread per request;"
          " it shows the code holds up under concurrency, not Lambda's throughput)")


def main() -> None:
    url = bench_database()
    with psycopg.connect(url, autocommit=True) as conn:
        # What autovacuum does on a live database: the visibility map lets the OFFSET form
        # skip rows on the index alone.
        conn.execute("VACUUM (ANALYZE) videos, video_comments, follows")
    in_process(url)
    burst(url)


if __name__ == "__main__":
    main()
