"""Count what Postgres itself executed (pg_stat_statements), not what the code says it ran."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, List

import psycopg

_OWN = "%pg_stat_statements%"
# The per-transaction statement timeout (chalicelib/db.py) rides in the same round trip as
# the statement it guards (tests/test_pooler_timeout.py proves it): not counted as a read.
_TIMEOUT = ("SELECT set_config(%", "SET LOCAL statement_timeout%")


class StatementCounter:
    def __init__(self, database_url: str):
        self._url = database_url
        self.count = 0
        self.queries: List[str] = []
        self.blocks = 0  # shared buffers hit or read: what the statements cost in pages

    def _reset(self, conn) -> None:
        conn.execute("SELECT pg_stat_statements_reset()")

    def _read(self, conn) -> None:
        rows = conn.execute(
            "SELECT query, calls, shared_blks_hit + shared_blks_read FROM pg_stat_statements"
            " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND query NOT ILIKE %s AND query NOT ILIKE %s AND query NOT ILIKE %s",
            (_OWN, *_TIMEOUT),
        ).fetchall()
        self.count = sum(calls for _, calls, _ in rows)
        self.queries = [q for q, _, _ in rows]
        self.blocks = sum(blocks for _, _, blocks in rows)


@contextmanager
def count_statements(database_url: str) -> Iterator[StatementCounter]:
    """Statements run on the test database inside the block, by any connection."""
    counter = StatementCounter(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        counter._reset(conn)
        yield counter
        counter._read(conn)
