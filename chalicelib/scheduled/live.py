"""Live sessions on a schedule: end the sessions whose host has gone (no open socket of the
host for LIVE_HOST_GRACE_S), telling their remaining sockets `session_ended`."""
from __future__ import annotations

from chalice import Blueprint, Rate

jobs = Blueprint(__name__)


@jobs.schedule(Rate(1, unit=Rate.MINUTES), name="live_sweep")
def live_sweep(event):
    from .. import observability
    from ..live import sweep

    ended = sweep.end_hostless()
    observability.metric("LiveSessionsEndedHostless", len(ended))
    return {"ended": len(ended)}
