"""Gone means gone: the trending_purge function's work (app.py), run inline where no function is
configured (purge_call.py).

Given videos whose removal (a takedown, a suspension, an owner's delete, a failed moderation)
has committed: no re-ranking; each stored list that holds one of them is rewritten without it
(the others keep their order), then the index with the new hashes, last, as the writer does.
Then one CloudFront invalidation for the trending reads, their objects, the search answers and
the videos' own reads.

Idempotent, for Lambda's two retries and a duplicate delivery: a list without the ids is not
rewritten, an index that already names the stored hashes is not rewritten, and the
invalidation's CallerReference is the request's own reference, so CloudFront answers a repeat
with the invalidation it already made. Store failures raise before the invalidation (which
would otherwise go out ahead of the rewrite and be spent), so the retry does both.

Concurrency: purges run one at a time (reserved concurrency 1 in production, a lock inline),
so two never rewrite one list from the same read. A refresh is not serialised with them: after
its writes it asks for a purge of every id it wrote whose removal has since committed
(writer.py). So a refresh ranked before a removal cannot keep the video: either that check
sees the removal, or the removal committed after the refresh's writes and its purge reads
them. An index entry is set to the stored list's own hash even when the list is left alone,
which heals an index a racing refresh or purge wrote over the other's lists.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional

from . import cache_control, cdn, lists
from . import store as stores
from ..config import settings

log = logging.getLogger("trendke.trending")
MAX_IDS = 1000  # per request (purge_call.py sends larger removals in several)
_one_at_a_time = threading.Lock()


@dataclass
class Removal:
    rewritten: List[str] = field(default_factory=list)
    index_written: bool = False
    invalidations: Optional[List[str]] = None
    took_s: float = 0.0


def _purge_list(store: stores.Store, entry: dict, gone: set, header: str) -> Optional[bool]:
    """Rewrite one list without `gone`: True when rewritten, False when its entry only needed
    the stored hash, None when nothing changed."""
    found = store.read(entry["key"])
    if not isinstance(found, stores.StoredObject):
        return None
    document = json.loads(found.body)
    kept = [item for item in document["items"] if item.get("id") not in gone]
    if len(kept) == len(document["items"]):
        if entry["sha256"] == found.content_hash:
            return None
        entry["sha256"], entry["count"] = found.content_hash, len(kept)
        return False
    document["items"] = kept
    body = lists.encode(document)
    entry["sha256"], entry["count"] = stores.content_hash(body), len(kept)
    store.write(entry["key"], body, digest=entry["sha256"], cache_control=header)
    return True


def _purge_store(gone: set, result: Removal) -> None:
    store = stores.from_settings()
    found = store.read(lists.INDEX_KEY)
    if not isinstance(found, stores.StoredObject):
        return  # nothing stored yet: the reads compute from Postgres, which already hides it
    index = json.loads(found.body)
    header = found.cache_control or cache_control(settings().trending_rate_minutes)
    changed = False
    for entry in [index["global"], *index["hashtags"]]:
        outcome = _purge_list(store, entry, gone, header)
        if outcome:
            result.rewritten.append(entry["key"])
        changed = changed or outcome is not None
    if changed:
        body = lists.encode(index)
        store.write(lists.INDEX_KEY, body, digest=stores.content_hash(body), cache_control=header)
        result.index_written = True


def purge(video_ids: Iterable[str], reference: str) -> Removal:
    """Take the videos out of the stored lists, then out of the edge. Raises on failure."""
    started = time.perf_counter()
    gone = {str(v) for v in video_ids}
    result = Removal()
    if not gone:
        return result
    with _one_at_a_time:
        _purge_store(gone, result)
    result.invalidations = cdn.invalidate(cdn.paths_for_videos(sorted(gone)), reference=reference)
    result.took_s = time.perf_counter() - started
    log.info("removed %d video(s) from trending: %d list(s) rewritten in %.0f ms",
             len(gone), len(result.rewritten), result.took_s * 1000)
    return result


def handle(event: Any) -> dict:
    """The trending_purge function: `{"video_ids": [...], "reference": "..."}` from
    purge_call.request. A malformed event is logged and dropped (a retry would not mend it);
    a failed purge raises, so Lambda retries it."""
    ids = event.get("video_ids") if isinstance(event, dict) else None
    reference = event.get("reference") if isinstance(event, dict) else None
    if (not isinstance(ids, list) or len(ids) > MAX_IDS or not isinstance(reference, str)
            or not 0 < len(reference) <= 64 or not all(isinstance(v, str) and 0 < len(v) <= 64 for v in ids)):
        log.error("trending_purge: malformed event dropped: %.200r", event)
        return {"purged": 0, "error": "malformed event"}
    result = purge(ids, reference)
    return {"purged": len(set(ids)), "rewritten": result.rewritten,
            "invalidations": result.invalidations, "took_ms": round(result.took_s * 1000, 1)}
