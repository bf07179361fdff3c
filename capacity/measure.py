"""In-process, warm measurements on this machine: per route class the CPU ms (this process),
wall ms, statements and Postgres execution ms (pg_stat_statements) of one request through
the Lambda handler; the trending refresh against data size; a bcrypt log-in.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from contextlib import redirect_stdout
from typing import Dict, List

import psycopg

from chalicelib import config
from devtools import local_db
from devtools.seed import SeedSizes, seed

CALLS = 60
LOAD_DB = "trendke_capacity"
# Refresh cost against data size: the seed's shape scaled (likes 10x videos, comments 2x).
REFRESH_SIZES = [2_000, 8_000, 24_000]


def _sizes(videos: int) -> SeedSizes:
    return SeedSizes(users=max(200, videos // 20), videos=videos, likes=videos * 10,
                     comments=videos * 2, follows=videos)


def database(name: str, sizes: SeedSizes) -> str:
    """A migrated database seeded at `sizes` (kept while its counts match)."""
    from chalicelib.migrate import migrate

    url = local_db.ensure_database(local_db.embedded_admin_url(), name)
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('public.users') IS NULL").fetchone()[0]:
            from tests.support.legacy import build_live_schema

            build_live_schema(conn)
        migrate(conn)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        counts = conn.execute("SELECT (SELECT count(*) FROM videos), (SELECT count(*) FROM users)").fetchone()
        if counts != (sizes.videos, sizes.users):
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")]
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            seed(conn, sizes)
            conn.execute("VACUUM ANALYZE")
    return url


def use(url: str, trending_dir: str) -> None:
    os.environ.update(DATABASE_URL=url, TRENDING_LOCAL_DIR=trending_dir, TRENDING_REVALIDATE_S="5",
                      JWT_SECRET=config.DEV_JWT_SECRET, CLOUDINARY_URL=config.DEV_CLOUDINARY_URL,
                      AUTH_RATE_LIMITS="signup=1000000/60,token_try=1000000/60",
                      RATE_LIMITS="comment=1000000/60,like=1000000/60,follow=1000000/60,upload=1000000/3600")
    os.environ.pop("TRENDING_BUCKET", None)
    config.reset()
    from chalicelib import db

    db.close()


class _PgStats:
    def __init__(self, url: str):
        self.conn = psycopg.connect(url, autocommit=True)

    def reset(self) -> None:
        self.conn.execute("SELECT pg_stat_statements_reset()")

    def read(self) -> tuple:
        calls, ms = self.conn.execute(
            "SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0) FROM pg_stat_statements"
            " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND query NOT ILIKE '%pg_stat_statements%'").fetchone()
        return float(calls), float(ms)


def _token(user_id: str) -> str:
    import jwt

    now = int(time.time())
    return jwt.encode({"sub": user_id, "iat": now, "exp": now + 3600}, config.DEV_JWT_SECRET, algorithm="HS256")


def _events(url: str) -> Dict[str, callable]:
    """Per route class, a function giving a fresh API Gateway event (writes need new ids)."""
    from tests.support.lambda_events import api_gateway_event as ev

    with psycopg.connect(url, autocommit=True) as conn:
        video, owner = (str(v) for v in conn.execute(
            "SELECT id, user_id FROM videos WHERE status = 'ready' AND deleted_at IS NULL"
            " ORDER BY likes_count DESC LIMIT 1").fetchone())
        email = conn.execute("SELECT email FROM users ORDER BY email LIMIT 1").fetchone()[0]
    from app import app
    from tests.support.lambda_events import LambdaContext

    with redirect_stdout(open(os.devnull, "w")):
        page = json.loads(app(ev("GET", "/v1/feed", query={"limit": "20"}), LambdaContext())["body"])
    cursor = page["next_cursor"]
    vid = {"resource": "/v1/videos/{id}", "path_parameters": {"id": video}}
    auth = lambda: {"Authorization": f"Bearer {_token(str(uuid.uuid4()))}"}  # noqa: E731
    return {
        "trending": lambda: ev("GET", "/v1/trending", query={"limit": "20"}),
        "feed_first": lambda: ev("GET", "/v1/feed", query={"limit": "20"}),
        "feed_later": lambda: ev("GET", "/v1/feed", query={"limit": "20", "cursor": cursor}),
        "hashtag": lambda: ev("GET", "/v1/hashtags/kenya/videos", query={"limit": "20"},
                              resource="/v1/hashtags/{tag}/videos", path_parameters={"tag": "kenya"}),
        "video": lambda: ev("GET", f"/v1/videos/{video}", **vid),
        "comments": lambda: ev("GET", f"/v1/videos/{video}/comments", query={"limit": "20"},
                               resource="/v1/videos/{id}/comments", path_parameters={"id": video}),
        "profile": lambda: ev("GET", f"/auth/user/{owner}", resource="/auth/user/{user_id}",
                              path_parameters={"user_id": owner}),
        "view": lambda: ev("POST", f"/v1/videos/{video}/views", resource="/v1/videos/{id}/views",
                           path_parameters={"id": video}, headers=auth(), body={"watch_ms": 12000}),
        "like": lambda: ev("PUT", f"/v1/videos/{video}/like", resource="/v1/videos/{id}/like",
                           path_parameters={"id": video}, headers=auth()),
        "comment": lambda: ev("POST", f"/v1/videos/{video}/comments", resource="/v1/videos/{id}/comments",
                              path_parameters={"id": video}, body={"content": "Hii ni moto!"},
                              headers={**auth(), "Idempotency-Key": str(uuid.uuid4())}),
        "follow": lambda: ev("PUT", f"/v1/users/{owner}/follow", resource="/v1/users/{id}/follow",
                             path_parameters={"id": owner}, headers=auth()),
        "me": lambda: ev("GET", "/auth/me", headers=auth()),
        "login": lambda: ev("POST", "/auth/login", body={"email": email, "password": "trendke-demo"}),
    }


def route_costs(url: str, calls: int = CALLS) -> Dict[str, dict]:
    """One warm request of each class: CPU ms, wall ms, statements, Postgres ms, body bytes."""
    from app import app
    from tests.support.lambda_events import LambdaContext

    context, stats, out = LambdaContext("trendke-api-prod"), _PgStats(url), {}
    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        for name, make in _events(url).items():
            n = 5 if name == "login" else calls
            events = [make() for _ in range(n + 3)]
            for event in events[:3]:
                answer = app(event, context)  # warm: connection, first-use set-up
            assert answer["statusCode"] < 300, (name, answer["statusCode"], answer["body"][:200])
            stats.reset()
            cpu, wall = time.thread_time(), time.perf_counter()
            size = 0
            for event in events[3:]:
                size += len(app(event, context)["body"])
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            statements, db_ms = stats.read()
            out[name] = {"cpu_ms": cpu * 1000 / n, "wall_ms": wall * 1000 / n,
                         "statements": statements / n, "db_ms": db_ms / n, "bytes": size // n}
    return out


def refresh_costs(sizes: List[int] = REFRESH_SIZES) -> List[dict]:
    """The trending refresh (ranking statement + writes) on databases of growing size."""
    from chalicelib.trending import writer

    out = []
    for videos in sizes:
        url = database(f"trendke_capacity_{videos}", _sizes(videos))
        use(url, tempfile.mkdtemp(prefix="capacity-refresh-"))
        stats = _PgStats(url)
        writer.refresh()  # warm
        stats.reset()
        cpu, wall = time.thread_time(), time.perf_counter()
        result = writer.refresh()
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        statements, db_ms = stats.read()
        out.append({"videos": videos, "likes": videos * 10, "wall_ms": wall * 1000, "cpu_ms": cpu * 1000,
                    "db_ms": db_ms, "statements": statements, "objects": len(result.written) + len(result.unchanged)})
    return out


def bcrypt_ms(rounds: int = 12, runs: int = 3) -> float:
    """One password check at the production cost (BCRYPT_ROUNDS in .chalice/config.json)."""
    import bcrypt

    hashed = bcrypt.hashpw(b"capacity-password", bcrypt.gensalt(rounds))
    started = time.thread_time()
    for _ in range(runs):
        bcrypt.checkpw(b"capacity-password", hashed)
    return (time.thread_time() - started) * 1000 / runs


RSS_PROBE = r"""
import os, resource, sys
sys.path.insert(0, os.getcwd())
import app
from chalicelib import observability
from chalicelib.trending import writer
observability.send_output_to(open(os.devnull, "w"))
writer.refresh()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def refresh_rss_mb(videos: int) -> float:
    """Peak memory of a fresh process that imports the app and runs one refresh (the
    trending_refresh function's whole life) on the `videos`-sized database."""
    import subprocess
    import sys
    from pathlib import Path

    url = local_db.ensure_database(local_db.embedded_admin_url(), f"trendke_capacity_{videos}")
    env = {**os.environ, "DATABASE_URL": url, "TRENDING_LOCAL_DIR": tempfile.mkdtemp(prefix="capacity-rss-")}
    done = subprocess.run([sys.executable, "-c", RSS_PROBE], cwd=Path(__file__).resolve().parent.parent,
                          env=env, capture_output=True, text=True, timeout=300, check=True)
    return float(done.stdout.strip().splitlines()[-1])
