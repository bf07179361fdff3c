"""Query parameters of the list routes: limit, offset, cursor, hashtag; 400 when malformed."""
from __future__ import annotations

import re
from urllib.parse import unquote
from typing import Any, Optional

from ..errors import BadRequest
from ..http import int_param, query

COMPAT_MAX_LIMIT = 100  # the old backend's routes: larger values are clamped
CURSOR_MAX_LIMIT = 50  # contract section 3: limit=<1..50>, larger values are clamped
CURSOR_DEFAULT_LIMIT = 20
# OFFSET costs a walk over every skipped index entry; past this, /v1 cursors are the way.
MAX_OFFSET = 1_000_000
# The following feed reads limit+offset rows of EACH followed user before merging, so its
# offset costs far more than a global one; deeper than this, /v1/me/feed's cursor pages.
FOLLOWING_MAX_OFFSET = 10_000
_TAG = re.compile(r"\w{1,64}")


def limit(request: Any, default: int, maximum: int) -> int:
    return int_param(request, "limit", default, minimum=1, maximum=maximum)


def offset(request: Any, maximum: int = MAX_OFFSET, instead: str = "the /v1 cursor routes") -> int:
    value = int_param(request, "offset", 0, minimum=0)
    if value > maximum:
        raise BadRequest(f"'offset' must be at most {maximum}; page with {instead}")
    return value


def cursor(request: Any) -> Optional[str]:
    """The cursor of the page asked for; absent or empty means the first page."""
    return query(request).get("cursor") or None


def cursor_limit(request: Any) -> int:
    return limit(request, CURSOR_DEFAULT_LIMIT, CURSOR_MAX_LIMIT)


def hashtag(value: str) -> str:
    """A hashtag as stored: without '#', lower case, letters, digits and '_' only.

    API Gateway hands path parameters over still percent-encoded (`%23kenya`), so decode.
    """
    tag = unquote(value or "").strip().lstrip("#").lower()
    if not _TAG.fullmatch(tag):
        raise BadRequest("'tag' must be 1 to 64 letters, digits or underscores")
    return tag
