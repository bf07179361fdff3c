"""Search routes: GET /v1/search/{videos,users,hashtags}?q=.

Answers are the same for everybody (blocks are filtered by the client with /v1/me/blocks), so
they are public and CDN-cached. The cache key is the URL, so each query has exactly one URL:
a `q` that is not in its normal form (case, spaces, punctuation, `#`, `@`) is answered with a
308 to the normal form (itself cacheable), and only the normal form is ever computed.
"""
from __future__ import annotations

from urllib.parse import urlencode

from chalice import Blueprint

from ..lazy import lazy
from ..http import redirect
from ..schema.search import HashtagPage, HashtagSearch, UserPage, UserSearch, VideoSearch
from ..schema.videos import VideoPage
from ..search import query as normal_forms
from . import cache_policies as cache
from .declare import Call, endpoint

service = lazy("chalicelib.search.service")

bp = Blueprint(__name__)

REDIRECT = ("A `q` not in its normal form is answered 308: Location names the normal form "
            "(cacheable); only the normal form is computed and cached.")


def _search(call: Call, normalise, run):
    normal = normalise(call.query.q)
    if call.query.q != normal:
        # A relative reference of only a query keeps whatever path prefix the client used.
        params = call.request.query_params or {}
        kept = {k: params[k] for k in ("limit", "cursor") if params.get(k)}
        return redirect("?" + urlencode({"q": normal, **kept}), cache.CANONICAL_REDIRECT)
    return run(normal, call.query.cursor, call.query.limit).as_json()


def _declare(path: str, summary: str, query: type, answer: type):
    return endpoint(bp, "GET", path, summary=summary, tag="search", query=query, answer=answer,
                    cache=cache.SEARCH, later_pages=cache.FEED_LATER_PAGE, also_ok=(308,),
                    description=REDIRECT)


@_declare("/v1/search/videos", "Videos whose title, hashtags or description hold every word (the "
          "last also as a prefix), by relevance, popularity and freshness", VideoSearch, VideoPage)
def search_videos(call: Call):
    return _search(call, normal_forms.video_query, service.videos)


@_declare("/v1/search/users", "People by username or full name, typos tolerated (trigram "
          "similarity) or a username prefix", UserSearch, UserPage)
def search_users(call: Call):
    return _search(call, normal_forms.name_query, service.users)


@_declare("/v1/search/hashtags", "Hashtags starting with q (completion), most videos first",
          HashtagSearch, HashtagPage)
def search_hashtags(call: Call):
    return _search(call, normal_forms.hashtag_prefix, service.hashtags)
