"""The books balance: every ledger transaction sums to zero with at least two entries, the
grand total is zero, and every opened account's cached balance (users.coin_balance,
users.total_earnings) equals the sum of its entries. `manage.py ledger-check` prints this;
the `ledger_check` schedule emits it as metrics."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, List

from .. import db
from ..repo import ledger as repo


@dataclass
class Report:
    transactions: int
    entries: int
    accounts: int
    grand_total: int
    unbalanced: List[dict] = field(default_factory=list)
    mismatches: List[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.unbalanced and not self.mismatches and self.grand_total == 0

    def lines(self) -> List[str]:
        out = [f"ledger: {self.transactions:,} transactions, {self.entries:,} entries,"
               f" {self.accounts:,} user accounts, grand total {self.grand_total}"
               f" ({self.seconds * 1000:.0f} ms)"]
        for row in self.unbalanced:
            out.append(f"  UNBALANCED transaction {row['id']} ({row['kind']} {row['key']}):"
                       f" {row['entries']} entries summing to {row['total']}")
        for row in self.mismatches:
            out.append(f"  MISMATCH {row['account']}: cached {row['cached']}, entries {row['entries']}"
                       + ("" if row["user_id"] else " (user gone)"))
        out.append("OK: the books balance" if self.ok else
                   f"DISCREPANCIES: {len(self.unbalanced)} unbalanced, {len(self.mismatches)} balances")
        return out


def check(limit: int = 1000) -> Report:
    """Read-only; one repeatable-read snapshot so the three checks see the same books."""
    started = time.perf_counter()

    def work(conn: Any) -> Report:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        totals = repo.totals(conn)
        return Report(transactions=int(totals["transactions"]), entries=int(totals["entries"]),
                      accounts=int(totals["accounts"]), grand_total=int(totals["grand_total"]),
                      unbalanced=repo.unbalanced(conn, limit),
                      mismatches=repo.balance_mismatches(conn, limit))

    report = db.in_transaction(work)
    report.seconds = time.perf_counter() - started
    return report
