"""The benchmark database: `trendke_bench_live` on the embedded Postgres (the live schema,
built from tests/legacy_schema, then migrated) (or BENCH_DATABASE_URL),
seeded once at the issue's sizes and reused while its row counts match. Views and shares
(trending's other inputs) are a second step with its own count check, so a database seeded
before they existed gains them without reseeding the rest."""
from __future__ import annotations

import datetime
import os
import time

import psycopg

from chalicelib import config
from chalicelib.migrate import migrate
from devtools import local_db
from devtools.seed import SeedSizes, seed

# The sizes the issues name: 100k videos, 2k users, 1M likes, 200k comments, 5M views.
FULL = SeedSizes(users=2_000, videos=100_000, likes=1_000_000, comments=200_000, follows=40_000)
VIEWS = 5_000_000
SHARES = 100_000
CHANNELS = ["whatsapp", "facebook", "x", "telegram", "instagram", "tiktok", "sms", "copy_link"]

# One INSERT ... SELECT per table, generated in Postgres. Each event picks a video with a
# popularity skew (power(random(), 3) over the videos in id order, i.e. unrelated to age: the
# top 1 % of videos get about a fifth of the events), then a moment between the video's upload
# and the dataset's clock skewed toward the upload (power(random(), 4)): most views come soon
# after a video appears, and about an eighth of them fall in trending's last 48 h. Viewer keys
# are distinct ('bench-' || g), so the unique (video_id, viewer_key, hour) never conflicts;
# a third of the events are signed in.
_EVENTS = """
    WITH v AS MATERIALIZED (SELECT row_number() OVER (ORDER BY id) AS k, id, created_at FROM videos),
         u AS MATERIALIZED (SELECT row_number() OVER (ORDER BY id) AS k, id FROM users),
         picks AS MATERIALIZED (
             SELECT g, 1 + floor(power(random(), 3) * (SELECT count(*) FROM v))::bigint AS k
             FROM generate_series(1, %(n)s) g)
    INSERT INTO {table} (video_id, user_id, viewer_key, hour, {extra_col} created_at)
    SELECT video_id, user_id, 'bench-' || g, date_trunc('hour', at, 'UTC'), {extra_val} at
    FROM (SELECT p.g, v.id AS video_id, u.id AS user_id,
                 (v.created_at + power(random(), 4) * (%(clock)s - v.created_at)) AT TIME ZONE 'UTC' AS at
          FROM picks p JOIN v USING (k)
          LEFT JOIN u ON p.g %% 3 = 0 AND u.k = 1 + p.g %% (SELECT count(*) FROM u)
          OFFSET 0) e"""
_VIEWS = _EVENTS.format(table="video_views", extra_col="watch_ms,",
                        extra_val="3000 + (g::bigint * 7919) %% 57000,")
_SHARES = _EVENTS.format(table="video_shares", extra_col="channel,",
                         extra_val="(%(channels)s::text[])[1 + g %% cardinality(%(channels)s::text[])],")


def dataset_clock(conn) -> datetime.datetime:
    """The instant the dataset was seeded (its newest like: likes are capped at the seed's
    now()). Events are generated up to it and the trending bench ranks at it, so the 48 h
    window holds the same events however long ago the database was seeded."""
    return conn.execute("SELECT max(created_at) FROM video_likes").fetchone()[0]


def _seed_views_and_shares(conn) -> None:
    views = conn.execute("SELECT count(*) FROM video_views").fetchone()[0]
    shares = conn.execute("SELECT count(*) FROM video_shares").fetchone()[0]
    if views >= VIEWS and shares >= SHARES:  # rows added since by other code don't force a reseed
        return
    started = time.perf_counter()
    clock = dataset_clock(conn)
    with conn.transaction():
        conn.execute("TRUNCATE video_views, video_shares")
        if conn.execute("SELECT current_setting('is_superuser') = 'on'").fetchone()[0]:
            # Skip the per-row foreign-key triggers (a third of the time): the ids come from
            # the tables themselves.
            conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute(_VIEWS, {"n": VIEWS, "clock": clock})
        conn.execute(_SHARES, {"n": SHARES, "clock": clock, "channels": CHANNELS})
    # Index-only scans need the visibility map: autovacuum would set it later; do it now.
    conn.execute("VACUUM (ANALYZE) video_views, video_shares")
    print(f"[dataset] seeded {VIEWS:,} views and {SHARES:,} shares"
          f" in {time.perf_counter() - started:.1f}s")


def bench_database(sizes: SeedSizes = FULL) -> str:
    """A migrated, seeded database URL; DATABASE_URL is set to it for the code under test."""
    url = os.environ.get("BENCH_DATABASE_URL") or local_db.ensure_database(
        local_db.embedded_admin_url(), "trendke_bench_live"
    )
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('public.users') IS NULL").fetchone()[0]:
            from tests.support.legacy import build_live_schema

            build_live_schema(conn)  # measured on the schema production runs
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
        if sizes == FULL:
            _seed_views_and_shares(conn)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JWT_SECRET", config.DEV_JWT_SECRET)
    os.environ.setdefault("CLOUDINARY_URL", config.DEV_CLOUDINARY_URL)
    config.reset()
    return url
