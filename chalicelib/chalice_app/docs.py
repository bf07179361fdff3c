"""GET /openapi.json and GET /docs."""
from __future__ import annotations

from chalice import Blueprint

from ..http import CachePolicy, cached_text, dumps, etag_of

bp = Blueprint(__name__)

# Changes only with a deployment.
DOCS_CACHE = CachePolicy(max_age=300, s_maxage=3600, stale_while_revalidate=86400, stale_if_error=86400)


@bp.route("/openapi.json", methods=["GET"])
def openapi_json():
    from ..openapi.document import document

    return cached_text(bp.current_request, dumps(document()), DOCS_CACHE)


@bp.route("/docs", methods=["GET"])
def docs_page():
    from ..openapi.document import reference_page

    page = reference_page()
    response = cached_text(bp.current_request, page, DOCS_CACHE, etag=etag_of(page))
    if response.status_code == 200:
        response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response
