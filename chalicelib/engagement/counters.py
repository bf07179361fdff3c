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
# A write whose fresh count had to sum more unfolded deltas than this folds that one video's
# (user's) backlog itself, so a viral video's fresh count stays cheap between scheduled folds.
BACKLOG_ROWS = 500
SAFETY_MARGIN_S = 5.0  # time kept for one fold at the end of a scheduled invocation


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


def fold_repeatedly(passes: int, every_s: float, time_left_s: float = 60.0,
                    sleep: Callable[[float], None] = time.sleep) -> list:
    """Up to `passes` folds `every_s` apart (one scheduled minute: counts at most `every_s`
    stale), never starting one that could not finish within `time_left_s` (the Lambda's
    remaining time, with a margin)."""
    results = []
    deadline = time.monotonic() + time_left_s - SAFETY_MARGIN_S
    for index in range(passes):
        started = time.monotonic()
        results.append(fold())
        next_start = started + every_s
        if index == passes - 1 or next_start + SAFETY_MARGIN_S > deadline:
            break
        sleep(max(0.0, next_start - time.monotonic()))
    return results


def fold_backlog(video_id: str | None = None, user_id: str | None = None, pending: int = 0) -> int:
    """Fold one video's or user's deltas when `pending` (rows seen by a fresh count) is over
    BACKLOG_ROWS. Its own short transaction, after the write committed; a concurrent one for
    the same row skips. Answers the deltas folded."""
    if pending <= BACKLOG_ROWS:
        return 0

    def work(conn: Any) -> int:
        row_id = video_id or user_id
        if not counters.try_row_fold_lock(conn, row_id):
            return 0
        if video_id:
            return counters.fold_video_batch(conn, BATCH, video_id)["deltas"]
        return counters.fold_user_batch(conn, BATCH, user_id)["deltas"]

    return db.in_transaction(work)
