"""Reconcile on the bench database (100k videos, 2k users, ~1M likes, 200k comments, 40k
follows, 5M views, 100k shares): a full `reconcile-counters` pass, then a second one (what a
repeat run costs once nothing drifts), and one scheduled run (queue + sweep slice)."""
from __future__ import annotations

import time


def main() -> None:
    from bench.dataset import bench_database
    from chalicelib import db
    from chalicelib.engagement import reconcile

    db.close()  # a connection to another section's database
    bench_database()
    for label in ("first full pass", "second full pass"):
        for kind in ("video", "user"):
            started = time.perf_counter()
            drift = reconcile.reconcile_all(kind)
            took = time.perf_counter() - started
            print(f"{label:17} {kind + 's':6} {drift.checked:>7,} rows in {took:6.2f} s"
                  f" ({drift.checked / took:,.0f} rows/s), {drift.drifted:,} drifted")
    started = time.perf_counter()
    runs = reconcile.reconcile_recent()
    took = time.perf_counter() - started
    checked = sum(d.checked for d in runs)
    print(f"scheduled run     {checked:,} rows (queue + 5,000-row sweep slice per kind) in {took:.2f} s")
    db.close()
