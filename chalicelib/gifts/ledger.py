"""The double-entry ledger: every coin movement is one transaction whose integer entries
sum to zero, posted in the same database transaction as the live balances it changes.

Accounts (amounts in coins; a credit is positive):

| account | what | cached balance |
| --- | --- | --- |
| `wallet:<user>` | spendable coins | `users.coin_balance` |
| `earnings:<user>` | coins earned from gifts received (the creator's share) | `users.total_earnings` |
| `system:coin_issuance` | minus every coin sold and not clawed back | none |
| `system:platform_fees` | the platform's share of gifts | none |
| `system:opening_balances` | minus what the live columns held when an account opened | none |
| `system:chargeback_losses` | coins spent before their payment was reversed | none |
| `system:adjustments` | operators' corrections | none |
"""
from __future__ import annotations

import threading
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ..errors import NotFound
from ..repo import ledger as repo

COIN_ISSUANCE = "system:coin_issuance"
PLATFORM_FEES = "system:platform_fees"
OPENING_BALANCES = "system:opening_balances"
CHARGEBACK_LOSSES = "system:chargeback_losses"
ADJUSTMENTS = "system:adjustments"

Entries = List[Tuple[str, int]]


def wallet(user_id: str) -> str:
    return f"wallet:{user_id}"


def earnings(user_id: str) -> str:
    return f"earnings:{user_id}"


# Users whose accounts are known to be open (committed) in this execution environment.
_opened_lock = threading.Lock()
_opened: Dict[str, None] = {}
_OPENED_MAX = 50_000


def forget_opened() -> None:
    with _opened_lock:
        _opened.clear()


def remember_opened(user_ids: Iterable[str]) -> None:
    """Call after the transaction that opened (or found) the accounts committed."""
    with _opened_lock:
        if len(_opened) >= _OPENED_MAX:
            _opened.clear()
        for user_id in user_ids:
            _opened[user_id] = None


def whole_coins(value: Any) -> int:
    """A live DECIMAL balance as whole coins (rounded down: a fraction is never created)."""
    return int(Decimal(value or 0).to_integral_value(rounding=ROUND_FLOOR))


def post(conn: Any, transaction_id: int, entries: Entries) -> None:
    """Add the entries of a claimed transaction; integers that sum to zero, or nothing."""
    for _, amount in entries:
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise TypeError(f"ledger amounts are integers, not {type(amount).__name__}")
    if sum(amount for _, amount in entries) != 0:
        raise ValueError(f"unbalanced ledger transaction: {entries}")
    repo.add_entries(conn, transaction_id, entries)


def open_locked(conn: Any, user_id: str, balances: dict) -> None:
    """Open the user's accounts if missing, with the balances the live columns hold now.

    `balances` is the user's row read FOR NO KEY UPDATE in this transaction, so nothing of
    ours moves the balance between that read and the opening.
    """
    created = repo.open_accounts(conn, user_id)
    if not created:
        return
    entries: Entries = []
    coins = int(balances["coin_balance"])
    if "wallet" in created and coins:
        entries += [(wallet(user_id), coins), (OPENING_BALANCES, -coins)]
    earned = whole_coins(balances["total_earnings"])
    if "earnings" in created and earned:
        entries += [(earnings(user_id), earned), (OPENING_BALANCES, -earned)]
    if entries:
        tx = repo.claim(conn, "opening", f"opening:{user_id}", memo="balances held when the ledger opened")
        if tx is not None:
            post(conn, tx, entries)


def lock_and_open(conn: Any, user_ids: List[str]) -> Dict[str, dict]:
    """Lock the users' rows (in id order: no deadlock between two users gifting each other)
    and open any missing accounts; their balances by id. 404 for an unknown user."""
    locked: Dict[str, dict] = {}
    for user_id in sorted(set(user_ids)):
        row = repo.lock_user_balances(conn, user_id)
        if row is None:
            raise NotFound("User not found")
        locked[user_id] = row
    with _opened_lock:
        unknown = [u for u in locked if u not in _opened]
    if unknown:
        existing = repo.accounts_exist(conn, unknown)
        for user_id in unknown:
            if user_id not in existing:
                open_locked(conn, user_id, locked[user_id])
    return locked


def credit_earnings(conn: Any, user_id: str, coins: int) -> dict:
    """Add to the creator's earnings; the row as it was before (username, balances).

    A creator whose accounts are known open is credited by one UPDATE, which takes the row
    lock as late as possible (the hot row of a popular live); otherwise the row is locked and
    the accounts opened first, with the balances from before this credit."""
    with _opened_lock:
        known = user_id in _opened
    if not known:
        before = lock_and_open(conn, [user_id])[user_id]
        repo.credit_earnings(conn, user_id, coins)
        return before
    before = repo.credit_earnings_returning(conn, user_id, coins)
    if before is None:
        raise NotFound("User not found")
    return before


def credit_wallet(conn: Any, user_id: str, coins: int) -> None:
    if repo.credit_wallet(conn, user_id, coins) is None:
        raise NotFound("User not found")


def take_from_wallet(conn: Any, user_id: str, coins: int) -> Optional[int]:
    """Debit only if the balance holds `coins`; the new balance, or None (nothing taken)."""
    return repo.debit_wallet(conn, user_id, coins)


def balances_of(conn: Any, accounts: List[str]) -> Dict[str, int]:
    return repo.account_balances(conn, accounts)
