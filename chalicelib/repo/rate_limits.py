"""SQL for per-user write limits: one row per (user, action, fixed window)."""
from __future__ import annotations

from typing import Any, Tuple

# Counts this attempt in the current window; answers the window's hits so far and the
# seconds until it ends. Run inside the caller's transaction: a rejected or failed write
# rolls its hit back with it.
_HIT = """
INSERT INTO rate_limits (user_id, action, window_start, hits)
VALUES (%(user)s, %(action)s,
        to_timestamp(floor(extract(epoch FROM now()) / %(window)s) * %(window)s), 1)
ON CONFLICT (user_id, action, window_start) DO UPDATE SET hits = rate_limits.hits + 1
RETURNING hits, extract(epoch FROM window_start) + %(window)s - extract(epoch FROM now()) AS left_s
"""

# Served by the rate_limits_window_start index (migration 0010).
_PRUNE = "DELETE FROM rate_limits WHERE window_start < now() - make_interval(secs => %s)"


def hit(conn: Any, user_id: str, action: str, window_s: int) -> Tuple[int, float]:
    row = conn.execute(_HIT, {"user": user_id, "action": action, "window": window_s}).fetchone()
    return int(row["hits"]), float(row["left_s"])


def prune(conn: Any, older_than_s: int) -> int:
    """Forget windows that ended long ago (run by the counters job)."""
    return conn.execute(_PRUNE, (older_than_s,)).rowcount
