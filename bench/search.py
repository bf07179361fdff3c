"""Search and takedown on the benchmark database (100k videos, 2k users): warm in-process
invocations of the search routes for a common word, a rare word, a prefix and a misspelt
username (plus hashtag completion), and the time from a takedown to the video's absence from
the trending read answer (local store, no edge).

The seed's captions repeat (22 captions over 100k videos), so it has no rare word: five
videos get one (`zanzibarite`) in their description, once; the row count is unchanged.
"""
from __future__ import annotations

import json
import os
import statistics
import tempfile
import time

import psycopg

from bench.feed import _percentile
from chalicelib import config

WARMUP = 5
RUNS = 60
RARE = "zanzibarite"
CASES = [
    ("videos: common word 'nairobi'", "/v1/search/videos", "nairobi"),
    ("videos: two common words", "/v1/search/videos", "nairobi traffic"),
    ("videos: rare word", "/v1/search/videos", RARE),
    ("videos: prefix 'nya' (as typed)", "/v1/search/videos", "nya"),
    ("users: misspelt 'wanjku_19'", "/v1/search/users", "wanjku_19"),
    ("users: prefix 'kip'", "/v1/search/users", "kip"),
    ("hashtags: prefix 'ke'", "/v1/search/hashtags", "ke"),
]


def _prepare(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM videos WHERE description LIKE %s LIMIT 1", (f"%{RARE}%",)).fetchone():
            conn.execute("UPDATE videos SET description = coalesce(description, '') || ' ' || %s"
                         " WHERE id IN (SELECT id FROM videos ORDER BY id LIMIT 5)", (RARE,))
        conn.execute("ANALYZE videos, users")


def _matches(url: str) -> dict:
    from chalicelib.search import query

    with psycopg.connect(url, autocommit=True) as conn:
        out = {}
        for _, path, q in CASES:
            if path.endswith("videos"):
                out[q] = conn.execute(
                    "SELECT count(*) FROM videos v WHERE trendke_video_document(v.title, v.description,"
                    " v.hashtags) @@ to_tsquery('simple', %s) AND v.status = 'ready' AND v.deleted_at IS NULL",
                    (query.tsquery(q),)).fetchone()[0]
        return out


def searches(app, url: str) -> None:
    from tests.support.lambda_events import LambdaContext, api_gateway_event

    counts = _matches(url)
    print(f"warm in-process invocations, {RUNS} each after {WARMUP} warm-up (limit 20)")
    print(f"{'request':36} {'matches':>8} {'p50 ms':>8} {'p99 ms':>8}  first result")
    for name, path, q in CASES:
        event = api_gateway_event("GET", path, query={"q": q, "limit": "20"})
        first = None
        for _ in range(WARMUP):
            out = app(event, LambdaContext())
            assert out["statusCode"] == 200, out["body"][:200]
            items = json.loads(out["body"])["items"]
            first = (items[0].get("title") or items[0].get("username") or items[0].get("hashtag")) if items else "-"
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            app(event, LambdaContext())
            timings.append((time.perf_counter() - started) * 1000)
        matched = counts.get(q, "")
        print(f"{name:36} {matched!s:>8} {statistics.median(timings):8.2f} {_percentile(timings, 99):8.2f}  {first}")


def takedown(app, url: str) -> None:
    """Refresh trending at the dataset's clock, take the top video down through the route,
    then read /v1/trending until it is gone; restore it afterwards."""
    from bench.dataset import dataset_clock
    from chalicelib.auth import mint_token
    from chalicelib.trending import reader, writer
    from tests.support.lambda_events import LambdaContext, api_gateway_event

    with psycopg.connect(url, autocommit=True) as conn:
        clock = dataset_clock(conn)
        admin = str(conn.execute("SELECT id FROM users ORDER BY id LIMIT 1").fetchone()[0])
        role = conn.execute("SELECT role FROM users WHERE id = %s", (admin,)).fetchone()[0]
        conn.execute("UPDATE users SET role = 'admin' WHERE id = %s", (admin,))
    try:
        writer.refresh(now=clock)
        reader.reset()
        read = api_gateway_event("GET", "/v1/trending", query={"limit": "100"})
        headers = {"Authorization": "Bearer " + mint_token(admin, config.DEV_JWT_SECRET),
                   "Content-Type": "application/json"}
        samples = []
        for _ in range(3):
            items = json.loads(app(read, LambdaContext())["body"])["items"]
            video = items[0]["id"]
            act = lambda action: app(api_gateway_event(  # noqa: E731
                "POST", f"/v1/admin/videos/{video}/{action}", resource=f"/v1/admin/videos/{{id}}/{action}",
                path_parameters={"id": video}, headers=headers, body={"reason": "bench"}), LambdaContext())
            started = time.perf_counter()
            assert act("takedown")["statusCode"] == 200
            while video in [i["id"] for i in json.loads(app(read, LambdaContext())["body"])["items"]]:
                time.sleep(0.001)
            samples.append((time.perf_counter() - started) * 1000)
            act("restore")
            writer.refresh(now=clock)
        print(f"\ntakedown -> absent from GET /v1/trending (same environment, local store, "
              f"{len(items)} listed): " + ", ".join(f"{s:.0f} ms" for s in samples))
        print(f"  other warm environments: within TRENDING_REVALIDATE_S = {config.settings().trending_revalidate_s:g} s;"
              " the edge: when CloudFront completes the invalidation")
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("UPDATE users SET role = %s WHERE id = %s", (role, admin))


def main() -> None:
    from bench.dataset import bench_database

    url = bench_database()
    folder = tempfile.mkdtemp(prefix="search-bench-")
    os.environ.update(TRENDING_LOCAL_DIR=folder, TRENDING_REVALIDATE_S="5")
    os.environ.pop("TRENDING_BUCKET", None)
    os.environ.pop("CLOUDFRONT_DISTRIBUTION_ID", None)
    config.reset()
    _prepare(url)
    from app import app
    from chalicelib.search import service

    started = time.perf_counter()
    tags = service.refresh_hashtags()
    print(f"search_hashtags recount and window floor: {tags} tags in {(time.perf_counter() - started) * 1000:.0f} ms")
    with psycopg.connect(url, autocommit=True) as conn:
        floor = conn.execute("SELECT hotness_floor FROM search_window").fetchone()[0]
    print(f"window: matches with hotness >= {floor:.3f} (the 2,000th hottest) are scored first")
    searches(app, url)
    takedown(app, url)


if __name__ == "__main__":
    main()
