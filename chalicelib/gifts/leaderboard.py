"""The gift leaderboard: top creators by coins received this week and of all time.

Written by a scheduled job (`gifts_leaderboard`, every LEADERBOARD_RATE_MINUTES) as JSON
objects in the trending store (`gifts/leaderboard-week.json`, `gifts/leaderboard-all.json`);
reads answer from an in-memory copy revalidated against the store and never aggregate in
Postgres. "This week" starts on Monday 00:00 in Nairobi (EAT, UTC+3, no daylight saving).
"""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
from typing import Any, Dict, Optional

from .. import db, timestamps
from ..config import settings
from ..errors import ServiceUnavailable
from ..http import CachePolicy
from ..repo import gifts as repo
from ..trending import store as stores

SIZE = 100
PERIODS = ("week", "all")
EAT = dt.timezone(dt.timedelta(hours=3))


def key_of(period: str) -> str:
    return f"gifts/leaderboard-{period}.json"


def week_start(now: dt.datetime) -> dt.datetime:
    """Monday 00:00 in Nairobi of the week holding `now`, as naive UTC (the live column's)."""
    local = timestamps.as_utc(now).astimezone(EAT)
    monday = (local - dt.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return timestamps.naive_utc(monday)


def cache_policy() -> CachePolicy:
    rate_s = settings().leaderboard_rate_minutes * 60
    return CachePolicy(max_age=60, s_maxage=rate_s, stale_while_revalidate=rate_s, stale_if_error=86400)


def _item(rank: int, row: dict) -> Dict[str, Any]:
    return {"rank": rank, "user_id": str(row["user_id"]), "username": row["username"],
            "full_name": row["full_name"], "avatar_url": row["avatar_url"],
            "total_coins": int(row["total_coins"]), "gift_count": int(row["gift_count"])}


def refresh(now: Optional[dt.datetime] = None) -> Dict[str, int]:
    """Aggregate both boards and write the objects whose content changed; {period: size}."""
    now = now or dt.datetime.now(dt.timezone.utc)
    store = stores.from_settings()
    sizes: Dict[str, int] = {}
    for period in PERIODS:
        since = week_start(now) if period == "week" else None
        rows = db.run(lambda conn: repo.top_recipients(conn, since, SIZE))
        items = [_item(rank, row) for rank, row in enumerate(rows, start=1)]
        body = {"period": period, "since": timestamps.iso(since), "items": items}
        encoded = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        digest = stores.content_hash(encoded)
        if store.stored_hash(key_of(period)) != digest:
            stamped = json.dumps({**body, "generated_at": timestamps.iso(now)},
                                 separators=(",", ":"), ensure_ascii=False).encode()
            # The hash is of the content without the time, so an unchanged board is not rewritten.
            store.write(key_of(period), stamped, digest=digest, cache_control=cache_policy().header)
        sizes[period] = len(items)
    return sizes


class _Copy:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.boards: Dict[str, tuple] = {}  # period -> (checked_at, version, data)

    def forget(self) -> None:
        with self.lock:
            self.boards.clear()


_copy = _Copy()
forget = _copy.forget


def _load(period: str) -> dict:
    now = time.monotonic()
    with _copy.lock:
        held = _copy.boards.get(period)
    if held and now - held[0] < settings().trending_revalidate_s:
        return held[2]
    store = stores.from_settings()
    try:
        got = store.read(key_of(period), held[1] if held else None)
    except stores.StoreUnavailable:
        if held:
            return held[2]
        raise ServiceUnavailable("The leaderboard store is unreachable") from None
    if got is stores.NOT_MODIFIED:
        data = held[2]
        version = held[1]
    elif got is None:
        raise ServiceUnavailable("The leaderboard has not been computed yet; try again in a few minutes")
    else:
        data, version = json.loads(got.body), got.version
    with _copy.lock:
        _copy.boards[period] = (now, version, data)
    return data


def read(period: str, limit: int) -> Dict[str, Any]:
    data = _load(period)
    return {"period": period, "items": data["items"][:limit],
            "generated_at": data.get("generated_at"), "cache": cache_policy()}
