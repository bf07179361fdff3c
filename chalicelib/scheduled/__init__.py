"""Scheduled jobs: one Chalice blueprint per job module, each `@schedule` handler thin."""
from __future__ import annotations

from chalice import Chalice


def register_jobs(app: Chalice) -> None:
    from ..chalice_app.middleware import observe_job
    from . import counters, gifts, live, notifications, trending, uploads

    # Request ids on the jobs' log lines, cold starts, metrics flushed per run.
    app.register_middleware(observe_job, "scheduled")
    for module in (counters, notifications, trending, uploads, gifts, live):
        app.register_blueprint(module.jobs)
