"""Signing keys from a JWKS URL (Supabase's asymmetric JWT keys), cached per execution
environment with an expiry.

- The key set is kept for JWKS_TTL_S, then fetched again: a key Supabase revoked (removed
  from the set) stops verifying within that time.
- A token naming a key id the set lacks (a rotation: a new key) makes one refetch, but at
  most one per JWKS_REFETCH_S: a loop of made-up key ids cannot turn into a loop of
  requests to the key server.
- When a refetch fails, the keys already known keep serving (a brief outage of the key
  server must not sign everybody out); with no keys at all it is a 503.
"""
from __future__ import annotations

import json
import threading
import time
from typing import Any, Dict, Optional

from .errors import ServiceUnavailable, Unauthorized

JWKS_TTL_S = 600
JWKS_REFETCH_S = 30
FETCH_TIMEOUT_S = 3
MAX_BYTES = 256 * 1024


def _now() -> float:
    return time.monotonic()


def _fetch(url: str) -> dict:
    import urllib.request

    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as answer:  # noqa: S310 - configured https URL
        return json.loads(answer.read(MAX_BYTES + 1)[:MAX_BYTES])


class KeySet:
    def __init__(self, url: str, algorithm: str) -> None:
        self.url, self.algorithm = url, algorithm
        self.keys: Dict[str, Any] = {}
        self.fetched_at: Optional[float] = None  # last successful fetch
        self.tried_at: Optional[float] = None  # last attempt, successful or not
        self.fetches = 0
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        import jwt

        self.tried_at = _now()
        self.fetches += 1
        try:
            document = _fetch(self.url)
            entries = document["keys"]
        except Exception as exc:
            if self.keys:
                return  # keep serving what we know; retried after JWKS_REFETCH_S
            raise ServiceUnavailable("Signing keys are unreachable") from exc
        keys = {}
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
                continue
            if entry.get("use", "sig") != "sig" or entry.get("alg", self.algorithm) != self.algorithm:
                continue
            try:
                keys[entry["kid"]] = jwt.PyJWK(entry, algorithm=self.algorithm).key
            except jwt.PyJWTError:
                continue  # a key of a kind we cannot use
        self.keys, self.fetched_at = keys, self.tried_at

    def key(self, kid: str) -> Any:
        with self._lock:
            now = _now()
            may_fetch = self.tried_at is None or now - self.tried_at >= JWKS_REFETCH_S
            expired = self.fetched_at is None or now - self.fetched_at >= JWKS_TTL_S
            if may_fetch and (expired or kid not in self.keys):
                self._refresh()
            # Refetches failing for two lifetimes: stop trusting keys that may be revoked.
            if self.fetched_at is None or _now() - self.fetched_at >= 2 * JWKS_TTL_S:
                raise ServiceUnavailable("Signing keys are unreachable")
            if kid not in self.keys:
                raise Unauthorized("Token is not signed by a known key")
            return self.keys[kid]


_sets_lock = threading.Lock()
_sets: Dict[tuple, KeySet] = {}


def key_set(url: str, algorithm: str) -> KeySet:
    """This execution environment's key set for `url`."""
    with _sets_lock:
        found = _sets.get((url, algorithm))
        if found is None:
            found = _sets[(url, algorithm)] = KeySet(url, algorithm)
        return found


def forget() -> None:
    """Drop every cached key set (tests)."""
    with _sets_lock:
        _sets.clear()
