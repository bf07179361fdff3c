"""GET /openapi.json and GET /docs."""
from __future__ import annotations

from typing import Any, Dict

from chalice import Blueprint

from ..http import CachePolicy, cached_text, dumps, etag_of
from .declare import Call, endpoint

bp = Blueprint(__name__)

# Changes only with a deployment.
DOCS_CACHE = CachePolicy(max_age=300, s_maxage=3600, stale_while_revalidate=86400, stale_if_error=86400)


@endpoint(bp, "GET", "/openapi.json", summary="This document", tag="system", answer=Dict[str, Any],
          cache=DOCS_CACHE)
def openapi_json(call: Call):
    from ..openapi.document import document

    return cached_text(call.request, dumps(document()), DOCS_CACHE)


@endpoint(bp, "GET", "/docs", summary="Human-readable API reference", tag="system", answer=str,
          cache=DOCS_CACHE, answer_type="text/html")
def docs_page(call: Call):
    from ..openapi.document import reference_page

    page = reference_page()
    response = cached_text(call.request, page, DOCS_CACHE, etag=etag_of(page))
    if response.status_code == 200:
        response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response
