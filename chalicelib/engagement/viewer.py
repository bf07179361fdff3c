"""Who is watching, for counting views and shares once per viewer.

Signed in: the user. Anonymous: the viewer key the API issued earlier (sent back in the
`X-Viewer-Key` header; HMAC-signed, so a client cannot mint keys for free), else a keyed hash
of the client's address and user agent.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Optional

import msgspec

from ..config import settings

_PREFIX = "v1"


class Viewer(msgspec.Struct, frozen=True):
    key: str                        # what the once-per-hour rule is keyed on
    user_id: Optional[str] = None
    issued_key: Optional[str] = None  # a new key for the client to keep, when it had none
    address: Optional[str] = None   # the client's address, for the per-address limit


def _secret() -> bytes:
    """VIEWER_KEY_SECRET, else a sub-key derived from the JWT secret (as cursors.py does): a
    viewer-key tag must never double as anything signed with the JWT secret itself."""
    cfg = settings()
    if cfg.viewer_key_secret:
        return cfg.viewer_key_secret.encode()
    root = (cfg.jwt_secret or "trendke-viewer").encode()
    return hmac.new(root, b"trendke viewer key v1", hashlib.sha256).digest()


def _legacy_secret() -> Optional[bytes]:
    """What keys were signed with before the sub-key (the raw JWT secret): still verified, so
    viewers keep their key through the change (re-signed on their next event)."""
    cfg = settings()
    return None if cfg.viewer_key_secret else (cfg.jwt_secret or "trendke-viewer").encode()


def _sign(token: str, secret: Optional[bytes] = None) -> str:
    return hmac.new(secret or _secret(), token.encode(), hashlib.sha256).hexdigest()[:32]


def _key_for(token: str) -> str:
    return f"{_PREFIX}.{token}.{_sign(token)}"


def issue_key() -> str:
    return _key_for(secrets.token_hex(16))


def _parts(value: Optional[str]) -> Optional[list]:
    if not value or len(value) > 100:
        return None
    parts = value.strip().split(".")
    return parts if len(parts) == 3 and parts[0] == _PREFIX else None


def verified_token(value: Optional[str]) -> Optional[str]:
    """The random part of a key this API issued (with the current key), or None."""
    parts = _parts(value)
    return parts[1] if parts and hmac.compare_digest(parts[2], _sign(parts[1])) else None


def _legacy_token(value: Optional[str]) -> Optional[str]:
    parts, legacy = _parts(value), _legacy_secret()
    if not parts or legacy is None:
        return None
    return parts[1] if hmac.compare_digest(parts[2], _sign(parts[1], legacy)) else None


def viewer(user_id: Optional[str], sent_key: Optional[str], client_ip: Optional[str],
           user_agent: Optional[str]) -> Viewer:
    if user_id:
        return Viewer(key="u:" + user_id, user_id=user_id, address=client_ip)
    token = verified_token(sent_key)
    if token:
        return Viewer(key="k:" + token, address=client_ip)
    token = _legacy_token(sent_key)
    if token:  # same viewer, same once-per-hour key; the client gets it re-signed
        return Viewer(key="k:" + token, issued_key=_key_for(token), address=client_ip)
    # No key yet: count by client until the client keeps the key we issue now.
    digest = hmac.new(_secret(), f"{client_ip or ''}|{user_agent or ''}".encode(),
                      hashlib.sha256).hexdigest()[:32]
    return Viewer(key="h:" + digest, issued_key=issue_key(), address=client_ip)
