"""The trending lists as this execution environment holds them.

A snapshot is one version of the index plus the list objects it names, fetched on first use
and kept as pre-serialised items. Every (shape, hashtag, limit) answer is prepared once per
snapshot: its bytes and its strong ETag; a warm read is a few dictionary look-ups.

At most every TRENDING_REVALIDATE_S seconds a read asks the store for the index with a
conditional GET. A changed index gives a new snapshot that keeps the lists whose hash did not
change. When the store cannot be reached the current snapshot goes on serving. Only when the
store holds no index at all (a fresh deployment, before the first scheduled run) does a read
compute the lists from Postgres, once per refresh period, and its answers say so in the
`X-Trending-Source: database` header. Videos this environment just removed are left out of
the snapshots ranked before the removal (hidden.py) until the purge has rewritten the store.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import threading
import time
from typing import Any, Dict, List, Optional, Tuple

from .. import observability
from . import cache_control, hidden, lists
from . import store as stores
from ..config import settings
from ..errors import NotFound, ServiceUnavailable

log = logging.getLogger("trendke.trending")

SOURCE_HEADER = "X-Trending-Source"
# Prepared answers kept per snapshot: every limit of every list is about 20 MB, so a caller
# walking all of them cannot grow memory past this; beyond it answers are built per request.
MAX_PREPARED = 1024
COMPAT, V1 = "compat", "v1"
# What a truncated or foreign object raises while parsed: treated like an unreachable store.
_BAD_OBJECT = (ValueError, KeyError, TypeError)


class Answer:
    """A prepared answer: the body, its strong ETag, its Cache-Control and extra headers.
    `header` is the Cache-Control string, so an Answer can stand as the route's cache policy."""

    __slots__ = ("text", "etag", "header", "headers")

    def __init__(self, text: str, cache_header: str, headers: Dict[str, str]):
        self.text = text
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        self.etag = '"' + digest + '"'
        self.header = cache_header
        self.headers = headers


class _ListCopy:
    __slots__ = ("version", "sha256", "cache_control", "items", "ids")

    def __init__(self, version: str, sha256: str, cache_control: Optional[str], body: bytes):
        self.version = version
        self.sha256 = sha256
        self.cache_control = cache_control
        dump = lambda item: json.dumps(item, separators=(",", ":"), ensure_ascii=False)  # noqa: E731
        document = json.loads(body)["items"]
        self.items: List[str] = [dump(item) for item in document]
        self.ids: List[str] = [str(item.get("id")) for item in document]


class _Snapshot:
    def __init__(self, index_body: bytes, version: str, sha256: str, cache_header: str,
                 source: str, previous: Optional["_Snapshot"] = None):
        self.index = json.loads(index_body)
        self.version = version
        self.sha256 = sha256
        self.cache_header = cache_header
        self.source = source
        self.created = time.monotonic()
        self.headers = {SOURCE_HEADER: "database"} if source == "database" else {}
        self.by_tag = {entry["hashtag"]: entry for entry in self.index["hashtags"]}
        self.generated_at = json.dumps(self.index["generated_at"])
        self.generated_ts = _epoch(self.index["generated_at"])
        self.hidden_generation = hidden.generation
        self.answers: Dict[Tuple[str, Optional[str], int], Answer] = {}
        self.lists: Dict[str, _ListCopy] = {}
        # The lists of the previous snapshot: kept where unchanged, and served as the last
        # good copy when the store fails before a changed list could be fetched.
        self.fallback: Dict[str, _ListCopy] = {}
        if previous is not None:
            held = {**previous.fallback, **previous.lists}
            for entry in self.entries():
                copy = held.get(entry["key"])
                if copy is None:
                    continue
                self.fallback[entry["key"]] = copy  # only for lists this index names
                if copy.sha256 == entry["sha256"]:
                    self.lists[entry["key"]] = copy

    def entries(self) -> List[dict]:
        return [self.index["global"], *self.index["hashtags"]]


def _epoch(iso: str) -> float:
    try:
        return _dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except (AttributeError, TypeError, ValueError):
        return 0.0  # unknown: counts as ranked before any removal


class _Holder:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        self.snapshot: Optional[_Snapshot] = None
        self.checked_at = 0.0
        self.store: Any = None
        self.revalidate_s = 5.0


_holder = _Holder()


def reset() -> None:
    """Forget this environment's copy (tests; a new execution environment starts so)."""
    with _holder.lock:
        _holder.reset()
    hidden.reset()


def expire() -> None:
    """Make the next read revalidate the index at once (a removal rewrote the lists)."""
    with _holder.lock:
        _holder.checked_at = 0.0


