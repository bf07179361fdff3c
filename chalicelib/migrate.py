"""Versioned SQL migrations: chalicelib/migrations/NNNN_name.sql, applied in order, once.

Every file only adds (IF NOT EXISTS everywhere), so running them against the live database
that the old backend uses loses nothing. Each file runs in its own transaction behind a
transaction-scoped advisory lock, which works through a transaction-mode pooler and keeps
two concurrent `migrate` runs from racing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, List

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x7472656E646B65  # "trendke"


def migration_files() -> List[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def migrate(conn: Any) -> List[str]:
    """Apply the migrations `conn`'s database lacks; answer the versions applied now."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    applied_now = []
    for path in migration_files():
        version = path.stem
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = %s", (version,)
            ).fetchone()
            if done:
                continue
            conn.execute(path.read_text())
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
            applied_now.append(version)
    return applied_now
