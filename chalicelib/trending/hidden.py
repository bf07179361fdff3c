"""Videos this execution environment removed: left out of its trending answers at once.

The stored lists are rewritten by the trending_purge function, asynchronously (purge_call.py);
until that lands a revalidation would fetch lists that still hold the video. So the acting
environment filters the ids itself, but only from snapshots ranked before the removal: a list
generated after it (its index's `generated_at`) was ranked from Postgres, which already hides
the video, and a restored video then comes back as it should. A margin covers clock skew
between two Lambda hosts. No I/O here, so the callers need no S3 grant for it.
"""
from __future__ import annotations

import threading
import time
from typing import Dict, FrozenSet, Iterable

MARGIN_S = 2.0
MAX_IDS = 20_000  # a bound on memory; a refresh normally empties the set within minutes

_lock = threading.Lock()
_hidden: Dict[str, float] = {}  # video id -> wall-clock time of the removal here
generation = 0  # bumped on every change: the reader drops the answers it prepared


def hide(video_ids: Iterable[str]) -> None:
    global generation
    now = time.time()
    with _lock:
        for video_id in video_ids:
            _hidden[str(video_id)] = now
        while len(_hidden) > MAX_IDS:
            _hidden.pop(next(iter(_hidden)))
        generation += 1


def unhide(video_ids: Iterable[str]) -> None:
    """A restore: this environment stops filtering them (the next refresh lists them again)."""
    global generation
    with _lock:
        for video_id in video_ids:
            _hidden.pop(str(video_id), None)
        generation += 1


def for_snapshot(generated_ts: float) -> FrozenSet[str]:
    """The ids to leave out of a snapshot generated at `generated_ts` (epoch seconds); drops
    those that this snapshot (and so every later one) already reflects."""
    if not _hidden:
        return frozenset()
    with _lock:
        for video_id in [v for v, at in _hidden.items() if generated_ts > at + MARGIN_S]:
            del _hidden[video_id]
        return frozenset(_hidden)


def reset() -> None:
    global generation
    with _lock:
        _hidden.clear()
        generation += 1
