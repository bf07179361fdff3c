"""Guessing and abuse limits for the accounts routes.

- Failed log-ins per account (keyed by the email's hash, whether or not it has an account)
  and per client address: from a threshold on, the key is locked with exponential back-off
  (LOGIN_LOCK_BASE_S doubling per failure, at most LOGIN_LOCK_MAX_S). A locked key answers
  429 with Retry-After before any password is checked: a correct password too.
- Fixed windows per address (or account) for sign-ups, mail sent and token tries
  (AUTH_RATE_LIMITS), counted in rate_limits under a uuid derived from the subject.
Counts are committed on their own: the 401 or 400 that follows does not roll them back.
"""
from __future__ import annotations

import hashlib
import math
from typing import Optional, Sequence

from .. import db, ratelimit
from ..config import AUTH_RATE_LIMIT_ACTIONS, settings
from ..errors import TooManyRequests
from ..repo import auth_failures, rate_limits

# A failure older than this no longer counts.
RESET_S = 3600


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def account_key(email: str) -> str:
    return "acct:" + digest(email)[:40]


def address_key(address: Optional[str]) -> str:
    return "addr:" + (address or "unknown")


def two_factor_key(email: str) -> str:
    return "2fa:" + digest(email)[:40]


def refuse_if_locked(keys: Sequence[str], what: str = "failed log-ins") -> None:
    left = auth_failures.locked_for(keys)
    if left > 0:
        raise TooManyRequests(f"Too many {what}; try again in {math.ceil(left)} s", retry_after_s=math.ceil(left))


def failed(keys_and_thresholds: Sequence[tuple]) -> None:
    cfg = settings()

    def work(conn) -> None:
        for key, threshold in keys_and_thresholds:
            auth_failures.fail(conn, key, threshold, cfg.login_lock_base_s, cfg.login_lock_max_s, RESET_S)

    db.in_transaction(work)


def login_failed(email: str, address: Optional[str]) -> None:
    cfg = settings()
    failed([(account_key(email), cfg.login_account_failures),
            (address_key(address), cfg.login_address_failures)])


def succeeded(key: str) -> None:
    db.run(lambda conn: auth_failures.clear(conn, key))


def over_limit(action: str, subject: str) -> Optional[int]:
    """Count one `action` for `subject`; None when within AUTH_RATE_LIMITS, else the
    seconds until the window ends."""
    if action not in AUTH_RATE_LIMIT_ACTIONS:
        raise ValueError(f"not a rate-limited action: {action!r}")
    limit = ratelimit.parse(settings().auth_rate_limits).get(action)
    if limit is None:
        return None
    hits, left_s = db.run(lambda conn: rate_limits.hit(conn, ratelimit.subject_id(subject), action, limit.window_s))
    return max(1, math.ceil(left_s)) if hits > limit.hits else None


def limit(action: str, subject: str, what: str) -> None:
    """Count one `action`; 429 with Retry-After when over the limit."""
    retry = over_limit(action, subject)
    if retry is not None:
        raise TooManyRequests(f"Too many {what}; try again later", retry_after_s=retry)
