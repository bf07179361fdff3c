"""The benchmark database: `trendke_bench` on the embedded Postgres (or BENCH_DATABASE_URL),
seeded once at the issue's sizes and reused while its row counts match."""
from __future__ import annotations

import os
import time

import psycopg

from chalicelib import config
from chalicelib.migrate import migrate
from devtools import local_db
from devtools.seed import SeedSizes, seed

# The sizes the issues name: 100k videos, 2k users, 1M likes, 200k comments.
FULL = SeedSizes(users=2_000, videos=100_000, likes=1_000_000, comments=200_000, follows=40_000)


def bench_database(sizes: SeedSizes = FULL) -> str:
    """A migrated, seeded database URL; DATABASE_URL is set to it for the code under test."""
    url = os.environ.get("BENCH_DATABASE_URL") or local_db.ensure_database(
        local_db.embedded_admin_url(), "trendke_bench"
    )
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        videos = conn.execute("SELECT count(*) FROM videos").fetchone()[0]
        users = conn.execute("SELECT count(*) FROM users").fetchone()[0]
        if (videos, users) != (sizes.videos, sizes.users):
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'schema_migrations'")]
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            started = time.perf_counter()
            seed(conn, sizes)
            print(f"[dataset] seeded {sizes} in {time.perf_counter() - started:.1f}s")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JWT_SECRET", config.DEV_JWT_SECRET)
    os.environ.setdefault("CLOUDINARY_URL", config.DEV_CLOUDINARY_URL)
    config.reset()
    return url
