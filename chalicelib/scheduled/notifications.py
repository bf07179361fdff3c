"""Scheduled jobs of notifications (issue 13).

`materialise_notifications`, every minute: materialises the outbox every NOTIFICATION_POLL_S
seconds (2 by default) for the rest of the minute, so a like, comment or follow becomes a
notification within about that delay; each pass also finishes read-alls their request left.
`prune_notifications`, every hour: deletes read notifications older than
NOTIFICATION_RETENTION_DAYS, in batches."""
from __future__ import annotations

import logging

from chalice import Blueprint, Rate

jobs = Blueprint(__name__)
log = logging.getLogger("trendke")


def _time_left_s(event) -> float:
    context = getattr(event, "context", None)
    return context.get_remaining_time_in_millis() / 1000 if context else 60.0


@jobs.schedule(Rate(1, unit=Rate.MINUTES), name="materialise_notifications")
def materialise_notifications(event):
    from .. import observability
    from ..config import settings
    from ..notifications import materialise, service

    def one_pass() -> dict:
        done = materialise.materialise()
        done["read_all_marked"] = service.continue_read_alls(budget_s=1.0)
        return done

    # A minute's worth of passes, stopping before the function's timeout (set 60 s in
    # .chalice/config.json; the next minute's run starts as this one ends).
    results = materialise.run_for(min(_time_left_s(event), 60.0), settings().notification_poll_s,
                                  work=one_pass)
    totals = {k: sum(r[k] for r in results) for k in ("events", "created", "updated", "deleted")}
    backlog = materialise.backlog()
    observability.metric("NotificationEvents", totals["events"])
    observability.metric("NotificationOutboxBacklog", backlog["events"])
    observability.metric("NotificationOutboxOldestSeconds", backlog["oldest_s"], "Seconds")
    log.info("notifications materialised: %s in %d passes; left %s", totals, len(results), backlog)
    return {"passes": len(results), **totals, "backlog": backlog["events"]}


@jobs.schedule(Rate(1, unit=Rate.HOURS), name="prune_notifications")
def prune_notifications(event):
    from ..notifications import retention

    deleted = retention.prune(budget_s=max(1.0, _time_left_s(event) - 10.0))
    log.info("notifications pruned: %d", deleted)
    return {"deleted": deleted}
