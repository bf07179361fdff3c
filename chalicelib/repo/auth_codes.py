"""SQL for the live one-per-user token tables: email_verifications, password_resets
(column `token`) and two_factor_codes (column `code`). They hold sha256 hex digests, never
the token or code itself; a row is deleted when used (single use) and replaced when a new
one is issued (the live UNIQUE(user_id))."""
from __future__ import annotations

from typing import Any, Optional

# table -> the column holding the digest
TABLES = {"email_verifications": "token", "password_resets": "token", "two_factor_codes": "code"}


def _column(table: str) -> str:
    if table not in TABLES:
        raise ValueError(table)
    return TABLES[table]


def put(conn: Any, table: str, user_id: str, digest: str, ttl_s: int) -> None:
    column = _column(table)
    conn.execute(
        f"INSERT INTO {table} (user_id, {column}, expires_at, created_at)"
        " VALUES (%s, %s, now() + make_interval(secs => %s), now())"
        f" ON CONFLICT (user_id) DO UPDATE SET {column} = EXCLUDED.{column},"
        " expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at",
        (user_id, digest, ttl_s),
    )


def take(conn: Any, table: str, digest: str, user_id: Optional[str] = None) -> Optional[str]:
    """Use a live (unexpired) digest once: its row is deleted; answers its user id.
    A wrong, expired or used digest deletes nothing and answers None."""
    column = _column(table)
    row = conn.execute(
        f"DELETE FROM {table} WHERE {column} = %s AND expires_at > now()"
        " AND (%s::uuid IS NULL OR user_id = %s::uuid) RETURNING user_id",
        (digest, user_id, user_id),
    ).fetchone()
    return None if row is None else str(row["user_id"])


def pending(conn: Any, table: str, user_id: str) -> bool:
    _column(table)  # the allow-list, before the name goes into SQL
    row = conn.execute(
        f"SELECT 1 FROM {table} WHERE user_id = %s AND expires_at > now()", (user_id,)
    ).fetchone()
    return row is not None


def valid(conn: Any, table: str, digest: str) -> bool:
    column = _column(table)
    row = conn.execute(f"SELECT 1 FROM {table} WHERE {column} = %s AND expires_at > now()", (digest,)).fetchone()
    return row is not None