def answer(shape: str, limit: int, hashtag: Optional[str] = None) -> Answer:
    """The prepared answer for a trending read: `shape` COMPAT (JSON array of Video) or V1
    (`{"items", "next_cursor", "generated_at"}`), the first `limit` videos of the global list
    or of `hashtag`'s list."""
    snap = _holder.snapshot
    if snap is None or time.monotonic() - _holder.checked_at >= _holder.revalidate_s:
        snap = _revalidate()
    if snap.hidden_generation != hidden.generation:  # a removal here: prepare afresh
        snap.answers = {}
        snap.hidden_generation = hidden.generation
    prepared = snap.answers.get((shape, hashtag, limit))
    if prepared is None:
        prepared = _prepare(snap, shape, hashtag, limit)
    return prepared


def _revalidate() -> _Snapshot:
    with _holder.lock:
        cfg = settings()
        store = stores.from_settings()
        if store is not _holder.store:  # configuration changed (tests): start afresh
            _holder.reset()
            _holder.store = store
        _holder.revalidate_s = cfg.trending_revalidate_s
        snap = _holder.snapshot
        now = time.monotonic()
        if snap is not None and now - _holder.checked_at < _holder.revalidate_s:
            return snap  # another thread revalidated while this one waited
        try:
            held = snap.version if snap is not None and snap.source == "store" else None
            found = store.read(lists.INDEX_KEY, if_none_match=held)
            observability.store_revalidation(
                "not_modified" if found is stores.NOT_MODIFIED else "missing" if found is None else "fetched"
            )
            if found is stores.NOT_MODIFIED:
                pass
            elif found is None:
                snap = _without_index(snap, now, cfg.trending_rate_minutes)
            elif snap is not None and snap.source == "store" and found.content_hash == snap.sha256:
                snap.version = found.version  # rewritten with the same bytes
            else:
                header = found.cache_control or cache_control(cfg.trending_rate_minutes)
                snap = _Snapshot(found.body, found.version, found.content_hash, header, "store", snap)
        except (stores.StoreUnavailable, *_BAD_OBJECT) as exc:
            observability.store_revalidation("unavailable")
            _holder.checked_at = now
            if snap is None:
                log.error("trending index unavailable and no copy held: %s", exc)
                raise ServiceUnavailable("Trending is unavailable, try again shortly") from exc
            log.warning("trending index unavailable, serving the copy held: %s", exc)
            return snap
        _holder.snapshot = snap
        _holder.checked_at = now
        return snap


def _without_index(snap: Optional[_Snapshot], now: float, rate_minutes: int) -> _Snapshot:
    """No index in the store: keep a copy already held while it is fresh enough, else
    compute the lists from Postgres (a fresh deployment)."""
    if snap is not None and (snap.source == "store" or now - snap.created < rate_minutes * 60):
        return snap
    from . import writer

    computed = writer.compute()
    header = cache_control(rate_minutes)
    fresh = _Snapshot(computed.index.body, "", computed.index.sha256, header, "database")
    for obj in computed.lists:
        fresh.lists[obj.key] = _ListCopy("", obj.sha256, header, obj.body)
    log.warning("trending store holds no index: computed the lists from Postgres")
    return fresh


def _list(snap: _Snapshot, entry: dict) -> _ListCopy:
    key = entry["key"]
    copy = snap.lists.get(key)
    if copy is not None:
        return copy
    with _holder.lock:
        copy = snap.lists.get(key)
        if copy is not None:
            return copy
        try:
            found = _holder.store.read(key)
            if isinstance(found, stores.StoredObject):
                copy = _ListCopy(found.version, found.content_hash, found.cache_control, found.body)
        except (stores.StoreUnavailable, *_BAD_OBJECT) as exc:
            log.warning("trending list %s unavailable: %s", key, exc)
        if copy is None:  # missing, unreadable or unreachable: the last good copy, if any
            copy = snap.fallback.get(key)
            if copy is None:
                raise ServiceUnavailable("Trending is unavailable, try again shortly")
        snap.lists[key] = copy
        return copy


def _prepare(snap: _Snapshot, shape: str, hashtag: Optional[str], limit: int) -> Answer:
    if hashtag is None:
        entry = snap.index["global"]
    else:
        entry = snap.by_tag.get(hashtag)
        if entry is None:
            raise NotFound(f"No trending list for #{hashtag}")
    copy = _list(snap, entry)
    gone = hidden.for_snapshot(snap.generated_ts)
    kept = copy.items if not gone else [s for i, s in zip(copy.ids, copy.items) if i not in gone]
    items = "[" + ",".join(kept[:limit]) + "]"
    if shape == COMPAT:
        text = items
    else:
        tag = "" if hashtag is None else ',"hashtag":' + json.dumps(hashtag, ensure_ascii=False)
        text = f'{{"items":{items},"next_cursor":null,"generated_at":{snap.generated_at}{tag}}}'
    prepared = Answer(text, copy.cache_control or snap.cache_header, snap.headers)
    if len(snap.answers) < MAX_PREPARED:
        snap.answers[(shape, hashtag, limit)] = prepared
    return prepared
