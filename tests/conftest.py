"""Shared fixtures: a real Postgres (the embedded server `make dev` uses, or TEST_DATABASE_URL),
migrated once per session and emptied before each test, and Chalice's in-process test client.

TEST_SCHEMA picks what the migrations run on: `live` (the default) builds the current
backend's schema from tests/legacy_schema first, as the production database was built;
`empty` starts from nothing. `make test` runs the suite on both. The database's TimeZone is
not UTC in either (the API must not depend on it); the `sql` fixture writes as the current
backend does on Supabase, in UTC.
"""
from __future__ import annotations

import os
import time
import uuid
from typing import Dict, Iterator

import pytest

from chalicelib import config

# The dev stage's documented values, so tests and `make dev` agree; settings are cached per
# execution environment, so they are fixed before anything reads them.
BASE_ENV = {
    "STAGE": "test",
    "JWT_SECRET": config.DEV_JWT_SECRET,
    "JWT_ALGORITHM": "HS256",
    "CLOUDINARY_URL": config.DEV_CLOUDINARY_URL,
    "CORS_ALLOW_ORIGIN": "http://localhost:5173",
    # bcrypt at its cheapest for speed; the tests of real costs set their own (12 for the
    # old backend's hashes, which carry their cost).
    "BCRYPT_ROUNDS": "4",
    # Not refused without CloudFront's origin header, but recognised with it (the tests that
    # play a viewer behind CloudFront send it: tests/support/accounts.py; test_origin.py turns
    # the check on).
    "ORIGIN_CHECK": "off",
    "ORIGIN_SECRET": "test-origin-secret",
}
for _name in ("JWT_JWKS_URL", "JWT_AUDIENCE", "JWT_ISSUER", "JWT_ROLE", "TRENDING_BUCKET", "DATABASE_URL", "MAIL_FROM"):
    os.environ.pop(_name, None)
os.environ.update(BASE_ENV)
config.reset()


TEST_SCHEMA = os.environ.get("TEST_SCHEMA", "live")
if TEST_SCHEMA not in ("live", "empty"):
    raise SystemExit(f"TEST_SCHEMA must be 'live' or 'empty', not {TEST_SCHEMA!r}")
# A server TimeZone that is not UTC, so code that reads a live `timestamp` column in the
# session's zone shows up; a different one per schema.
SERVER_TIMEZONE = {"live": "Africa/Nairobi", "empty": "Pacific/Chatham"}[TEST_SCHEMA]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated test database. Never DATABASE_URL: the suite empties its tables."""
    import psycopg

    from chalicelib.migrate import migrate

    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        from devtools import local_db

        url = local_db.ensure_database(
            local_db.embedded_admin_url(), f"trendke_test_{TEST_SCHEMA}", recreate=True)
    with psycopg.connect(url, autocommit=True) as conn:
        fresh = conn.execute("SELECT to_regclass('public.users') IS NULL").fetchone()[0]
        if TEST_SCHEMA == "live" and fresh:  # a TEST_DATABASE_URL may hold it already
            from tests.support.legacy import build_live_schema

            build_live_schema(conn)
        dbname = conn.info.dbname
        conn.execute(f"ALTER DATABASE \"{dbname}\" SET timezone TO '{SERVER_TIMEZONE}'")
        migrate(conn)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("TRENDING_LOCAL_DIR", str(tmp_path_factory.mktemp("trending-store")))
    config.reset()
    return url


@pytest.fixture(scope="session")
def _app_tables(database_url: str) -> list:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'schema_migrations'"
        ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture(autouse=True)
def clean_db(database_url: str, _app_tables: list) -> Iterator[None]:
    """Every test starts from empty tables and fresh per-environment caches."""
    import psycopg

    from chalicelib import db
    from chalicelib.gifts import leaderboard, ledger
    from chalicelib.repo import users

    with psycopg.connect(database_url, autocommit=True) as conn:
        if _app_tables:
            truncate = "TRUNCATE " + ", ".join(f'"{t}"' for t in _app_tables) + " CASCADE"
            # A background thread of the previous test (the live welcome a socket's connect
            # starts, a fold) may still hold row locks: TRUNCATE can deadlock with it, and
            # Postgres cancels one side. The thread's work is moot; try again.
            for attempt in range(5):
                try:
                    conn.execute(truncate)
                    break
                except psycopg.errors.DeadlockDetected:
                    if attempt == 4:
                        raise
                    time.sleep(0.2)
    users.forget_known()
    ledger.forget_opened()
    leaderboard.forget()
    yield
    db.close()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch):
    """Change configuration for one test: set variables, then re-read them once."""

    def apply(**values: str | None) -> config.Settings:
        for name, value in values.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        config.reset()
        return config.settings()

    yield apply
    config.reset()


@pytest.fixture(scope="session")
def chalice_app(database_url: str):
    from app import app

    return app


@pytest.fixture
def client(chalice_app) -> Iterator:
    from chalice.test import Client

    # A stage the config file does not name: Chalice patches in no variables of its own.
    with Client(chalice_app, stage_name="test") as test_client:
        yield test_client


@pytest.fixture
def sql(database_url: str):
    """Run SQL on the test database outside the code under test."""
    import psycopg
    from psycopg.rows import dict_row

    conn = psycopg.connect(database_url, autocommit=True, row_factory=dict_row,
                           options="-c TimeZone=UTC")

    def run(statement: str, params=()) -> list:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else []

    yield run
    conn.close()


@pytest.fixture
def make_user(sql):
    def create(username: str | None = None, **fields) -> Dict:
        name = username or "user_" + uuid.uuid4().hex[:8]
        row = {
            "email": f"{name}@example.test",
            "username": name,
            "full_name": name.title(),
            "password_hash": "!",
            **fields,
        }
        cols = ", ".join(row)
        marks = ", ".join(["%s"] * len(row))
        return sql(f"INSERT INTO users ({cols}) VALUES ({marks}) RETURNING *", list(row.values()))[0]

    return create


def auth_headers(user_id, **claims) -> Dict[str, str]:
    from chalicelib.auth import mint_token

    return {"Authorization": "Bearer " + mint_token(str(user_id), config.DEV_JWT_SECRET, **claims)}
