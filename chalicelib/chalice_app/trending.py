"""Trending reads, answered from the stored lists (chalicelib/trending/reader.py), never
from Postgres while a stored list exists.

GET /videos/trending/videos?limit=     the current backend's shape: a JSON array of Video
GET /v1/trending?limit=                {"items": [...], "next_cursor": null, "generated_at"}
GET /v1/trending/hashtags/{tag}?limit= the same for one of the most active hashtags
"""
from __future__ import annotations

from typing import List

from chalice import Blueprint

from ..http import cached_text
from ..repo.trending import GLOBAL_SIZE, HASHTAG_SIZE
from ..schema.common import Limit, TagPath
from ..schema.types import Input
from ..schema.videos import TrendingPage, Video
from ..trending import reader
from . import cache_policies as cache
from .declare import Call, endpoint

bp = Blueprint(__name__)
FROM_STORE = "Served from the stored trending list; Postgres is not queried."


class TrendingQuery(Input):
    __clamp__ = {"limit": GLOBAL_SIZE}
    limit: Limit = 50


class HashtagTrendingQuery(Input):
    __clamp__ = {"limit": HASHTAG_SIZE}
    limit: Limit = 50


def _answer(call: Call, shape: str, hashtag=None):
    prepared = reader.answer(shape, call.query.limit, hashtag)
    # `prepared.header` is its Cache-Control: the Answer stands as the cache policy.
    return cached_text(call.request, prepared.text, prepared, etag=prepared.etag, headers=prepared.headers)


@endpoint(bp, "GET", "/videos/trending/videos", summary="Trending videos (the current frontend's shape)",
          tag="trending", query=TrendingQuery, answer=List[Video], cache=cache.TRENDING, description=FROM_STORE)
def trending_compat(call: Call):
    return _answer(call, reader.COMPAT)


@endpoint(bp, "GET", "/v1/trending", summary="Trending videos", tag="trending", query=TrendingQuery,
          answer=TrendingPage, cache=cache.TRENDING, description=FROM_STORE)
def trending(call: Call):
    return _answer(call, reader.V1)


@endpoint(bp, "GET", "/v1/trending/hashtags/{tag}", summary="Trending videos of one of the most active hashtags",
          tag="trending", params=TagPath, query=HashtagTrendingQuery, answer=TrendingPage,
          cache=cache.TRENDING, errors=(404,))
def trending_hashtag(call: Call):
    return _answer(call, reader.V1, call.path.tag)
