"""Timestamps of the live schema: its `timestamp` (without time zone) columns hold UTC.

Python: a naive value read from such a column is UTC, whatever the session's TimeZone; an
aware one (a `timestamptz` column) is an instant. Answers always carry an offset.
SQL: compare a naive column with NOW_UTC, never with now() (a timestamptz, which Postgres
would compare after reading the column in the session's TimeZone).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

UTC = dt.timezone.utc
NOW_UTC = "(now() AT TIME ZONE 'UTC')"


def as_utc(value: dt.datetime) -> dt.datetime:
    """The instant, as an aware UTC datetime."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def naive_utc(value: dt.datetime) -> dt.datetime:
    """The instant as the live columns store it (naive UTC): bound to a `timestamp`
    parameter, it compares with them exactly under any TimeZone."""
    return as_utc(value).replace(tzinfo=None)


def iso(value: Optional[dt.datetime]) -> Optional[str]:
    """ISO 8601 with its offset (+00:00)."""
    return None if value is None else as_utc(value).isoformat()
