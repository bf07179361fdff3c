"""The scheduled re-check of pending payments (`payments_recheck`, every 5 minutes): a
callback may never arrive, so every pending order with a provider id is asked about again,
with back-off (1, 2, 4 ... 60 minutes), and orders never paid within
PAYMENT_GIVE_UP_AFTER_S are marked failed (a late confirmation still credits them)."""
from __future__ import annotations

import logging
from collections import Counter
from typing import Dict

from ..config import settings
from ..errors import DomainError
from ..repo import payments as repo
from . import orders

log = logging.getLogger("trendke.payments")
BATCH = 200


def run() -> Dict[str, int]:
    cfg = settings()
    outcomes: Counter = Counter()
    for row in repo.pending_due(cfg.payment_recheck_after_s, cfg.payment_give_up_after_s, BATCH):
        try:
            outcomes[orders.check(str(row["id"]))] += 1
        except DomainError as exc:  # the provider is down: try again next run
            log.warning("re-check of payment %s failed: %s", row["id"], exc.detail)
            repo.note_check(str(row["id"]), None)
            outcomes["error"] += 1
    outcomes["abandoned"] = repo.expire_abandoned(cfg.payment_give_up_after_s)
    return dict(outcomes)
