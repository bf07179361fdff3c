"""Trending reads, answered from the stored lists (chalicelib/trending/reader.py), never
from Postgres while a stored list exists.

GET /videos/trending/videos?limit=     the current backend's shape: a JSON array of Video
GET /v1/trending?limit=                {"items": [...], "next_cursor": null, "generated_at"}
GET /v1/trending/hashtags/{tag}?limit= the same for one of the most active hashtags
"""
from __future__ import annotations

from urllib.parse import unquote

from chalice import Blueprint

from ..errors import BadRequest
from ..http import cached_text, int_param
from ..repo.trending import GLOBAL_SIZE, HASHTAG_SIZE
from ..trending import reader
from ..trending.lists import normalise_tag

bp = Blueprint(__name__)

DEFAULT_LIMIT = 50
MAX_TAG_CHARS = 100


def _answer(shape: str, limit: int, hashtag=None):
    request = bp.current_request
    prepared = reader.answer(shape, limit, hashtag)
    # `prepared.header` is its Cache-Control: the Answer stands as the cache policy.
    return cached_text(request, prepared.text, prepared, etag=prepared.etag, headers=prepared.headers)


@bp.route("/videos/trending/videos", methods=["GET"])
def trending_compat():
    limit = int_param(bp.current_request, "limit", DEFAULT_LIMIT, minimum=1, maximum=GLOBAL_SIZE)
    return _answer(reader.COMPAT, limit)


@bp.route("/v1/trending", methods=["GET"])
def trending():
    limit = int_param(bp.current_request, "limit", DEFAULT_LIMIT, minimum=1, maximum=GLOBAL_SIZE)
    return _answer(reader.V1, limit)


@bp.route("/v1/trending/hashtags/{tag}", methods=["GET"])
def trending_hashtag(tag: str):
    limit = int_param(bp.current_request, "limit", DEFAULT_LIMIT, minimum=1, maximum=HASHTAG_SIZE)
    # API Gateway decodes path parameters; the local server and test client do not.
    hashtag = normalise_tag(unquote(tag or ""))
    if not hashtag or len(hashtag) > MAX_TAG_CHARS:
        raise BadRequest(f"'tag' must be a hashtag of 1 to {MAX_TAG_CHARS} characters")
    return _answer(reader.V1, limit, hashtag)
