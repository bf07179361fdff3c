"""Search (issue 16): the query strings and the answer pages."""
from __future__ import annotations

from typing import Annotated, List, Optional

import msgspec

from .. import rules
from .common import CursorPage
from .people import User
from .types import Answer
from .videos import Count

# Longer is a 400, not silently cut (the redirect to the normal form would hide the cut).
MAX_RAW_CHARS = 256


def _q(what: str) -> object:
    return Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_RAW_CHARS, description=what)]


class _Search(CursorPage, kw_only=True):
    """A search: `q` is required and not blank; cursor pages as contract section 3's."""

    q: _q("The query.")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.q.strip():
            raise rules.RuleError("'q' is required")


class VideoSearch(_Search, kw_only=True):
    q: _q("Words; normal form: NFKC, lower case, words joined by one space (at most 8).")


class UserSearch(_Search, kw_only=True):
    q: _q("A name; normal form: lower case, no `@`, single spaces.")


class HashtagSearch(_Search, kw_only=True):
    q: _q("A prefix; normal form: lower case, no `#`, letters, digits and `_` only.")


class UserPage(Answer):
    items: List[User]
    next_cursor: Optional[str]


class HashtagCount(Answer):
    hashtag: str
    videos_count: Count


class HashtagPage(Answer):
    items: List[HashtagCount]
    next_cursor: Optional[str]
