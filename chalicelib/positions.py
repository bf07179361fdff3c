"""A page position (what a cursor carries), apart from cursors.py's signing so that the repo
modules naming it do not reach the cursor secret (tests/test_iam_policy.py's reach)."""
from __future__ import annotations

import datetime as dt

import msgspec


class Position(msgspec.Struct, frozen=True):
    """Where the previous page ended; the next page starts strictly after it."""

    created_at: dt.datetime  # naive UTC, like the live columns every list is ordered by
    id: str
