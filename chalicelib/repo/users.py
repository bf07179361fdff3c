"""SQL for the users table."""
from __future__ import annotations

import re
import threading
from typing import Any, Dict, Optional

from .. import db

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
VALUES (%(id)s, %(email)s, %(username)s, %(full_name)s, '!', %(avatar_url)s)
ON CONFLICT DO NOTHING
"""


def _username_from(claims: Dict[str, Any], user_id: str) -> str:
    meta = claims.get("user_metadata") or {}
    for candidate in (
        meta.get("username") if isinstance(meta, dict) else None,
        claims.get("preferred_username"),
        (claims.get("email") or "").split("@")[0],
    ):
        if isinstance(candidate, str):
            cleaned = re.sub(r"[^a-z0-9_]", "", candidate.lower())[:30]
            if len(cleaned) >= 3:
                return cleaned
    return "user_" + user_id.replace("-", "")[:10]


def ensure_profile(user_id: str, claims: Dict[str, Any]) -> None:
    """Make a profile row for a valid token whose `sub` has none yet (first use).

    A password hash of '!' can never match, so the old backend's login cannot use it.
    Conflicts on username or email fall back to values derived from the id.
    """
    if user_id in _known_ids:
        return
    meta = claims.get("user_metadata") if isinstance(claims.get("user_metadata"), dict) else {}
    email = claims.get("email") if isinstance(claims.get("email"), str) else None
    suffix = user_id.replace("-", "")
    attempts = [
        {"username": _username_from(claims, user_id), "email": email or f"{suffix}@users.trendke.invalid"},
        {"username": "user_" + suffix[:20], "email": f"{suffix}@users.trendke.invalid"},
    ]

    def work(conn: Any) -> None:
        if conn.execute("SELECT 1 FROM users WHERE id = %s", (user_id,)).fetchone():
            return
        for attempt in attempts:
            conn.execute(
                _INSERT_PROFILE,
                {
                    "id": user_id,
                    "full_name": (meta or {}).get("full_name") or claims.get("name"),
                    "avatar_url": (meta or {}).get("avatar_url"),
                    **attempt,
                },
            )
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
