"""Rate-limit specs (`"like=120/60,comment=20/60"`), parsed without the database: config.py
checks them at start-up in every function, and a function that needs no database (the
trending purge) must not reach chalicelib/db.py through it (tests/test_iam_policy.py)."""
from __future__ import annotations

from functools import lru_cache
from typing import Dict

import msgspec


class Limit(msgspec.Struct, frozen=True):
    hits: int
    window_s: int


@lru_cache(maxsize=8)
def parse(spec: str) -> Dict[str, Limit]:
    """`"like=120/60,comment=20/60"` -> {"like": Limit(120, 60), ...}; bad entries raise."""
    limits: Dict[str, Limit] = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        action, _, rate = entry.partition("=")
        hits, _, window = rate.partition("/")
        try:
            limit = Limit(int(hits), int(window))
        except ValueError:
            raise ValueError(f"bad rate limit {entry!r}") from None
        if limit.hits < 1 or limit.window_s < 1:
            raise ValueError(f"bad rate limit {entry!r}")
        limits[action.strip()] = limit
    return limits
