"""Inputs and answers many routes share: errors, ids in paths, offset and cursor pages."""
from __future__ import annotations

from typing import Annotated, Optional

import msgspec

from .types import Answer, Input, Tag, Uuid

COMPAT_MAX_LIMIT = 100  # the old backend's routes: larger values are clamped
CURSOR_MAX_LIMIT = 50  # contract section 3: limit=<1..50>, larger values are clamped
# OFFSET costs a walk over every skipped index entry, and each offset is its own cache entry:
# a loop over offsets misses the CDN every time (issue 15). At most this many skipped
# entries keeps an offset page within a small factor of page 1; deeper, the /v1 cursor
# routes page at page 1's cost.
MAX_OFFSET = 1_000
# The following feed reads limit+offset rows of EACH followed user before merging: so
# limit+offset may not exceed the largest page 1 (COMPAT_MAX_LIMIT); deeper, /v1/me/feed.
FOLLOWING_MAX_ROWS = COMPAT_MAX_LIMIT

Limit = Annotated[int, msgspec.Meta(ge=1)]
Offset = Annotated[int, msgspec.Meta(ge=0, le=MAX_OFFSET)]
Cursor = Annotated[Optional[str], msgspec.Meta(
    description="`next_cursor` of the previous page; absent for the first.")]


class Error(Answer):
    detail: str


# ---- path parameters ---------------------------------------------------------------------


class IdPath(Input):
    id: Uuid


class VideoIdPath(Input):
    video_id: Uuid


class UserIdPath(Input):
    user_id: Uuid


class TagPath(Input):
    tag: Tag


# ---- query strings -----------------------------------------------------------------------


class NoQuery(Input):
    """A route that reads no query parameter."""


class OffsetPage(Input):
    """The old backend's offset pages: limit over 100 is clamped, offset at most MAX_OFFSET."""

    __clamp__ = {"limit": COMPAT_MAX_LIMIT}
    limit: Limit = 20
    offset: Offset = 0


class FeedOffsetPage(OffsetPage):
    """The feed's offset pages: deeper than MAX_OFFSET, its cursor pages."""

    __hints__ = {"offset": "page with /v1/feed's cursor"}


class FollowersOffsetPage(OffsetPage):
    """Deeper than MAX_OFFSET: the followers' cursor pages."""

    __hints__ = {"offset": "page with /v1/users/{id}/followers's cursor"}


class FollowingOffsetPeoplePage(OffsetPage):
    """Deeper than MAX_OFFSET: the followings' cursor pages."""

    __hints__ = {"offset": "page with /v1/users/{id}/following's cursor"}


class CursorPage(Input):
    """Contract section 3's cursor pages: limit over 50 is clamped."""

    __clamp__ = {"limit": CURSOR_MAX_LIMIT}
    cursor: Cursor = None
    limit: Limit = 20

    def __post_init__(self) -> None:
        self.cursor = self.cursor or None  # `?cursor=` is the first page


def first_page(query: object) -> bool:
    """Whether a list query asks for its first page (no cursor, no offset)."""
    return not getattr(query, "cursor", None) and not getattr(query, "offset", 0)
