"""The trending objects, built from the ranked rows: the lists first, the index naming them.

A list object holds only what changes when the ranking changes (no timestamp), so an
unchanged list gives the same bytes and the same hash on the next refresh and is not
rewritten. `generated_at` lives in the index, which is written on every refresh.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional
from urllib.parse import quote

import msgspec

INDEX_KEY = "index.json"
GLOBAL_KEY = "global.json"


def hashtag_key(tag: str) -> str:
    return "hashtags/" + quote(tag, safe="") + ".json"


def encode(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class Object(msgspec.Struct, frozen=True):
    key: str
    body: bytes
    sha256: str


def _object(key: str, document: Any) -> Object:
    body = encode(document)
    return Object(key, body, hashlib.sha256(body).hexdigest())


class TrendingSet(msgspec.Struct, frozen=True):
    """Every object of one refresh; `index` last, as it must be written."""

    lists: List[Object]
    index: Object


def build(rows: Iterable[Mapping[str, Any]], generated_at: _dt.datetime, rate_minutes: int,
          video: Callable[[Mapping[str, Any]], dict]) -> TrendingSet:
    """The objects for rows from repo.trending.ranked_rows (ordered list by list); `video`
    (models.video, passed in so that the purge, which only encodes, reaches no media code)
    makes a row the Video item."""
    items: Dict[Optional[str], List[dict]] = {None: []}
    activity: Dict[str, float] = {}
    for row in rows:
        tag = row["list_tag"]
        items.setdefault(tag, []).append(video(row))
        if tag is not None:
            activity[tag] = float(row["activity"])

    global_list = _object(GLOBAL_KEY, {"list": "global", "items": items[None]})
    tag_lists = [
        (tag, _object(hashtag_key(tag), {"list": "hashtag", "hashtag": tag, "items": videos}))
        for tag, videos in items.items()
        if tag is not None
    ]
    index = _object(
        INDEX_KEY,
        {
            "generated_at": generated_at.isoformat(),
            "refresh_minutes": rate_minutes,
            "global": {"key": GLOBAL_KEY, "sha256": global_list.sha256, "count": len(items[None])},
            "hashtags": [
                {
                    "hashtag": tag,
                    "key": obj.key,
                    "sha256": obj.sha256,
                    "count": len(items[tag]),
                    "activity": round(activity[tag], 6),
                }
                for tag, obj in tag_lists
            ],
        },
    )
    return TrendingSet([global_list] + [obj for _, obj in tag_lists], index)
