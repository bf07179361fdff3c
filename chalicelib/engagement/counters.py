"""Fold the appended counter deltas into videos.*_count and users.*_count.

Exact: each batch deletes its deltas and adds their sums in one transaction, so a delta is
counted once whatever fails or is retried. Safe to run concurrently with itself: an advisory
lock lets one fold run at a time (another returns at once), and SKIP LOCKED would keep even
lock-less folds on disjoint deltas.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Dict

from .. import db, ratelimit
from ..repo import counters

BATCH = 20_000
MAX_BATCHES = 50  # 1M deltas per call at most; the next call takes the rest


def fold(batch: int = BATCH, max_batches: int = MAX_BATCHES) -> Dict[str, Any]:
    """Fold pending deltas until none are left; answers what was folded."""
    totals = {"video_deltas": 0, "user_deltas": 0, "skipped": False}
    for _ in range(max_batches):

        def one_batch(conn: Any) -> Dict[str, int] | None:
            if not counters.try_fold_lock(conn):
                return None
            return {
                "video": counters.fold_video_batch(conn, batch)["deltas"],
                "user": counters.fold_user_batch(conn, batch)["deltas"],
            }

        done = db.in_transaction(one_batch)
        if done is None:
            totals["skipped"] = True  # another fold holds the lock: it will do the work
            break
        totals["video_deltas"] += done["video"]
        totals["user_deltas"] += done["user"]
        if done["video"] < batch and done["user"] < batch:
            break
    db.in_transaction(ratelimit.prune)
    return totals


def fold_repeatedly(passes: int, every_s: float, sleep: Callable[[float], None] = time.sleep) -> list:
    """`passes` folds `every_s` apart (one scheduled minute: counts at most `every_s` stale)."""
    results = []
    for index in range(passes):
        started = time.monotonic()
        results.append(fold())
        if index < passes - 1:
            sleep(max(0.0, every_s - (time.monotonic() - started)))
    return results
