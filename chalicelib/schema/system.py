"""The system answers: welcome and health."""
from __future__ import annotations

from typing import Literal, Optional

from .types import Answer


class Welcome(Answer):
    message: str
    version: str


class Health(Answer):
    status: Literal["healthy", "degraded"]
    service: Literal["trendke-api"]
    database: Literal["connected", "disconnected"]
    version: Optional[str] = None
    stage: Optional[str] = None
    timestamp: Optional[str] = None
