"""The Video and Comment shapes (contract section 1) and their pages."""
from __future__ import annotations

from typing import Annotated, List, Literal, Optional

import msgspec

from .types import Answer, Uuid

Count = Annotated[int, msgspec.Meta(ge=0)]


class Video(Answer):
    id: Uuid
    user_id: Uuid
    title: str
    description: Optional[str]
    video_url: str
    thumbnail_url: Optional[str]
    hashtags: List[str]
    views_count: Count
    likes_count: Count
    comments_count: Count
    shares_count: Count
    created_at: str
    username: str
    avatar_url: Optional[str]
    hls_url: Optional[str] = None
    duration: Optional[float] = None
    width: Optional[int] = None
    height: Optional[int] = None
    status: Literal["pending", "ready", "failed"] = "ready"


class Comment(Answer):
    id: Uuid
    video_id: Uuid
    user_id: Uuid
    username: str
    avatar_url: Optional[str]
    content: str
    created_at: str
    parent_id: Optional[Uuid] = None


class VideoPage(Answer):
    items: List[Video]
    next_cursor: Optional[str]


class CommentPage(Answer):
    items: List[Comment]
    next_cursor: Optional[str]


class TrendingPage(Answer):
    """A trending list is one snapshot: next_cursor is always null."""

    items: List[Video]
    next_cursor: None
    generated_at: Optional[str] = None
