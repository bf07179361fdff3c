"""The accounts' request bodies: closed schemas (an unknown key is a 400), typed fields,
the old backend's rules (FRONTEND.md section 1)."""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, Optional

from ..errors import BadRequest

USERNAME = re.compile(r"[A-Za-z0-9_]{3,30}")
# One @, no spaces or controls, a dot in the domain; at most 254 characters (RFC 5321).
EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f.]+")
EMAIL_MAX = 254
PASSWORD_MIN, PASSWORD_MAX_BYTES = 6, 72
# What a log-in accepts: any password the old backend may have stored (it cut to 72 bytes
# itself), within reason.
LOGIN_PASSWORD_MAX = 1024
FULL_NAME_MAX = 100
BIO_MAX = 500
TOKEN_MAX = 200
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def closed(body: Dict[str, Any], required: Iterable[str], optional: Iterable[str] = ()) -> None:
    required, optional = list(required), list(optional)
    unknown = sorted(set(body) - set(required) - set(optional))
    if unknown:
        raise BadRequest(f"Unknown field(s): {', '.join(unknown)}")
    missing = [name for name in required if name not in body]
    if missing:
        raise BadRequest(f"Missing field(s): {', '.join(missing)}")


def string(body: Dict[str, Any], name: str, max_len: int) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a string")
    if len(value) > max_len:
        raise BadRequest(f"'{name}' must be at most {max_len} characters")
    return value


def email(body: Dict[str, Any], name: str = "email") -> str:
    """Lower-cased and trimmed: emails are unique ignoring case, stored normalised."""
    value = string(body, name, EMAIL_MAX + 16).strip().lower()
    if len(value) > EMAIL_MAX or not EMAIL.fullmatch(value):
        raise BadRequest("Enter a valid email address")
    return value


def username(body: Dict[str, Any], name: str = "username") -> str:
    value = string(body, name, 64)
    if not USERNAME.fullmatch(value):
        raise BadRequest("Username must be 3-30 letters, digits or underscores")
    return value


def new_password(body: Dict[str, Any], name: str = "password") -> str:
    value = string(body, name, 4 * PASSWORD_MAX_BYTES)
    size = len(value.encode("utf-8"))
    if len(value) < PASSWORD_MIN or size > PASSWORD_MAX_BYTES:
        raise BadRequest(f"Password must be {PASSWORD_MIN} to {PASSWORD_MAX_BYTES} bytes long")
    return value


def login_password(body: Dict[str, Any]) -> str:
    return string(body, "password", LOGIN_PASSWORD_MAX)


def text(body: Dict[str, Any], name: str, max_len: int) -> Optional[str]:
    """Optional profile text: null clears it; trimmed; no control characters but newlines."""
    value = body.get(name)
    if value is None:
        return None
    value = string(body, name, max_len).strip()
    if _CONTROLS.search(value):
        raise BadRequest(f"'{name}' may not contain control characters")
    return value


def token(body: Dict[str, Any], name: str = "token") -> str:
    value = string(body, name, TOKEN_MAX).strip()
    if not value:
        raise BadRequest(f"'{name}' must not be empty")
    return value


def code(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{6}", value.strip()):
        raise BadRequest("'code' must be the 6-digit code from the email")
    return value.strip()


def boolean(body: Dict[str, Any], name: str) -> bool:
    value = body.get(name)
    if not isinstance(value, bool):
        raise BadRequest(f"'{name}' must be true or false")
    return value


def signup(body: Dict[str, Any]) -> Dict[str, Any]:
    closed(body, ("email", "username", "password"), ("full_name",))
    return {
        "email": email(body),
        "username": username(body),
        "password": new_password(body),
        "full_name": text(body, "full_name", FULL_NAME_MAX) or None,
    }


def login(body: Dict[str, Any]) -> Dict[str, str]:
    closed(body, ("email", "password"))
    return {"email": email(body), "password": login_password(body)}


def profile_update(body: Dict[str, Any]) -> Dict[str, Any]:
    closed(body, (), ("username", "full_name", "bio"))
    if not body:
        raise BadRequest("Nothing to change: send username, full_name or bio")
    out: Dict[str, Any] = {}
    if "username" in body:
        out["username"] = username(body)
    if "full_name" in body:
        out["full_name"] = text(body, "full_name", FULL_NAME_MAX)
    if "bio" in body:
        out["bio"] = text(body, "bio", BIO_MAX)
    return out


def avatar_confirmation(body: Dict[str, Any]) -> Dict[str, Any]:
    """Cloudinary's upload answer as the browser got it: public_id, version, signature."""
    closed(body, ("public_id", "version", "signature"))
    version = body["version"]
    if isinstance(version, bool) or not isinstance(version, int) or not 0 < version < 10**12:
        raise BadRequest("'version' must be Cloudinary's positive integer version")
    signature = string(body, "signature", 128)
    if not re.fullmatch(r"[0-9a-f]{40,64}", signature):
        raise BadRequest("'signature' must be Cloudinary's hex signature")
    return {"public_id": string(body, "public_id", 200), "version": version, "signature": signature}
