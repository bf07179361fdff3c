"""OpenAPI entries of issue 16: search, reports, moderation and blocks (merged in document.py)."""
from __future__ import annotations

from .operations import CURSOR, LIMIT_CURSOR, UUID_SCHEMA, op, path_param, query_param
from .schemas import COUNT, NULLABLE_STR, TIMESTAMP, UUID, page_of, ref

REDIRECT = {"308": {"description": "`q` is not in its normal form: Location names the normal "
                                   "form (cacheable); only the normal form is computed and cached."}}

SCHEMAS = {
    "UserPage": page_of("User"),
    "HashtagCount": {"type": "object", "required": ["hashtag", "videos_count"],
                     "properties": {"hashtag": {"type": "string"}, "videos_count": COUNT}},
    "HashtagPage": page_of("HashtagCount"),
}


def _q(what: str) -> dict:
    return {"name": "q", "in": "query", "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": 256}, "description": what}


def _search(summary: str, page: str, q: str) -> dict:
    operation = op(summary, "search", ref(page), cacheable=True, params=[_q(q), CURSOR, LIMIT_CURSOR])
    operation["responses"].update(REDIRECT)
    return operation


OPERATIONS = {
    ("GET", "/v1/search/videos"): _search(
        "Videos whose title, hashtags or description hold every word (the last also as a "
        "prefix), by relevance, popularity and freshness", "VideoPage",
        "Words; normal form: NFKC, lower case, words joined by one space (at most 8)."),
    ("GET", "/v1/search/users"): _search(
        "People by username or full name, typos tolerated (trigram similarity) or a "
        "username prefix", "UserPage", "A name; normal form: lower case, no `@`, single spaces."),
    ("GET", "/v1/search/hashtags"): _search(
        "Hashtags starting with q (completion), most videos first", "HashtagPage",
        "A prefix; normal form: lower case, no `#`, letters, digits and `_` only."),
}
