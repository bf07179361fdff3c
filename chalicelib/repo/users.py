"""SQL for the users table."""
from __future__ import annotations

import threading
from typing import Any, Dict, Optional

from .. import db, passwords, profile_claims

# Ids whose profile row is known to exist in this execution environment; saves a statement
# per signed-in request after the first.
_known_lock = threading.Lock()
_known_ids: Dict[str, None] = {}
_KNOWN_MAX = 10_000

USER_COLUMNS = (
    "u.id, u.username, u.full_name, u.avatar_url, u.bio, "
    "coalesce(u.followers_count, 0) AS followers_count, "
    "coalesce(u.following_count, 0) AS following_count"
)

_INSERT_PROFILE = """
INSERT INTO users (id, email, username, full_name, password_hash, avatar_url)
VALUES (%(id)s, %(email)s, %(username)s, %(full_name)s, %(password_hash)s, %(avatar_url)s)
ON CONFLICT DO NOTHING
"""


def ensure_profile(user_id: str, claims: Dict[str, Any]) -> None:
    """Make a profile row for a valid token whose `sub` has none yet (first use).

    Its password hash is well formed but matches no password (passwords.unusable_hash), so
    neither backend's login can use the row, and neither fails on it.
    Conflicts on username or email fall back to values derived from the id. The claims are
    user-editable: only clean text of sane length is kept (profile_claims).
    """
    if user_id in _known_ids:
        return
    suffix = user_id.replace("-", "")
    fallback_email = f"{suffix}@users.trendke.invalid"
    candidates = profile_claims.username_candidates(claims)
    attempts = [
        {
            "username": candidates[0] if candidates else "user_" + suffix[:10],
            "email": profile_claims.email(claims.get("email")) or fallback_email,
        },
        {"username": "user_" + suffix[:20], "email": fallback_email},
    ]
    fields = {
        "id": user_id,
        "full_name": profile_claims.full_name(claims),
        "avatar_url": profile_claims.avatar_url(profile_claims.metadata(claims).get("avatar_url")),
        "password_hash": passwords.unusable_hash(),
    }

    def work(conn: Any) -> None:
        if conn.execute("SELECT 1 FROM users WHERE id = %s", (user_id,)).fetchone():
            return
        for attempt in attempts:
            conn.execute(_INSERT_PROFILE, {**fields, **attempt})
            if conn.execute("SELECT 1 FROM users WHERE id = %s", (user_id,)).fetchone():
                return
        raise RuntimeError(f"could not create a profile for {user_id}")

    # A known user (every user but a new one) costs one autocommitted statement, not a
    # BEGIN / SELECT / COMMIT: this runs on each user's first request in every environment.
    if db.fetch_one("SELECT 1 AS found FROM users WHERE id = %s", (user_id,)) is None:
        db.in_transaction(work)
    with _known_lock:
        if len(_known_ids) >= _KNOWN_MAX:
            _known_ids.clear()
        _known_ids[user_id] = None


def forget_known() -> None:
    with _known_lock:
        _known_ids.clear()


def get_user(user_id: str) -> Optional[dict]:
    return db.fetch_one(f"SELECT {USER_COLUMNS} FROM users u WHERE u.id = %s", (user_id,))
