"""The User shape (contract section 1) and the follow answers."""
from __future__ import annotations

from typing import List, Optional

from .types import Answer, Uuid
from .videos import Count


class User(Answer):
    id: Uuid
    username: str
    full_name: Optional[str]
    avatar_url: Optional[str]
    bio: Optional[str]
    followers_count: Count
    following_count: Count


class PeoplePage(Answer):
    items: List[User]
    next_cursor: Optional[str]


class IsFollowing(Answer):
    following: bool


class FollowState(Answer):
    following: bool
    followers_count: Count


class FollowMessage(Answer):
    message: str
    following: bool
