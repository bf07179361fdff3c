"""Who follows whom, as the frontend lists it. Knows nothing of HTTP."""
from __future__ import annotations

from typing import Any, Dict, List

from . import models
from .errors import NotFound
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


def is_following(viewer_id: str, user_id: str) -> bool:
    answer = follows.is_following(viewer_id, user_id)
    if answer is None:
        raise NotFound("User not found")
    return answer
