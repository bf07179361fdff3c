"""Reconcile the stored counters with the event rows: every videos.*_count and
users.followers_count / following_count.

`reconcile_all` walks a whole table in id order, one short transaction per batch
(`manage.py reconcile-counters`: after a migration, or whenever drift is suspected).
`reconcile_recent` is the scheduled job's: the rows the fold changed since the last run, plus
the next slice of a rolling sweep over every row, so drift from any source (a writer that
bypasses the triggers, a hand edit) cannot last longer than one sweep of the table.
Idempotent, and safe while both backends write (repo/reconcile.py says why).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from .. import db
from ..repo import reconcile as repo

BATCH = 1_000
COUNTERS = {"video": ("likes", "comments", "views", "shares"), "user": ("followers", "following")}
_RETRIES = 3  # a batch whose rows stay locked past the lock timeout is tried again


@dataclass
class Drift:
    """What one kind of row's reconcile found: rows checked and drifted, and per counter the
    rows off, the total absolute error and the net error (expected - stored)."""

    kind: str
    checked: int = 0
    drifted: int = 0
    skipped: int = 0
    counters: Dict[str, Dict[str, int]] = field(default_factory=dict)

    def add(self, rows: List[dict]) -> None:
        for row in rows:
            off = {name: int(row[name]) for name in COUNTERS[self.kind] if row[name]}
            if not off:
                continue  # only the legacy baseline was measured
            self.drifted += 1
            for name, error in off.items():
                entry = self.counters.setdefault(name, {"rows": 0, "abs": 0, "net": 0})
                entry["rows"] += 1
                entry["abs"] += abs(error)
                entry["net"] += error

    def as_dict(self) -> Dict[str, Any]:
        return {"kind": self.kind, "checked": self.checked, "drifted": self.drifted,
                "skipped": self.skipped, "counters": self.counters}


def _attempt(work: Callable[[Any], tuple]) -> Optional[tuple]:
    """db.in_transaction(work), tried again when its rows stay locked past the lock timeout;
    None when they stayed locked every time."""
    from psycopg import errors

    for _ in range(_RETRIES):
        try:
            return db.in_transaction(work)
        except errors.LockNotAvailable:
            continue
    return None


def _batch(kind: str, lock: Callable[[Any], List[str]]) -> Optional[tuple]:
    """Lock with `lock`, reconcile what it locked: (ids, drifted rows), or None."""

    def work(conn: Any) -> tuple:
        ids = lock(conn)
        return ids, repo.reconcile(conn, kind, ids)

    return _attempt(work)


def reconcile_all(kind: str, batch: int = BATCH,
                  progress: Optional[Callable[[int], None]] = None) -> Drift:
    """Every row of `kind`, in id order; `progress(n)` after each batch of n rows."""
    drift = Drift(kind)
    after: Optional[str] = None
    while True:
        done = _batch(kind, lambda conn: repo.lock_range(conn, kind, after, batch))
        if done is None:
            raise RuntimeError(f"{kind} rows after {after} stayed locked; run it again")
        ids, rows = done
        if not ids:
            return drift
        drift.checked += len(ids)
        drift.add(rows)
        after = ids[-1]
        if progress:
            progress(len(ids))
        if len(ids) < batch:
            return drift


def reconcile_recent(max_queued: int = 20_000, sweep_rows: int = 5_000,
                     batch: int = BATCH) -> List[Drift]:
    """The queued rows (the fold's recent changes), then the sweep's next slice, per kind.

    The queue is taken and reconciled in the same transaction per batch, so a crash leaves
    its rows queued; the sweep's position is saved after its slice.
    """
    results = []
    for kind in repo.KINDS:
        drift = Drift(kind)
        taken = 0
        while taken < max_queued:
            size = min(batch, max_queued - taken)
            queued: List[str] = []

            def lock(conn: Any) -> List[str]:
                queued[:] = sorted(repo.take_queued(conn, kind, size))
                return repo.lock_ids(conn, kind, queued)  # rows deleted since are gone

            done = _batch(kind, lock)
            if done is None:  # rolled back: the rows stay queued for the next run
                drift.skipped += size
                break
            ids, rows = done
            if not queued:
                break
            taken += len(queued)
            drift.checked += len(ids)
            drift.add(rows)
        _sweep_slice(kind, sweep_rows, batch, drift)
        results.append(drift)
    return results


def _sweep_slice(kind: str, rows: int, batch: int, drift: Drift) -> None:
    after = db.run(lambda conn: repo.sweep_position(conn, kind))
    left = rows
    while left > 0:
        size = min(batch, left)
        done = _batch(kind, lambda conn: repo.lock_range(conn, kind, after, size))
        if done is None:
            drift.skipped += size
            break
        ids, found = done
        drift.checked += len(ids)
        drift.add(found)
        left -= len(ids)
        after = ids[-1] if len(ids) == size else None  # past the end: start again next run
        if after is None:
            break
    db.run(lambda conn: repo.set_sweep_position(conn, kind, after))


def row_estimate(kind: str) -> int:
    return db.run(lambda conn: repo.row_count(conn, kind))
