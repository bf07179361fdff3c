"""Who is calling: the verified bearer token, with a profile row made on first use, and the
token's version checked against the user's (a reset password or logout-all revokes it)."""
from __future__ import annotations

from typing import Any, Optional, Tuple

from .. import auth, observability
from ..errors import Unauthorized
from ..lazy import lazy
from ..repo import accounts, users

tokens = lazy("chalicelib.accounts.tokens")  # `secrets` and hmac: only once a token is read


def _current(principal: auth.Principal, version: int) -> None:
    if version == users.SUSPENDED:
        raise Unauthorized("This account is suspended")
    if tokens.claimed_version(principal.claims) != version:
        raise Unauthorized("Token has been revoked; sign in again")


def signed_in(request: Any) -> auth.Principal:
    """The caller of a route that needs a user; 401 without a valid, current token."""
    principal = auth.principal_from_headers(request.headers, required=True)
    observability.bind(user_id=principal.user_id)
    _current(principal, users.ensure_profile(principal.user_id, principal.claims))
    return principal


def signed_in_profile(request: Any) -> Tuple[auth.Principal, dict]:
    """signed_in for routes that read the caller's own row anyway: the version comes with
    the profile, in the same statement (no extra one for a known user)."""
    principal = auth.principal_from_headers(request.headers, required=True)
    observability.bind(user_id=principal.user_id)
    row = accounts.profile(principal.user_id)
    if row is None:
        users.ensure_profile(principal.user_id, principal.claims)
        row = accounts.profile(principal.user_id)
        if row is None:  # deleted again at once
            raise Unauthorized("User not found")
    _current(principal, users.SUSPENDED if row.get("suspended_at") else int(row["token_version"]))
    return principal, row


def maybe_signed_in(request: Any) -> Optional[auth.Principal]:
    """The caller when a token is sent (and then it must be valid and current), else None."""
    principal = auth.principal_from_headers(request.headers, required=False)
    if principal is not None:
        observability.bind(user_id=principal.user_id)
        _current(principal, users.ensure_profile(principal.user_id, principal.claims))
    return principal


def signed_in_token(token: str) -> auth.Principal:
    """A bare token (the live WebSocket's query string): verified and version-checked
    exactly as a bearer header is."""
    principal = auth.verify(token)
    observability.bind(user_id=principal.user_id)
    _current(principal, users.ensure_profile(principal.user_id, principal.claims))
    return principal
