"""The viewer of a request, for counting views and shares once (see engagement.viewer)."""
from __future__ import annotations

from typing import Any, Optional

from ..engagement.viewer import Viewer, viewer
from . import origin
from .identity import maybe_signed_in

VIEWER_KEY_HEADER = "X-Viewer-Key"


def viewer_of(request: Any) -> Viewer:
    """Signed in (a bad token is a 401): the user; else the issued key or a client hash."""
    principal = maybe_signed_in(request)
    identity = (request.context or {}).get("identity") or {}
    return viewer(
        principal.user_id if principal else None,
        request.headers.get(VIEWER_KEY_HEADER.lower()),
        request_address(request),
        request.headers.get("user-agent") or identity.get("userAgent"),
    )


def issued_key_headers(viewer: Viewer) -> Optional[dict]:
    """The answer's header handing a new anonymous viewer its key to send back; None when the
    viewer already had one (or is signed in)."""
    return {VIEWER_KEY_HEADER: viewer.issued_key} if viewer.issued_key else None


def request_address(request: Any) -> Optional[str]:
    identity = (request.context or {}).get("identity") or {}
    return client_address(request.headers, identity, origin.verified(request))


def client_address(headers: Any, identity: dict, through_cloudfront: bool) -> Optional[str]:
    """The viewer's address: behind CloudFront (edge stack) the address API Gateway sees is
    the edge's, so CloudFront's `CloudFront-Viewer-Address` ("ip:port") comes first, but only
    on a request that proved it came through CloudFront (origin.py): anyone else could type
    the header, a fresh address per request."""
    forwarded = headers.get("cloudfront-viewer-address") if through_cloudfront else None
    if forwarded:
        return forwarded.rsplit(":", 1)[0].strip("[]")
    return identity.get("sourceIp")
