"""Search routes: GET /v1/search/{videos,users,hashtags}?q=.

Answers are the same for everybody (blocks are filtered by the client with /v1/me/blocks), so
they are public and CDN-cached. The cache key is the URL, so each query has exactly one URL:
a `q` that is not in its normal form (case, spaces, punctuation, `#`, `@`) is answered with a
308 to the normal form (itself cacheable), and only the normal form is ever computed.
"""
from __future__ import annotations

from urllib.parse import urlencode

from chalice import Blueprint

from ..http import check_query_size, public_json, query, redirect
from ..search import query as normal_forms
from ..search import service
from . import cache_policies as cache
from . import paging

bp = Blueprint(__name__)


def _search(normalise, run):
    request = bp.current_request
    check_query_size(request)
    params = query(request)
    raw = params.get("q")
    normal = normalise(raw)
    if raw != normal:
        # A relative reference of only a query keeps whatever path prefix the client used.
        kept = {k: params[k] for k in ("limit", "cursor") if params.get(k)}
        return redirect("?" + urlencode({"q": normal, **kept}), cache.CANONICAL_REDIRECT)
    cursor = paging.cursor(request)
    page = run(normal, cursor, paging.cursor_limit(request))
    return public_json(request, page.as_json(), cache.for_page(cache.SEARCH, cursor is None))


@bp.route("/v1/search/videos", methods=["GET"])
def search_videos():
    return _search(normal_forms.video_query, service.videos)


@bp.route("/v1/search/users", methods=["GET"])
def search_users():
    return _search(normal_forms.name_query, service.users)


@bp.route("/v1/search/hashtags", methods=["GET"])
def search_hashtags():
    return _search(normal_forms.hashtag_prefix, service.hashtags)
