"""CloudFront is the only way in: every origin request carries a secret header that
CloudFront adds (infra/edge.yaml, OriginCustomHeaders) and the API Gateway URL never sees from
anyone else. Checked first, in constant time, against the current and the previous value of
ORIGIN_SECRET (SSM; read once per environment and refreshed every SECRET_MAX_AGE_S), so a
rotation never refuses CloudFront. Off in the dev stage (ORIGIN_CHECK=off): no CloudFront."""
from __future__ import annotations

import hmac
from typing import Any

from ..config import settings
from ..errors import Forbidden, ServiceUnavailable

ORIGIN_HEADER = "X-Origin-Verify"
# Set on the request once the header matched: only then are CloudFront's own headers
# (CloudFront-Viewer-Address) the viewer's, not whatever a caller typed.
VERIFIED = "trendkeOriginVerified"


def matches(sent: str, accepted: tuple) -> bool:
    # Every candidate is compared (no early exit) so timing says nothing of which one matched.
    found = False
    for value in accepted:
        found |= hmac.compare_digest(sent.encode(), value.encode())
    return found


def check(request: Any) -> None:
    """Refuse a request that did not come through CloudFront; mark the ones that did.

    With the check off (dev, most tests) nothing is refused, but a request carrying a
    configured secret is still recognised as CloudFront's."""
    cfg = settings()
    accepted = cfg.origin_secrets
    if cfg.origin_check and not accepted:
        raise ServiceUnavailable("Origin check is on but ORIGIN_SECRET is not configured")
    sent = request.headers.get(ORIGIN_HEADER.lower())
    if sent is not None and accepted and matches(sent, accepted):
        if isinstance(request.context, dict):
            request.context[VERIFIED] = True
    elif cfg.origin_check:
        raise Forbidden("Forbidden")  # says nothing of why: no oracle for guessing


def verified(request: Any) -> bool:
    context = request.context if isinstance(request.context, dict) else {}
    return bool(context.get(VERIFIED))
