"""Who is calling: the verified bearer token, with a profile row made on first use."""
from __future__ import annotations

from typing import Any, Optional

from .. import auth, observability
from ..repo import users


def signed_in(request: Any) -> auth.Principal:
    """The caller of a route that needs a user; 401 without a valid token."""
    principal = auth.principal_from_headers(request.headers, required=True)
    observability.bind(user_id=principal.user_id)
    users.ensure_profile(principal.user_id, principal.claims)
    return principal


def maybe_signed_in(request: Any) -> Optional[auth.Principal]:
    """The caller when a token is sent (and then it must be valid), else None."""
    principal = auth.principal_from_headers(request.headers, required=False)
    if principal is not None:
        observability.bind(user_id=principal.user_id)
        users.ensure_profile(principal.user_id, principal.claims)
    return principal
