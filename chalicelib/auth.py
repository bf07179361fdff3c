"""Bearer JWT verification (contract section 4).

HS256 with JWT_SECRET (the current backend's tokens, Supabase's legacy tokens), or ES256 /
RS256 through JWT_JWKS_URL (Supabase's signing keys). The algorithm comes from configuration,
never from the token's header, so `alg: none` and HS/RS confusion are refused by PyJWT.
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional

from .config import settings
from .errors import ServiceUnavailable, Unauthorized

ASYMMETRIC = {"ES256", "RS256"}
SUPPORTED = {"HS256"} | ASYMMETRIC
LEEWAY_S = 30

_jwks_lock = threading.Lock()
_jwks_clients: Dict[str, Any] = {}


@dataclass(frozen=True)
class Principal:
    user_id: str
    claims: Dict[str, Any] = field(hash=False, compare=False)


def bearer_token(headers: Mapping[str, str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header, or None when there is none."""
    header = headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization header must be 'Bearer <token>'")
    return token.strip()


def _jwks_client(url: str) -> Any:
    """One key-set client per execution environment: keys are fetched once and cached."""
    with _jwks_lock:
        client = _jwks_clients.get(url)
        if client is None:
            from jwt import PyJWKClient

            client = _jwks_clients[url] = PyJWKClient(
                url, cache_keys=True, cache_jwk_set=True, lifespan=3600, timeout=3
            )
        return client


def _key_for(token: str, algorithm: str) -> Any:
    cfg = settings()
    if algorithm == "HS256":
        if not cfg.jwt_secret:
            raise ServiceUnavailable("Authentication is not configured (JWT_SECRET)")
        return cfg.jwt_secret
    if not cfg.jwt_jwks_url:
        raise ServiceUnavailable("Authentication is not configured (JWT_JWKS_URL)")
    import jwt

    try:
        return _jwks_client(cfg.jwt_jwks_url).get_signing_key_from_jwt(token).key
    except jwt.PyJWKClientConnectionError as exc:
        raise ServiceUnavailable("Signing keys are unreachable") from exc
    except (jwt.PyJWKClientError, jwt.DecodeError) as exc:
        raise Unauthorized("Token is not signed by a known key") from exc


def verify(token: str) -> Principal:
    """Check signature, expiry and audience; answer who the token speaks for."""
    import jwt

    cfg = settings()
    algorithm = cfg.jwt_algorithm
    if algorithm not in SUPPORTED:
        raise ServiceUnavailable(f"Unsupported JWT_ALGORITHM {algorithm}")
    key = _key_for(token, algorithm)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=cfg.jwt_audience,
            leeway=LEEWAY_S,
            options={"require": ["exp", "sub"], "verify_aud": cfg.jwt_audience is not None},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("Token has expired") from None
    except jwt.InvalidAudienceError:
        raise Unauthorized("Token audience is not accepted") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("Invalid token") from None
    try:
        user_id = str(uuid.UUID(str(claims["sub"])))
    except ValueError:
        raise Unauthorized("Token subject is not a user id") from None
    return Principal(user_id=user_id, claims=claims)


def principal_from_headers(headers: Mapping[str, str], *, required: bool) -> Optional[Principal]:
    token = bearer_token(headers)
    if token is None:
        if required:
            raise Unauthorized("Not authenticated")
        return None
    return verify(token)


def mint_token(user_id: str, secret: str, *, ttl_s: int = 86400, **claims: Any) -> str:
    """An HS256 token as the current backend issues them (for the dev stage and tests)."""
    import time

    import jwt

    now = int(time.time())
    payload = {"sub": str(user_id), "iat": now, "exp": now + ttl_s, **claims}
    return jwt.encode(payload, secret, algorithm="HS256")
