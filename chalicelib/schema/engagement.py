"""Likes, comments, views and shares: request bodies and answers."""
from __future__ import annotations

from typing import Annotated, Optional

import msgspec

from .. import rules
from .types import Answer, Body, OpenBody, Uuid
from .videos import Count

COMMENT_MAX = 500
MAX_WATCH_MS = 24 * 3600 * 1000
SHARE_CHANNELS = (
    "whatsapp", "facebook", "x", "twitter", "telegram", "instagram", "tiktok", "sms",
    "email", "copy_link", "native", "other",
)


class CommentText(OpenBody):
    """The frontend's comment body (it may send more keys than `content`)."""

    content: Annotated[str, msgspec.Meta(min_length=1, max_length=COMMENT_MAX)]

    def __post_init__(self) -> None:
        self.content = rules.clean_text(self.content, "content", min_chars=1, max_chars=COMMENT_MAX)


class NewComment(CommentText):
    """A comment, or a reply to a top-level comment."""

    parent_id: Optional[Uuid] = None


class ViewReport(OpenBody):
    """A view counts only for a reported watch of at least VIEW_MIN_WATCH_MS (issue 15)."""

    watch_ms: Annotated[int, msgspec.Meta(ge=0, le=MAX_WATCH_MS)]


class ShareReport(OpenBody):
    channel: str

    def __post_init__(self) -> None:
        channel = self.channel.strip().lower()
        if channel not in SHARE_CHANNELS:
            raise rules.RuleError("'channel' must be one of: " + ", ".join(sorted(SHARE_CHANNELS)))
        self.channel = channel


class LikeState(Answer):
    liked: bool
    likes_count: Count


class ShareState(Answer):
    counted: bool
    shares_count: Count


class Counted(Answer):
    counted: bool


class Deleted(Answer):
    id: Uuid
    deleted: bool


__all__ = ["Body", "CommentText", "NewComment", "ViewReport", "ShareReport", "LikeState",
           "ShareState", "Counted", "Deleted"]
