"""Retention: read notifications older than NOTIFICATION_RETENTION_DAYS are deleted, in
batches (each its own short transaction; SKIP LOCKED, so a batch never waits on a reader),
oldest first. Unread ones are kept whatever their age."""
from __future__ import annotations

import time
from typing import Optional

from .. import db
from ..config import settings
from ..repo import notifications as repo

BATCH = 5_000


def prune(older_than_days: Optional[int] = None, batch: int = BATCH, budget_s: float = 60.0) -> int:
    """Deletes until none are due or the budget is spent; answers how many."""
    days = older_than_days if older_than_days is not None else settings().notification_retention_days
    deadline = time.monotonic() + budget_s
    deleted = 0
    while True:
        done = db.in_transaction(lambda conn: repo.prune_read_batch(conn, days, batch))
        deleted += done
        if done < batch or time.monotonic() >= deadline:
            return deleted
