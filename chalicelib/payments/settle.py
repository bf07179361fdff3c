"""What a provider's confirmed answer does to an order: credit its coins exactly once, fail
it, or claw the coins back. Every path is one database transaction guarded by the order's
state (a guarded UPDATE) and a ledger key per movement, so any number of callbacks, polls and
retries, in any order and at once, move coins at most once each way."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Optional

from .. import db, observability
from ..gifts import ledger
from ..repo import ledger as ledger_repo
from ..repo import payments as repo

log = logging.getLogger("trendke.payments")


@dataclass(frozen=True)
class Observation:
    """What the provider says, read from its own API (or a verified webhook)."""

    state: str  # pending | completed | failed | reversed
    amount_minor: Optional[int] = None
    currency: Optional[str] = None
    reference: Optional[str] = None  # the provider's payment id / confirmation code
    detail: Optional[str] = None
    reversal_kind: str = "refund"  # refund | chargeback


def _credit(conn: Any, order: dict, obs: Observation) -> str:
    row = repo.set_status(conn, str(order["id"]), ("pending", "failed"), "completed", obs.detail,
                          credited_at=True, transaction_id=obs.reference,
                          provider_payment_id=obs.reference)
    if row is None:
        return "duplicate"
    user_id, coins = str(row["user_id"]), int(row["coins_purchased"])
    ledger.lock_and_open(conn, [user_id])
    tx = ledger_repo.claim(conn, "purchase", f"purchase:{order['id']}", payment_id=str(order["id"]))
    if tx is None:  # the order's state guard already makes this unreachable
        return "duplicate"
    ledger.post(conn, tx, [(ledger.wallet(user_id), coins), (ledger.COIN_ISSUANCE, -coins)])
    ledger.credit_wallet(conn, user_id, coins)
    return "credited"


def _claw_back(conn: Any, order: dict, obs: Observation) -> str:
    payment_id = str(order["id"])
    row = repo.set_status(conn, payment_id, ("completed",), "refunded", obs.detail, reversed_at=True)
    if row is None:
        failed = repo.set_status(conn, payment_id, ("pending",), "failed", obs.detail or "reversed")
        return "failed" if failed else "duplicate"
    user_id, coins = str(row["user_id"]), int(row["coins_purchased"])
    balances = ledger.lock_and_open(conn, [user_id])
    take = min(int(balances[user_id]["coin_balance"]), coins)
    tx = ledger_repo.claim(conn, obs.reversal_kind, f"reversal:{payment_id}", payment_id=payment_id,
                           memo=f"{coins - take} coins already spent" if take < coins else None)
    if tx is None:
        return "duplicate"
    if take and ledger.take_from_wallet(conn, user_id, take) is None:
        raise RuntimeError("balance moved under a row lock")
    ledger.post(conn, tx, [(ledger.wallet(user_id), -take), (ledger.COIN_ISSUANCE, coins),
                           (ledger.CHARGEBACK_LOSSES, -(coins - take))])
    return "clawed_back"


def _matches(order: dict, obs: Observation) -> bool:
    return (obs.amount_minor == order["amount_minor"]
            and (obs.currency or "").upper() == (order["currency"] or "").upper())


def apply(payment_id: str, obs: Observation) -> str:
    """Apply a provider's observation to the order; what happened (for logs and metrics)."""

    def work(conn: Any) -> str:
        order = repo.order(conn, payment_id, lock=True)
        if order is None:
            return "unknown"
        if obs.state == "completed":
            if not _matches(order, obs):
                log.error("payment %s: provider reports %s %s, the order asked %s %s: not credited",
                          payment_id, obs.amount_minor, obs.currency, order["amount_minor"], order["currency"])
                failed = repo.set_status(conn, payment_id, ("pending",), "failed",
                                         f"amount mismatch: paid {obs.amount_minor} {obs.currency}")
                return "amount_mismatch" if failed else "duplicate"
            return _credit(conn, order, obs)
        if obs.state == "failed":
            return "failed" if repo.set_status(conn, payment_id, ("pending",), "failed", obs.detail) else "duplicate"
        if obs.state == "reversed":
            return _claw_back(conn, order, obs)
        return "pending"

    outcome = db.in_transaction(work)
    observability.metric("PaymentOutcome", 1, "Count", outcome=outcome)
    return outcome
