"""The profile fields a first-use profile takes from a token's claims, made safe to store.

`user_metadata` (and with some providers `name`, `email`) is editable by the user, so a
claim may be any JSON: an object, a number, text with NUL or lone surrogates that Postgres
or UTF-8 refuse, or megabytes of it. Anything unusable is dropped (None), never stored
half-broken and never a 500 on every request of that user.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional
from urllib.parse import urlsplit

FULL_NAME_MAX = 100
EMAIL_MAX = 254  # RFC 5321's path limit
AVATAR_URL_MAX = 2048
USERNAME_MAX = 30

# NUL (Postgres text cannot hold it), other C0 controls and DEL, and lone surrogates.
_UNSTORABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def text(value: Any, max_len: int) -> Optional[str]:
    """A str claim without unstorable characters, trimmed and cut to `max_len`; else None."""
    if not isinstance(value, str):
        return None
    cleaned = _UNSTORABLE.sub("", value[: max_len * 4]).strip()[:max_len].strip()
    return cleaned or None


def email(value: Any) -> Optional[str]:
    """A plausible address (one '@', no spaces, at most 254 characters) or None; never cut."""
    if not isinstance(value, str) or len(value) > EMAIL_MAX or _UNSTORABLE.search(value):
        return None
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or not domain or any(c.isspace() for c in value.strip()):
        return None
    return value.strip()


def avatar_url(value: Any) -> Optional[str]:
    """An https:// URL with a host, of sane length and without unstorable characters; else None."""
    if not isinstance(value, str) or len(value) > AVATAR_URL_MAX or _UNSTORABLE.search(value):
        return None
    if any(c.isspace() for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme == "https" and parts.hostname else None


def metadata(claims: Dict[str, Any]) -> Dict[str, Any]:
    meta = claims.get("user_metadata")
    return meta if isinstance(meta, dict) else {}


def full_name(claims: Dict[str, Any]) -> Optional[str]:
    return text(metadata(claims).get("full_name"), FULL_NAME_MAX) or text(claims.get("name"), FULL_NAME_MAX)


def username_candidates(claims: Dict[str, Any]) -> list:
    """Usernames to try, in order: lower-case letters, digits and '_', 3 to 30 of them."""
    address = email(claims.get("email"))
    found = []
    for candidate in (
        metadata(claims).get("username"),
        claims.get("preferred_username"),
        address.split("@")[0] if address else None,
    ):
        if isinstance(candidate, str):
            cleaned = re.sub(r"[^a-z0-9_]", "", candidate[:1000].lower())[:USERNAME_MAX]
            if len(cleaned) >= 3:
                found.append(cleaned)
    return found
