"""What `/` and `/health` report: no HTTP here, only facts about this deployment."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict

from . import db
from .config import API_VERSION, settings

SERVICE = "trendke-api"


def welcome() -> Dict[str, Any]:
    return {
        "message": "Welcome to TrendKe API",
        "version": API_VERSION,
        "service": SERVICE,
        "docs": "/openapi.json",
        "health": "/health",
    }


def health(timeout_s: float = 0.8) -> Dict[str, Any]:
    """Healthy when Postgres answers within `timeout_s`; degraded (never slow) otherwise."""
    connected = db.ping(timeout_s)
    return {
        "status": "healthy" if connected else "degraded",
        "service": SERVICE,
        "version": API_VERSION,
        "stage": settings().stage,
        "database": "connected" if connected else "disconnected",
        "timestamp": _dt.datetime.now(_dt.timezone.utc).isoformat(),
    }
