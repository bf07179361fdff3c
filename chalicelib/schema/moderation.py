"""Reports, moderator actions and blocks (issue 16): request bodies and answers."""
from __future__ import annotations

from typing import Annotated, List, Literal, Optional, Union

import msgspec
from msgspec import UNSET, UnsetType

from .. import rules
from ..moderation.reasons import REASONS
from .common import CursorPage
from .notifications import Timestamp
from .types import Answer, Body, Uuid
from .videos import Count

MAX_NOTE_CHARS = 1000
MAX_REASON_CHARS = 1000
TargetType = Literal["video", "comment", "user"]
# The reasons a user may pick: those the queue knows how to weigh (one list).
ReportReason = Literal[tuple(REASONS)]  # type: ignore[valid-type]


class NewReport(Body):
    target_type: TargetType
    target_id: Uuid
    reason: ReportReason
    note: Optional[Annotated[str, msgspec.Meta(max_length=MAX_NOTE_CHARS)]] = None

    def __post_init__(self) -> None:
        self.note = rules.optional_text(self.note, "note", max_chars=MAX_NOTE_CHARS)


class ModerationReason(Body):
    """Why a moderator acts: kept, audited and told to the owner."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_CHARS)]

    def __post_init__(self) -> None:
        self.reason = rules.clean_text(self.reason, "reason", min_chars=1, max_chars=MAX_REASON_CHARS)


class Report(Answer):
    id: Uuid
    target_type: TargetType
    target_id: Uuid
    reason: str
    note: Optional[str]
    status: Literal["open", "actioned", "dismissed"]
    created_at: Timestamp


class ReportQueueItem(Answer):
    target_type: str
    target_id: Uuid
    weight: float
    reports_count: Count
    reasons: List[str]
    first_reported_at: Union[Timestamp, UnsetType] = UNSET
    last_reported_at: Union[Timestamp, UnsetType] = UNSET


class ReportQueue(Answer):
    items: List[ReportQueueItem]
    next_cursor: Optional[str]


class ModerationResult(Answer):
    target_type: str
    target_id: Uuid
    action: str
    reason: str
    changed: bool
    hidden: bool
    audited_at: Optional[str] = None


class DismissResult(Answer):
    """The open reports on a target closed without acting on it."""

    target_type: TargetType
    target_id: Uuid
    action: Literal["dismiss_reports"]
    reason: str
    changed: bool
    reports_dismissed: Count
    audited_at: Optional[Timestamp] = None


class AuditQuery(CursorPage):
    """The audit log, newest first; each filter narrows it (they combine)."""

    target_type: Optional[TargetType] = None
    target_id: Optional[Uuid] = None
    moderator_id: Optional[Uuid] = None


class AuditEntry(Answer):
    id: Uuid
    moderator_id: Uuid
    moderator_username: Optional[str]
    action: str
    target_type: TargetType
    target_id: Uuid
    reason: str
    created_at: Timestamp


class AuditLog(Answer):
    items: List[AuditEntry]
    next_cursor: Optional[str]


class BlockState(Answer):
    blocked: bool
    changed: Union[bool, UnsetType] = UNSET


class BlockList(Answer):
    ids: List[Uuid]
