"""Bearer JWT verification (contract section 4).

HS256 with JWT_SECRET (the current backend's tokens, Supabase's legacy tokens), or ES256 /
RS256 through JWT_JWKS_URL (Supabase's signing keys). The algorithm comes from configuration,
never from the token's header, so `alg: none` and HS/RS confusion are refused by PyJWT.
With Supabase's keys the issuer (JWT_ISSUER) is required and the role must be JWT_ROLE
(default `authenticated`); JWKS keys expire and are refetched (chalicelib/jwks.py).
"""
from __future__ import annotations

import uuid
from typing import Any, Dict, Mapping, Optional

import msgspec

from .config import settings
from .errors import ServiceUnavailable, Unauthorized

ASYMMETRIC = {"ES256", "RS256"}
SUPPORTED = {"HS256"} | ASYMMETRIC
LEEWAY_S = 30

class Principal(msgspec.Struct, frozen=True):
    user_id: str
    claims: Dict[str, Any]


def bearer_token(headers: Mapping[str, str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header, or None when there is none."""
    header = headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization header must be 'Bearer <token>'")
    return token.strip()


def _header(token: str) -> Dict[str, Any]:
    """The token's unverified header; a malformed one (bad JSON, a `crit` we do not
    support, a non-string `kid`) is a 401 like any other bad token."""
    import jwt

    try:
        return jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise Unauthorized("Invalid token") from None


def _key_for(token: str, algorithm: str) -> Any:
    cfg = settings()
    header = _header(token)
    if algorithm == "HS256":
        if not cfg.jwt_secret:
            raise ServiceUnavailable("Authentication is not configured (JWT_SECRET)")
        return cfg.jwt_secret
    if not cfg.jwt_jwks_url:
        raise ServiceUnavailable("Authentication is not configured (JWT_JWKS_URL)")
    if not cfg.jwt_issuer:  # Supabase's tokens: the issuer is the project, always checked
        raise ServiceUnavailable("Authentication is not configured (JWT_ISSUER)")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise Unauthorized("Token names no signing key")
    from . import jwks

    return jwks.key_set(cfg.jwt_jwks_url, algorithm).key(kid)


def verify(token: str) -> Principal:
    """Check signature, expiry, audience, issuer and role; answer who the token speaks for."""
    import jwt

    cfg = settings()
    algorithm = cfg.jwt_algorithm
    if algorithm not in SUPPORTED:
        raise ServiceUnavailable(f"Unsupported JWT_ALGORITHM {algorithm}")
    key = _key_for(token, algorithm)
    required = ["exp", "sub"] + (["iss"] if cfg.jwt_issuer else [])
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=cfg.jwt_audience,
            issuer=cfg.jwt_issuer,
            leeway=LEEWAY_S,
            options={"require": required, "verify_aud": cfg.jwt_audience is not None},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("Token has expired") from None
    except jwt.InvalidAudienceError:
        raise Unauthorized("Token audience is not accepted") from None
    except jwt.InvalidIssuerError:
        raise Unauthorized("Token issuer is not accepted") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("Invalid token") from None
    if cfg.jwt_role and claims.get("role") != cfg.jwt_role:  # e.g. Supabase's anon, service_role
        raise Unauthorized("Token role is not accepted")
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
