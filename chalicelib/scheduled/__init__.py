"""Scheduled jobs: one Chalice blueprint per job module, each `@schedule` handler thin."""
from __future__ import annotations

from chalice import Chalice


def register_jobs(app: Chalice) -> None:
    from . import counters, trending, uploads

    for module in (counters, trending, uploads):
        app.register_blueprint(module.jobs)
