"""Per-user write limits kept in Postgres (no new infrastructure), reusable by any write.

RATE_LIMITS configures them: "comment=20/60,like=120/60,follow=60/60,upload=10/3600" means at
most 20 comments per 60-second window, and so on. An action not listed is not limited; a
name that is no action (config.RATE_LIMIT_ACTIONS) fails at configuration load.
Fixed windows: cheap (one upsert on the user's own row, no contention between users) and good
enough against a script hammering one account.

    ratelimit.check(conn, user_id, "upload")   # inside your write transaction
"""
from __future__ import annotations

import math
import uuid
from typing import Any

from .config import settings
from .errors import TooManyRequests
from .ratelimit_spec import Limit, parse  # noqa: F401  (re-exported: the callers' names)
from .repo import rate_limits

# Windows older than this are pruned; longer than any configured window.
KEEP_S = 2 * 86400
# Limits on something other than a user (an address, a viewer key) are kept under a uuid
# derived from the subject, in the same table.
_SUBJECTS = uuid.UUID("6f1d1a52-4b8e-4c43-9a55-2f3ad1b0c0de")


def limit_for(action: str) -> Limit | None:
    from .config import RATE_LIMIT_ACTIONS

    if action not in RATE_LIMIT_ACTIONS:  # a caller's typo must not mean "unlimited"
        raise ValueError(f"not a rate-limited action: {action!r}")
    return parse(settings().rate_limits).get(action)


def check(conn: Any, user_id: str, action: str) -> None:
    """Count one `action` by `user_id`; 429 with Retry-After when over the limit.

    Call it inside the write's transaction, after the input is known good: the raise rolls
    the transaction back, so a rejected attempt (or a 404) does not use up the allowance.
    """
    limit = limit_for(action)
    if limit is None:
        return
    hits, left_s = rate_limits.hit(conn, user_id, action, limit.window_s)
    if hits > limit.hits:
        raise TooManyRequests(
            f"Too many {action} requests: at most {limit.hits} per {limit.window_s} s",
            retry_after_s=max(1, math.ceil(left_s)),
        )


def subject_id(subject: str) -> str:
    return str(uuid.uuid5(_SUBJECTS, subject))


def check_subject(conn: Any, spec: str, action: str, subject: str, what: str) -> None:
    """`check` for a subject that is not a user, with the limits of `spec` (same syntax)."""
    limit = parse(spec).get(action)
    if limit is None:
        return
    hits, left_s = rate_limits.hit(conn, subject_id(subject), action, limit.window_s)
    if hits > limit.hits:
        raise TooManyRequests(f"Too many {what}; try again later", retry_after_s=max(1, math.ceil(left_s)))


def prune(conn: Any) -> int:
    """Forget old windows, and failed log-ins that no longer count (accounts' lock-outs)."""
    from .repo import auth_failures

    return rate_limits.prune(conn, KEEP_S) + auth_failures.prune(conn, KEEP_S)
