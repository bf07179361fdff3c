"""The hashtag completion counts, recounted by the trending job. Apart from `service` so that
the job reaches only the database (not the cursors' signing secret: least privilege)."""
from __future__ import annotations

from .. import db
from ..repo import search as rows


def refresh_hashtags() -> int:
    """Recount the hashtags completion answers from (the trending job calls it), and move
    video search's window floor (repo/search.py refresh_window) at the same pace."""

    def work(conn) -> int:
        counted = rows.refresh_hashtags(conn)
        rows.refresh_window(conn)
        return counted

    return db.in_transaction(work)
