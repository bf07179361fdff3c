"""Gone means gone: take videos out of the stored trending lists now, not at the next refresh.

Called after a takedown, a suspension, an owner's delete or a failed moderation has
committed. No re-ranking: each stored list that holds one of the videos is rewritten without
it (the others keep their order), then the index with the new hashes, last, as the writer
does; this environment's in-memory copy revalidates on its next read, every other warm
environment within TRENDING_REVALIDATE_S (its index check sees the new hash and fetches the
changed lists). Then one CloudFront invalidation for the trending reads, their objects, the
search answers and the videos' own reads.

A refresh whose ranking statement ran before the removal committed can write the video back
(it ranked the old state); its next refresh drops it. Failures are logged, never raised: the
content is already hidden in Postgres, and the next refresh rewrites every list anyway.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

from . import cache_control, cdn, lists, reader
from . import store as stores
from ..config import settings

log = logging.getLogger("trendke.trending")


@dataclass
class Removal:
    rewritten: List[str] = field(default_factory=list)
    invalidations: Optional[List[str]] = None
    took_s: float = 0.0


def _without(store: stores.Store, key: str, gone: set, header: str) -> Optional[tuple]:
    """(sha256, count) of the list rewritten without `gone`, or None when it holds none."""
    found = store.read(key)
    if not isinstance(found, stores.StoredObject):
        return None
    document = json.loads(found.body)
    kept = [item for item in document["items"] if item.get("id") not in gone]
    if len(kept) == len(document["items"]):
        return None
    document["items"] = kept
    body = lists.encode(document)
    digest = stores.content_hash(body)
    store.write(key, body, digest=digest, cache_control=header)
    return digest, len(kept)


def _purge_store(gone: set, result: Removal) -> None:
    store = stores.from_settings()
    found = store.read(lists.INDEX_KEY)
    if not isinstance(found, stores.StoredObject):
        return  # nothing stored yet: the reads compute from Postgres, which already hides it
    index = json.loads(found.body)
    header = found.cache_control or cache_control(settings().trending_rate_minutes)
    for entry in [index["global"], *index["hashtags"]]:
        changed = _without(store, entry["key"], gone, header)
        if changed is not None:
            entry["sha256"], entry["count"] = changed
            result.rewritten.append(entry["key"])
    if result.rewritten:
        body = lists.encode(index)
        store.write(lists.INDEX_KEY, body, digest=stores.content_hash(body), cache_control=header)


def remove_videos(video_ids: Iterable[str]) -> Removal:
    started = time.perf_counter()
    gone = {str(v) for v in video_ids}
    result = Removal()
    if not gone:
        return result
    try:
        _purge_store(gone, result)
    except (stores.StoreUnavailable, ValueError, KeyError, TypeError) as exc:
        log.error("trending purge of %d video(s) failed (the next refresh drops them): %s",
                  len(gone), exc)
    reader.expire()
    try:
        result.invalidations = cdn.invalidate(cdn.paths_for_videos(sorted(gone)))
    except Exception as exc:  # the edge then drops them at its TTL (the trending rate)
        log.error("CloudFront invalidation failed: %s", exc)
    result.took_s = time.perf_counter() - started
    log.info("removed %d video(s) from trending: %d list(s) rewritten in %.0f ms",
             len(gone), len(result.rewritten), result.took_s * 1000)
    return result
