# TRANSITION: only the live routes still use this; it goes when they are declared.
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
# OFFSET costs a walk over every skipped index entry, and each offset is its own cache entry:
# a loop over offsets misses the CDN every time (issue 15). At most this many skipped
# entries keeps an offset page within a small factor of page 1 (bench `offsets`); deeper,
# the /v1 cursor routes page at page 1's cost.
MAX_OFFSET = 1_000
# The following feed reads limit+offset rows of EACH followed user before merging: so
# limit+offset may not exceed the largest page 1 (COMPAT_MAX_LIMIT); deeper, /v1/me/feed.
FOLLOWING_MAX_ROWS = COMPAT_MAX_LIMIT
_TAG = re.compile(r"\w{1,64}")


def limit(request: Any, default: int, maximum: int) -> int:
    return int_param(request, "limit", default, minimum=1, maximum=maximum)


def offset(request: Any, instead: Optional[str] = None) -> int:
    """An offset of at most MAX_OFFSET; deeper is a 400 naming the cursor route, if any."""
    value = int_param(request, "offset", 0, minimum=0)
    if value > MAX_OFFSET:
        pointer = f"; page with {instead}" if instead else ""
        raise BadRequest(f"'offset' must be at most {MAX_OFFSET}{pointer}")
    return value


def following_offset(request: Any, page_limit: int) -> int:
    """The following feed's offset: limit + offset at most FOLLOWING_MAX_ROWS."""
    value = int_param(request, "offset", 0, minimum=0)
    if value + page_limit > FOLLOWING_MAX_ROWS:
        raise BadRequest(f"'offset' + 'limit' must be at most {FOLLOWING_MAX_ROWS}; "
                         "page with /v1/me/feed's cursor")
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
