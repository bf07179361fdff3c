"""The trending refresh: one ranking statement, then the objects whose content changed, then
the index, then a re-check of the videos written against removals that committed meanwhile. Run by the schedule (chalicelib/scheduled/trending.py), by `manage.py
refresh-trending` and by `manage.py dev` every minute."""
from __future__ import annotations

import datetime as _dt
import json
import logging
import time
from dataclasses import dataclass, field
from typing import List, Optional

from . import cache_control, lists
from .. import models
from . import store as stores
from ..config import settings
from ..repo import trending as ranking

log = logging.getLogger("trendke.trending")


@dataclass
class RefreshResult:
    generated_at: str
    store: str
    written: List[str] = field(default_factory=list)
    unchanged: List[str] = field(default_factory=list)
    rank_s: float = 0.0
    total_s: float = 0.0
    removed_meanwhile: List[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"trending refreshed into {self.store}: {len(self.written)} written"
            f" (index last), {len(self.unchanged)} unchanged;"
            f" ranking {self.rank_s * 1000:.0f} ms, total {self.total_s * 1000:.0f} ms"
        )


def compute(now: Optional[_dt.datetime] = None) -> lists.TrendingSet:
    """Rank (one statement) and build the objects, without storing them."""
    cfg = settings()
    now = now or _dt.datetime.now(_dt.timezone.utc)
    rows = ranking.ranked_rows(now=now, hashtag_lists=cfg.trending_hashtag_lists)
    return lists.build(rows, now, cfg.trending_rate_minutes, models.video)


def refresh(store: Optional[stores.Store] = None, now: Optional[_dt.datetime] = None) -> RefreshResult:
    """Compute every list and store the changed ones, the index last: a reader that sees the
    new index finds every object it names already in place."""
    started = time.perf_counter()
    now = now or _dt.datetime.now(_dt.timezone.utc)
    trending = compute(now)
    return store_set(trending, store, now, started)


def store_set(trending: lists.TrendingSet, store: Optional[stores.Store] = None,
              now: Optional[_dt.datetime] = None, started: Optional[float] = None) -> RefreshResult:
    """Store a computed set, then ask for a purge of any video in it removed since the ranking
    ran (a removal that committed meanwhile; removal.py says why that closes the race)."""
    ranked = time.perf_counter()
    started = ranked if started is None else started
    target = store or stores.from_settings()
    header = cache_control(settings().trending_rate_minutes)
    result = RefreshResult(
        generated_at=(now or _dt.datetime.now(_dt.timezone.utc)).isoformat(),
        store=target.describe(),
        rank_s=ranked - started,
    )
    for obj in trending.lists:
        if target.stored_hash(obj.key) == obj.sha256:
            result.unchanged.append(obj.key)
            continue
        target.write(obj.key, obj.body, digest=obj.sha256, cache_control=header)
        result.written.append(obj.key)
    index = trending.index
    target.write(index.key, index.body, digest=index.sha256, cache_control=header)
    result.written.append(index.key)
    result.removed_meanwhile = _recheck(trending)
    result.total_s = time.perf_counter() - started
    log.info(result.summary())
    return result


def _recheck(trending: lists.TrendingSet) -> List[str]:
    ids = {item["id"] for obj in trending.lists for item in json.loads(obj.body)["items"]}
    if not ids:
        return []
    try:
        gone = ranking.no_longer_listable(sorted(ids))
    except Exception as exc:  # the lists are written; the next refresh ranks without them
        log.error("trending re-check after the write failed: %s", exc)
        return []
    if gone:
        from . import purge_call

        log.warning("%d video(s) removed while the ranking ran: purging them", len(gone))
        purge_call.request(gone)
    return gone
