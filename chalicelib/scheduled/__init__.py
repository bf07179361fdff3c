"""Scheduled jobs: one Chalice blueprint per job module, each `@schedule` handler thin."""
from __future__ import annotations

from chalice import Chalice


def register_jobs(app: Chalice) -> None:
    from . import uploads

    for module in (uploads,):
        app.register_blueprint(module.jobs)
