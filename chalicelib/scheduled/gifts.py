"""Gifts and payments on a schedule: the leaderboard objects, the re-check of pending
payments, and the ledger audit (metric `LedgerDiscrepancies`, alarm on > 0)."""
from __future__ import annotations

from chalice import Blueprint, Rate

from ..config import settings

jobs = Blueprint(__name__)


@jobs.schedule(Rate(settings().leaderboard_rate_minutes, unit=Rate.MINUTES), name="gifts_leaderboard")
def gifts_leaderboard(event):
    from ..gifts import leaderboard

    return leaderboard.refresh()


@jobs.schedule(Rate(5, unit=Rate.MINUTES), name="payments_recheck")
def payments_recheck(event):
    from .. import observability
    from ..payments import recheck

    outcomes = recheck.run()
    observability.metric("PaymentsRechecked", sum(v for k, v in outcomes.items() if k != "abandoned"))
    return outcomes


@jobs.schedule(Rate(1, unit=Rate.HOURS), name="ledger_check")
def ledger_check(event):
    from .. import observability
    from ..gifts import audit

    report = audit.check(limit=100)
    observability.metric("LedgerDiscrepancies", len(report.unbalanced) + len(report.mismatches)
                         + (0 if report.grand_total == 0 else 1))
    observability.metric("LedgerCheckDuration", report.seconds * 1000, "Milliseconds")
    return {"ok": report.ok, "unbalanced": len(report.unbalanced), "mismatches": len(report.mismatches),
            "entries": report.entries}
