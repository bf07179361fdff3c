"""SQL of the ledger: ledger_accounts, ledger_transactions, ledger_entries, and the cached
balances on users (coin_balance = the wallet, total_earnings = the earnings account)."""
from __future__ import annotations

from typing import Any, Iterable, List, Optional, Tuple

from ..timestamps import NOW_UTC  # noqa: F401 - re-exported for the other money repos

_OPEN_ACCOUNTS = """
INSERT INTO ledger_accounts (id, kind, user_id)
VALUES ('wallet:' || %(u)s, 'wallet', %(u)s::uuid), ('earnings:' || %(u)s, 'earnings', %(u)s::uuid)
ON CONFLICT DO NOTHING
RETURNING kind
"""


def lock_user_balances(conn: Any, user_id: str) -> Optional[dict]:
    """The user's live balances, the row locked for this transaction (None: no such user)."""
    return conn.execute(
        "SELECT username, coalesce(coin_balance, 0) AS coin_balance, coalesce(total_earnings, 0) AS total_earnings"
        " FROM users WHERE id = %s FOR NO KEY UPDATE", (user_id,)).fetchone()


def open_accounts(conn: Any, user_id: str) -> List[str]:
    """Create the user's wallet and earnings accounts; the kinds created now (maybe none)."""
    return [r["kind"] for r in conn.execute(_OPEN_ACCOUNTS, {"u": user_id}).fetchall()]


def accounts_exist(conn: Any, user_ids: Iterable[str]) -> set:
    rows = conn.execute(
        "SELECT user_id::text AS user_id FROM ledger_accounts WHERE kind = 'wallet' AND user_id = ANY(%s::uuid[])",
        (list(user_ids),)).fetchall()
    return {r["user_id"] for r in rows}


def claim(conn: Any, kind: str, key: str, *, request_hash: Optional[str] = None,
          gift_transaction_id: Optional[str] = None, payment_id: Optional[str] = None,
          memo: Optional[str] = None) -> Optional[int]:
    """Insert the transaction row that owns `key`; None when the key was used already.

    A concurrent holder of the same key makes this wait for its commit (unique index), then
    answer None: the movement happens once.
    """
    row = conn.execute(
        "INSERT INTO ledger_transactions (kind, key, request_hash, gift_transaction_id, payment_id, memo)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key) DO NOTHING RETURNING id",
        (kind, key, request_hash, gift_transaction_id, payment_id, memo)).fetchone()
    return None if row is None else row["id"]


def by_key(conn: Any, key: str) -> Optional[dict]:
    return conn.execute("SELECT * FROM ledger_transactions WHERE key = %s", (key,)).fetchone()


def link_gift(conn: Any, transaction_id: int, gift_transaction_id: str) -> None:
    conn.execute("UPDATE ledger_transactions SET gift_transaction_id = %s WHERE id = %s",
                 (gift_transaction_id, transaction_id))


def add_entries(conn: Any, transaction_id: int, entries: List[Tuple[str, int]]) -> None:
    """The entries of one transaction, one statement; the commit-time trigger checks the sum."""
    accounts = [account for account, amount in entries if amount != 0]
    amounts = [amount for account, amount in entries if amount != 0]
    conn.execute(
        "INSERT INTO ledger_entries (transaction_id, account, amount)"
        " SELECT %s, a, n FROM unnest(%s::text[], %s::bigint[]) AS e(a, n)",
        (transaction_id, accounts, amounts))


def debit_wallet(conn: Any, user_id: str, coins: int) -> Optional[int]:
    """Take `coins` from the user's live balance only if it holds them (one conditional
    UPDATE: concurrent debits queue on the row and each re-checks); the new balance or None."""
    row = conn.execute(
        "UPDATE users SET coin_balance = coin_balance - %(n)s"
        " WHERE id = %(u)s AND coin_balance >= %(n)s RETURNING coin_balance",
        {"n": coins, "u": user_id}).fetchone()
    return None if row is None else row["coin_balance"]


def credit_wallet(conn: Any, user_id: str, coins: int) -> Optional[int]:
    row = conn.execute(
        "UPDATE users SET coin_balance = coalesce(coin_balance, 0) + %s WHERE id = %s RETURNING coin_balance",
        (coins, user_id)).fetchone()
    return None if row is None else row["coin_balance"]


def credit_earnings(conn: Any, user_id: str, coins: int) -> bool:
    row = conn.execute(
        "UPDATE users SET total_earnings = coalesce(total_earnings, 0) + %s WHERE id = %s RETURNING id",
        (coins, user_id)).fetchone()
    return row is not None


def credit_earnings_returning(conn: Any, user_id: str, coins: int) -> Optional[dict]:
    return conn.execute(
        "UPDATE users SET total_earnings = coalesce(total_earnings, 0) + %(n)s WHERE id = %(u)s"
        " RETURNING username, coin_balance, total_earnings - %(n)s AS total_earnings",
        {"n": coins, "u": user_id}).fetchone()


# ---- the audit ---------------------------------------------------------------------------

UNBALANCED = """
SELECT t.id, t.kind, t.key, coalesce(sum(e.amount), 0) AS total, count(e.id) AS entries
FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
GROUP BY t.id HAVING coalesce(sum(e.amount), 0) <> 0 OR count(e.id) < 2
ORDER BY t.id LIMIT %s
"""

# The cached balance of every opened account against the sum of its entries.
BALANCE_MISMATCHES = """
WITH sums AS (
    SELECT account, sum(amount) AS total FROM ledger_entries
    WHERE account LIKE 'wallet:%%' OR account LIKE 'earnings:%%' GROUP BY account
)
SELECT a.id AS account, a.user_id::text AS user_id,
       CASE a.kind WHEN 'wallet' THEN coalesce(u.coin_balance, 0)::numeric
                   ELSE coalesce(u.total_earnings, 0) END AS cached,
       coalesce(s.total, 0) AS entries
FROM ledger_accounts a
LEFT JOIN users u ON u.id = a.user_id
LEFT JOIN sums s ON s.account = a.id
WHERE u.id IS NULL
   OR (a.kind = 'wallet' AND coalesce(u.coin_balance, 0) <> coalesce(s.total, 0))
   OR (a.kind = 'earnings' AND coalesce(u.total_earnings, 0) <> coalesce(s.total, 0))
ORDER BY a.id LIMIT %s
"""

TOTALS = """
SELECT (SELECT count(*) FROM ledger_transactions) AS transactions,
       (SELECT count(*) FROM ledger_entries) AS entries,
       (SELECT count(*) FROM ledger_accounts) AS accounts,
       (SELECT coalesce(sum(amount), 0) FROM ledger_entries) AS grand_total
"""


def unbalanced(conn: Any, limit: int) -> List[dict]:
    return conn.execute(UNBALANCED, (limit,)).fetchall()


def balance_mismatches(conn: Any, limit: int) -> List[dict]:
    return conn.execute(BALANCE_MISMATCHES, (limit,)).fetchall()


def totals(conn: Any) -> dict:
    return conn.execute(TOTALS).fetchone()


def account_balances(conn: Any, accounts: List[str]) -> dict:
    rows = conn.execute(
        "SELECT account, sum(amount) AS total FROM ledger_entries WHERE account = ANY(%s) GROUP BY account",
        (accounts,)).fetchall()
    return {r["account"]: int(r["total"]) for r in rows}
