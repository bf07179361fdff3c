"""Versioned SQL migrations: chalicelib/migrations/NNNN_name.sql, applied in order, once.

Every file only adds (IF NOT EXISTS everywhere), so running them against the live database
that the old backend uses loses nothing.

- An ordinary file runs in one transaction behind a transaction-scoped advisory lock, so two
  concurrent `migrate` runs never race.
- A file whose first line is `-- migrate: no-transaction` holds only
  `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS` statements for tables the old backend
  writes to: built without blocking its writes, one statement at a time (CONCURRENTLY cannot
  run in a transaction). A build that was interrupted leaves an INVALID index that IF NOT
  EXISTS would keep; it is dropped and rebuilt. Behind a session advisory lock: run
  `migrate` over a session connection (Supabase: the direct or session-pooler URL, not the
  transaction pooler).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, List

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x7472656E646B65  # "trendke"
NO_TRANSACTION = "-- migrate: no-transaction"
_INDEX_NAME = re.compile(r"INDEX\s+CONCURRENTLY\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.I)


def migration_files() -> List[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def _statements(sql: str) -> List[str]:
    """The statements of a no-transaction file (plain DDL: no semicolons inside)."""
    code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [part.strip() for part in code.split(";") if part.strip()]


def _applied(conn: Any, version: str) -> bool:
    row = conn.execute("SELECT 1 FROM schema_migrations WHERE version = %s", (version,)).fetchone()
    return row is not None


def _apply_in_transaction(conn: Any, version: str, sql: str) -> bool:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        if _applied(conn, version):
            return False
        conn.execute(sql)
        conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
    return True


def _apply_concurrently(conn: Any, version: str, sql: str) -> bool:
    conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
    try:
        if _applied(conn, version):
            return False
        for statement in _statements(sql):
            name = _INDEX_NAME.search(statement)
            if name is None:
                raise ValueError(f"{version}: only CREATE INDEX CONCURRENTLY belongs in it: {statement[:60]}")
            invalid = conn.execute(
                "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE c.relname = %s AND NOT i.indisvalid",
                (name.group(1),),
            ).fetchone()
            if invalid:
                conn.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name.group(1)}"')
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
        return True
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))


def migrate(conn: Any) -> List[str]:
    """Apply the migrations `conn`'s database lacks; answer the versions applied now.

    `conn` must be in autocommit mode (the no-transaction files need it).
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    applied_now = []
    for path in migration_files():
        sql = path.read_text()
        apply = _apply_concurrently if sql.startswith(NO_TRANSACTION) else _apply_in_transaction
        if apply(conn, path.stem, sql):
            applied_now.append(path.stem)
    return applied_now
