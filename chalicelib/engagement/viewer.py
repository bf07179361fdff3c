"""Who is watching, for counting views and shares once per viewer.

Signed in: the user. Anonymous: the viewer key the API issued earlier (sent back in the
`X-Viewer-Key` header; HMAC-signed, so a client cannot mint keys for free), else a keyed hash
of the client's address and user agent.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Optional

from ..config import settings

_PREFIX = "v1"


@dataclass(frozen=True)
class Viewer:
    key: str                        # what the once-per-hour rule is keyed on
    user_id: Optional[str] = None
    issued_key: Optional[str] = None  # a new key for the client to keep, when it had none


def _secret() -> bytes:
    return (settings().viewer_key_secret or "trendke-viewer").encode()


def _sign(token: str) -> str:
    return hmac.new(_secret(), token.encode(), hashlib.sha256).hexdigest()[:32]


def issue_key() -> str:
    token = secrets.token_hex(16)
    return f"{_PREFIX}.{token}.{_sign(token)}"


def verified_token(value: Optional[str]) -> Optional[str]:
    """The random part of a key this API issued, or None for anything else."""
    if not value or len(value) > 100:
        return None
    parts = value.strip().split(".")
    if len(parts) != 3 or parts[0] != _PREFIX:
        return None
    return parts[1] if hmac.compare_digest(parts[2], _sign(parts[1])) else None


def viewer(user_id: Optional[str], sent_key: Optional[str], client_ip: Optional[str],
           user_agent: Optional[str]) -> Viewer:
    if user_id:
        return Viewer(key="u:" + user_id, user_id=user_id)
    token = verified_token(sent_key)
    if token:
        return Viewer(key="k:" + token)
    # No key yet: count by client until the client keeps the key we issue now.
    digest = hmac.new(_secret(), f"{client_ip or ''}|{user_agent or ''}".encode(),
                      hashlib.sha256).hexdigest()[:32]
    return Viewer(key="h:" + digest, issued_key=issue_key())
