"""The uploads sweep: pendings that never completed become failed, and the Cloudinary
destroys that failed are retried (chalicelib/uploads/lifecycle.py)."""
from __future__ import annotations

from chalice import Blueprint, Rate

jobs = Blueprint(__name__)


@jobs.schedule(Rate(10, unit=Rate.MINUTES), name="uploads_sweep")
def uploads_sweep(event):
    from ..uploads import lifecycle

    report = lifecycle.sweep()
    return {"expired": report.expired, "destroyed": report.destroyed,
            "destroy_failures": report.destroy_failures}
