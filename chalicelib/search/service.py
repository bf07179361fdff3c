"""Search pages: normalised query in, `Page(items, next_cursor)` out, one statement each.

The cursor scope holds the kind and the normal query, so a cursor of one search cannot page
another. Scores do not depend on the clock (repo/search.py), so a page's cursor means the
same thing whenever it is used; counters moving between pages may move a row across it.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from .. import cursors, db, models
from ..feed import Page
from ..repo import search as rows
from . import query
from .hashtags import refresh_hashtags  # noqa: F401 (tests and bench call it here)


def _page(scope: str, cursor: Optional[str], limit: int, fetch: Callable, shape: Callable,
          key: Callable[[dict], tuple]) -> Page:
    after = cursors.decode_ranked(scope, cursor) if cursor is not None else None
    found = fetch(after, limit + 1)
    more = len(found) > limit
    found = found[:limit]
    next_cursor = None
    if more:
        score, last = key(found[-1])
        next_cursor = cursors.encode_ranked(scope, score, last)
    return Page([shape(r) for r in found], next_cursor)


def _scored(row: dict) -> tuple:
    return float(row["score"]), str(row["id"])


def videos(normal: str, cursor: Optional[str], limit: int) -> Page:
    tsq = query.tsquery(normal)
    return _page(f"search:videos:{normal}", cursor, limit,
                 lambda after, n: rows.videos(tsq, after, n), models.video, _scored)


def users(normal: str, cursor: Optional[str], limit: int) -> Page:
    prefix = query.like_prefix(normal)
    return _page(f"search:users:{normal}", cursor, limit,
                 lambda after, n: rows.users(normal, prefix, after, n), models.user, _scored)


def _hashtag(row: Dict[str, Any]) -> Dict[str, Any]:
    return {"hashtag": row["hashtag"], "videos_count": row["videos_count"]}


def hashtags(normal: str, cursor: Optional[str], limit: int) -> Page:
    prefix = query.like_prefix(normal)
    return _page(f"search:hashtags:{normal}", cursor, limit,
                 lambda after, n: rows.hashtags(prefix, after, n), _hashtag,
                 lambda r: (float(r["videos_count"]), r["hashtag"]))


