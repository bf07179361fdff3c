"""SQL for accounts: sign-up, log-in, the owner's profile, token versions."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .. import db

# The owner's profile (GET /auth/me) and what log-in needs. coin_balance as int, counters
# never NULL (the live columns allow NULL).
PROFILE_COLUMNS = (
    "u.id, u.email, u.username, u.full_name, u.avatar_url, u.bio, coalesce(u.role, 'user') AS role, "
    "coalesce(u.coin_balance, 0) AS coin_balance, coalesce(u.total_earnings, 0) AS total_earnings, "
    "coalesce(u.followers_count, 0) AS followers_count, coalesce(u.following_count, 0) AS following_count, "
    "u.created_at, coalesce(u.email_verified, false) AS email_verified, "
    "coalesce(u.two_factor_enabled, false) AS two_factor_enabled, u.token_version, u.suspended_at"
)

# Sign-ups (and renames) of the same address or name wait for each other, so the
# case-insensitive check below cannot race another sign-up of this API.
_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 11))"

_INSERT = f"""
INSERT INTO users AS u (email, username, full_name, password_hash)
VALUES (%(email)s, %(username)s, %(full_name)s, %(password_hash)s)
RETURNING {PROFILE_COLUMNS}
"""


def profile(user_id: str) -> Optional[dict]:
    return db.fetch_one(f"SELECT {PROFILE_COLUMNS} FROM users u WHERE u.id = %s", (user_id,))


def token_version(user_id: str) -> Optional[int]:
    """The user's token version, or None when the user has no row (one primary-key read)."""
    row = db.fetch_one("SELECT token_version FROM users WHERE id = %s", (user_id,))
    return None if row is None else int(row["token_version"])


def by_email(email: str) -> List[dict]:
    """Rows whose email matches ignoring case: the exact spelling first, then the oldest.
    Our sign-ups store lower case; the old backend's rows keep what was typed, and the
    live UNIQUE is case-sensitive, so a few case variants may exist."""
    return db.fetch_all(
        f"SELECT {PROFILE_COLUMNS}, u.password_hash FROM users u WHERE lower(u.email) = %(e)s"
        " ORDER BY (u.email = %(e)s) DESC, u.created_at, u.id LIMIT 3",
        {"e": email},
    )


def lock_names(conn: Any, *names: str) -> None:
    for name in sorted(names):
        conn.execute(_LOCK, (name,))


def email_taken(conn: Any, email: str) -> bool:
    return conn.execute("SELECT 1 FROM users WHERE lower(email) = %s LIMIT 1", (email,)).fetchone() is not None


def username_taken(conn: Any, username: str, except_id: Optional[str] = None) -> bool:
    row = conn.execute(
        "SELECT 1 FROM users WHERE lower(username) = lower(%s) AND id IS DISTINCT FROM %s::uuid LIMIT 1",
        (username, except_id),
    ).fetchone()
    return row is not None


def insert(conn: Any, fields: Dict[str, Any]) -> dict:
    return conn.execute(_INSERT, fields).fetchone()


def set_password(conn: Any, user_id: str, password_hash: str) -> Optional[int]:
    """New hash and a new token version (older tokens stop working); the new version."""
    row = conn.execute(
        "UPDATE users SET password_hash = %s, token_version = token_version + 1"
        " WHERE id = %s RETURNING token_version",
        (password_hash, user_id),
    ).fetchone()
    return None if row is None else int(row["token_version"])


def bump_token_version(user_id: str) -> Optional[int]:
    row = db.fetch_one(
        "UPDATE users SET token_version = token_version + 1 WHERE id = %s RETURNING token_version",
        (user_id,),
    )
    return None if row is None else int(row["token_version"])


def set_flag(conn: Any, user_id: str, column: str, value: bool) -> None:
    if column not in ("email_verified", "two_factor_enabled"):
        raise ValueError(column)
    conn.execute(f"UPDATE users SET {column} = %s WHERE id = %s", (value, user_id))


def update_profile(conn: Any, user_id: str, fields: Dict[str, Any]) -> Optional[dict]:
    """Set the given columns (username, full_name, bio only) and answer the profile."""
    allowed = [name for name in ("username", "full_name", "bio") if name in fields]
    if not allowed:
        return conn.execute(f"SELECT {PROFILE_COLUMNS} FROM users u WHERE u.id = %s", (user_id,)).fetchone()
    sets = ", ".join(f"{name} = %({name})s" for name in allowed)
    return conn.execute(
        f"UPDATE users u SET {sets} WHERE u.id = %(id)s RETURNING {PROFILE_COLUMNS}",
        {**{name: fields[name] for name in allowed}, "id": user_id},
    ).fetchone()


def set_avatar(user_id: str, url: str) -> None:
    db.execute("UPDATE users SET avatar_url = %s WHERE id = %s", (url, user_id))
