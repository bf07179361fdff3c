"""Who follows whom, as the frontend lists it. Knows nothing of HTTP."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from . import models
from .errors import NotFound
from .feed import Page, keyset_page
from .repo import follows


def followers(user_id: str, limit: int, offset: int) -> List[Dict[str, Any]]:
    rows = follows.followers(user_id, limit, offset)
    if rows is None:
        raise NotFound("User not found")
    return [models.user(r) for r in rows]


def following(user_id: str, limit: int, offset: int) -> List[Dict[str, Any]]:
    rows = follows.following(user_id, limit, offset)
    if rows is None:
        raise NotFound("User not found")
    return [models.user(r) for r in rows]


def _follow_position(row: Dict[str, Any]) -> tuple:
    return row["followed_at"], row["follow_id"]


_PAGES = {"followers": follows.followers_page, "following": follows.following_page}


def people_page(side: str, user_id: str, cursor: Optional[str], limit: int) -> Page:
    """A user's followers or followings (`side`), newest follow first, in keyset pages: the
    cursor is signed for `<side>:<user id>` and holds the follow's (created_at, id)."""
    fetch = _PAGES[side]
    return keyset_page(f"{side}:{user_id}", cursor, limit, lambda after, n: fetch(user_id, after, n),
                       models.user, "User not found", _follow_position)


def is_following(viewer_id: str, user_id: str) -> bool:
    answer = follows.is_following(viewer_id, user_id)
    if answer is None:
        raise NotFound("User not found")
    return answer
