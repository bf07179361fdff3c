"""What a user may choose about an upload: title, description, hashtags. Nothing else."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional

from ..errors import BadRequest

TITLE_MAX = 150
DESCRIPTION_MAX = 2200
HASHTAGS_MAX = 20
HASHTAG_MAX = 50
ALLOWED_KEYS = frozenset({"title", "description", "hashtags"})
_HASHTAG = re.compile(r"[a-z0-9_]+")
IDEMPOTENCY_KEY_MAX = 200
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]+")  # visible ASCII


@dataclass(frozen=True)
class UploadRequest:
    title: str
    description: Optional[str]
    hashtags: List[str]


def _hashtag(raw: Any) -> str:
    if not isinstance(raw, str):
        raise BadRequest("Each hashtag must be a string")
    tag = raw.strip().lstrip("#").lower()
    if not tag:
        raise BadRequest("A hashtag cannot be empty")
    if len(tag) > HASHTAG_MAX:
        raise BadRequest(f"A hashtag can have at most {HASHTAG_MAX} characters")
    if not _HASHTAG.fullmatch(tag):
        raise BadRequest(f"Hashtag '{raw[:60]}' may only contain letters a-z, digits and underscores")
    return tag


def hashtags(raw: Any) -> List[str]:
    """Normalised (no '#', lowercase), checked against [a-z0-9_], duplicates dropped in order."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise BadRequest("'hashtags' must be a list of strings")
    out: List[str] = []
    for item in raw:
        tag = _hashtag(item)
        if tag not in out:
            out.append(tag)
    if len(out) > HASHTAGS_MAX:
        raise BadRequest(f"At most {HASHTAGS_MAX} hashtags")
    return out


def upload_request(body: Mapping[str, Any]) -> UploadRequest:
    """The body of POST /v1/uploads. Any other key is refused: the server chooses the rest."""
    unknown = sorted(set(body) - ALLOWED_KEYS)
    if unknown:
        raise BadRequest("Unknown field(s): " + ", ".join(unknown)[:200] + "; the server chooses upload parameters")
    title = body.get("title")
    if not isinstance(title, str):
        raise BadRequest("'title' is required and must be a string")
    title = title.strip()
    if not 1 <= len(title) <= TITLE_MAX:
        raise BadRequest(f"'title' must have 1 to {TITLE_MAX} characters")
    description = body.get("description")
    if description is not None:
        if not isinstance(description, str):
            raise BadRequest("'description' must be a string")
        description = description.strip()
        if len(description) > DESCRIPTION_MAX:
            raise BadRequest(f"'description' can have at most {DESCRIPTION_MAX} characters")
        description = description or None
    return UploadRequest(title, description, hashtags(body.get("hashtags")))


def idempotency_key(raw: Optional[str]) -> Optional[str]:
    if raw is None:
        return None
    key = raw.strip()
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not _IDEMPOTENCY_KEY.fullmatch(key):
        raise BadRequest(f"'Idempotency-Key' must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters")
    return key
