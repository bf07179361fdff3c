"""Access tokens as the current backend issues them, plus this API's `ver` claim, and the
single-use secrets mailed to users (stored as sha256 digests)."""
from __future__ import annotations

import hashlib
import secrets
from typing import Any, Dict, Mapping

from .. import auth
from ..config import settings
from ..errors import ServiceUnavailable, Unauthorized

VERSION_CLAIM = "ver"


def access_token(user_id: str, version: int) -> str:
    """HS256, sub = users.id, iat, exp (JWT_TTL_S, 7 days by default), ver."""
    cfg = settings()
    if cfg.jwt_algorithm != "HS256" or not cfg.jwt_secret:
        raise ServiceUnavailable("Sign-in is not configured (HS256 JWT_SECRET)")
    return auth.mint_token(str(user_id), cfg.jwt_secret, ttl_s=cfg.jwt_ttl_s, **{VERSION_CLAIM: int(version)})


def claimed_version(claims: Mapping[str, Any]) -> int:
    """The token's version; the old backend's tokens carry none (0)."""
    value = claims.get(VERSION_CLAIM, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Unauthorized("Invalid token")
    return value


def bundle(row: Mapping[str, Any], user: Dict[str, Any]) -> Dict[str, Any]:
    return {"access_token": access_token(str(row["id"]), int(row["token_version"])),
            "token_type": "bearer", "user": user}


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
