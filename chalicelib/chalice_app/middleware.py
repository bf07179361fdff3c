"""Wired once for every route: typed errors become `{"detail": ...}` answers, nothing leaks a
stack trace, and every answer carries the CORS headers of the frontend's origin."""
from __future__ import annotations

import logging
from typing import Any, Callable

from ..config import settings
from ..errors import ApiError
from ..http import check_query_size, error_response

log = logging.getLogger("trendke")


def errors_and_cors(request: Any, get_response: Callable[[Any], Any]) -> Any:
    try:
        check_query_size(request)
        response = get_response(request)
    except ApiError as exc:
        response = error_response(exc.status, exc.detail, exc.headers)
    except Exception:  # a bug, not bad input: log it, answer without internals
        log.exception("unhandled error on %s %s", request.method, request.path)
        response = error_response(500, "Internal server error")
    if isinstance(response.body, dict) and "Code" in response.body and response.status_code >= 400:
        # Chalice's own error answers (a bug in a view, already logged; an unsupported
        # content type, ...) in the contract's shape.
        detail = "Internal server error" if response.status_code >= 500 else str(response.body.get("Message"))
        response = error_response(response.status_code, detail)
    response.headers.setdefault("Access-Control-Allow-Origin", settings().cors_allow_origin)
    return response
