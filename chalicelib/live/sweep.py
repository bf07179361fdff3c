"""Sessions that lose their host end by themselves: an active session whose host has had no
open socket for LIVE_HOST_GRACE_S (default 120 s: a reload or a network blip is not the end)
is ended, and its remaining sockets get `session_ended`. Sessions started over HTTP whose
host never connected count from their start."""
from __future__ import annotations

import os
from typing import Any, List

from .. import db
from ..repo import live

BATCH = 200


def grace_s() -> int:
    return int(os.environ.get("LIVE_HOST_GRACE_S", "120"))


def end_hostless(limit: int = BATCH) -> List[str]:
    from . import realtime

    def unit(conn: Any) -> List[str]:
        ids = live.hosts_without_connection(conn, grace_s(), limit)
        return [sid for sid in ids if live.end_session(conn, sid)]

    ended = db.in_transaction(unit)
    for session_id in ended:
        realtime.end_session(session_id)
    return ended
