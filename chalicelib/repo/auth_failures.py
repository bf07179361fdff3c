"""SQL for failed log-ins and 2FA codes per key, with an exponential lock-out."""
from __future__ import annotations

from typing import Any, Sequence

_LOCKED = """
SELECT coalesce(max(extract(epoch FROM locked_until - now())), 0) AS left_s
FROM auth_failures WHERE key = ANY(%s) AND locked_until > now()
"""

# A failure older than reset_s starts the count again. From `threshold` failures on, the key
# is locked for base_s * 2^(failures - threshold), at most max_s.
_FAIL = """
INSERT INTO auth_failures AS f (key, failures, last_failure_at, locked_until)
VALUES (%(key)s, 1, now(), CASE WHEN %(threshold)s <= 1 THEN now() + make_interval(secs => %(base)s) END)
ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN f.last_failure_at < now() - make_interval(secs => %(reset)s) THEN 1
                    ELSE f.failures + 1 END,
    last_failure_at = now(),
    locked_until = CASE
        WHEN (CASE WHEN f.last_failure_at < now() - make_interval(secs => %(reset)s) THEN 1
                   ELSE f.failures + 1 END) >= %(threshold)s
        THEN now() + make_interval(secs => least(%(max)s::float8, %(base)s * power(2::float8, least(30,
             (CASE WHEN f.last_failure_at < now() - make_interval(secs => %(reset)s) THEN 1
                   ELSE f.failures + 1 END) - %(threshold)s))))
        ELSE f.locked_until END
"""


def locked_for(keys: Sequence[str]) -> float:
    """Seconds until the last of `keys` is unlocked (0: none is locked). Autocommitted."""
    from .. import db

    row = db.fetch_one(_LOCKED, (list(keys),))
    return float(row["left_s"]) if row else 0.0


def fail(conn: Any, key: str, threshold: int, base_s: int, max_s: int, reset_s: int) -> None:
    conn.execute(_FAIL, {"key": key, "threshold": threshold, "base": base_s, "max": max_s, "reset": reset_s})


def clear(conn: Any, key: str) -> None:
    conn.execute("DELETE FROM auth_failures WHERE key = %s", (key,))


# Served by the auth_failures_last_failure_at index (migration 0010).
_PRUNE = (
    "DELETE FROM auth_failures WHERE last_failure_at < now() - make_interval(secs => %s)"
    " AND (locked_until IS NULL OR locked_until < now())"
)


def prune(conn: Any, older_than_s: int) -> int:
    return conn.execute(_PRUNE, (older_than_s,)).rowcount
