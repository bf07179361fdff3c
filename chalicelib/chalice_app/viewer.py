"""The viewer of a request, for counting views and shares once (see engagement.viewer)."""
from __future__ import annotations

from typing import Any, Optional

from ..engagement.viewer import Viewer, viewer
from .identity import maybe_signed_in

VIEWER_KEY_HEADER = "X-Viewer-Key"


def viewer_of(request: Any) -> Viewer:
    """Signed in (a bad token is a 401): the user; else the issued key or a client hash."""
    principal = maybe_signed_in(request)
    identity = (request.context or {}).get("identity") or {}
    return viewer(
        principal.user_id if principal else None,
        request.headers.get(VIEWER_KEY_HEADER.lower()),
        client_address(request.headers, identity),
        request.headers.get("user-agent") or identity.get("userAgent"),
    )


def issued_key_headers(viewer: Viewer) -> Optional[dict]:
    """The answer's header handing a new anonymous viewer its key to send back; None when the
    viewer already had one (or is signed in)."""
    return {VIEWER_KEY_HEADER: viewer.issued_key} if viewer.issued_key else None


def client_address(headers: Any, identity: dict) -> Optional[str]:
    """The viewer's address: behind CloudFront (edge stack) the address API Gateway sees is
    the edge's, so CloudFront's `CloudFront-Viewer-Address` ("ip:port") comes first."""
    forwarded = headers.get("cloudfront-viewer-address")
    if forwarded:
        return forwarded.rsplit(":", 1)[0].strip("[]")
    return identity.get("sourceIp")
