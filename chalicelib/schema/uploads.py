"""Uploads: what a user may choose (title, description, hashtags; nothing else: the server
chooses the upload parameters), the signed ticket, the webhook's outcome."""
from __future__ import annotations

from typing import Annotated, ClassVar, Dict, List, Optional, Union

import msgspec

from .. import rules
from .types import Answer, Body, Uuid

TITLE_MAX = 150
DESCRIPTION_MAX = 2200


class UploadRequest(Body):
    __hints__: ClassVar[Dict[str, str]] = {"": "the server chooses upload parameters"}  # on an unknown key
    title: Annotated[str, msgspec.Meta(extra_json_schema={"minLength": 1, "maxLength": TITLE_MAX})]
    description: Annotated[Optional[str], msgspec.Meta(extra_json_schema={"maxLength": DESCRIPTION_MAX})] = None
    hashtags: Annotated[List[Annotated[str, msgspec.Meta(extra_json_schema={"maxLength": rules.HASHTAG_MAX})]],
                        msgspec.Meta(extra_json_schema={"maxItems": rules.HASHTAGS_MAX})] = []

    def __post_init__(self) -> None:
        title = rules.optional_text(self.title, "title", max_chars=TITLE_MAX + 1000, multiline=False)
        if not title or len(title) > TITLE_MAX:
            raise rules.RuleError(f"'title' must have 1 to {TITLE_MAX} characters")
        self.title = title
        self.description = rules.optional_text(self.description, "description", max_chars=DESCRIPTION_MAX)
        self.hashtags = rules.hashtags(self.hashtags)


class UploadTicket(Answer):
    video_id: Uuid
    upload_url: str
    fields: Dict[str, str]
    expires_at: Union[str, int, None] = None


class WebhookOutcome(Answer):
    received: bool
    kind: Optional[str] = None
    result: Optional[str] = None
    video_id: Optional[str] = None
