"""SQL for the users table."""
from __future__ import annotations

from typing import Any, Dict, Optional

from .. import db, passwords, profile_claims

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


# A suspended user's tokens are all refused: their version reads as SUSPENDED, which no
# token carries (versions start at 0), in the same primary-key read every call makes.
SUSPENDED = -1
_VERSION = (
    f"SELECT CASE WHEN suspended_at IS NULL THEN token_version ELSE {SUSPENDED} END"
    " AS token_version FROM users WHERE id = %s"
)


def ensure_profile(user_id: str, claims: Dict[str, Any]) -> int:
    """The user's token version, making a profile row for a valid token whose `sub` has none
    yet (first use; version 0).

    Every verified call runs this: a known user costs one autocommitted primary-key read
    (the version must be current on every call, so a password reset or logout-all revokes
    older tokens at once, in every execution environment).
    The new row's password hash is well formed but matches no password
    (passwords.unusable_hash), so neither backend's login can use the row, and neither fails
    on it. Conflicts on username or email fall back to values derived from the id. The
    claims are user-editable: only clean text of sane length is kept (profile_claims).
    """
    row = db.fetch_one(_VERSION, (user_id,))
    if row is not None:
        return int(row["token_version"])
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

    def work(conn: Any) -> int:
        for attempt in [None, *attempts]:
            if attempt is not None:
                conn.execute(_INSERT_PROFILE, {**fields, **attempt})
            found = conn.execute(_VERSION, (user_id,)).fetchone()
            if found:
                return int(found["token_version"])
        raise RuntimeError(f"could not create a profile for {user_id}")

    return db.in_transaction(work)


def forget_known() -> None:
    """Nothing is cached per environment any more (kept for callers that reset state)."""


def get_user(user_id: str) -> Optional[dict]:
    """A public profile; a suspended user has none (404, like their content)."""
    return db.fetch_one(
        f"SELECT {USER_COLUMNS} FROM users u WHERE u.id = %s AND u.suspended_at IS NULL", (user_id,))
