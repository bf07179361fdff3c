"""Scheduled job: fold counter deltas into videos.*_count / users.*_count (issue 6).

Every minute; each invocation folds COUNTER_FOLD_PASSES times spread over the minute, so a
count shown in a list is at most about 60 / passes seconds behind the rows."""
from __future__ import annotations

import logging

from chalice import Blueprint, Rate

jobs = Blueprint(__name__)
log = logging.getLogger("trendke")


@jobs.schedule(Rate(1, unit=Rate.MINUTES), name="fold_counters")
def fold_counters(event):
    from ..config import settings
    from ..engagement import counters

    passes = settings().counter_fold_passes
    context = getattr(event, "context", None)
    time_left_s = context.get_remaining_time_in_millis() / 1000 if context else 60.0
    # Fewer passes when the function's timeout is short (prod's default is 10 s: give
    # fold_counters lambda_timeout 60 in .chalice/config.json for 3 passes a minute).
    results = counters.fold_repeatedly(passes, every_s=60 / passes, time_left_s=time_left_s)
    log.info("counters folded: %s", results)
    return {"passes": results}


@jobs.schedule(Rate(10, unit=Rate.MINUTES), name="reconcile_counters")
def reconcile_counters(event):
    """The rows the fold changed in the last ten minutes, and the next slice of a sweep over
    every row: drift from any writer is repaired within one sweep (README, Counters)."""
    from .. import observability
    from ..engagement import reconcile

    results = [drift.as_dict() for drift in reconcile.reconcile_recent()]
    for found in results:
        observability.metric("CounterDriftRows", found["drifted"], kind=found["kind"])
    log.info("counters reconciled: %s", results)
    return {"reconciled": results}
