"""Postgres through psycopg 3: one connection per execution environment.

Lambda runs one request at a time per execution environment; `chalice local` runs each
request on a thread. A thread-local connection gives both the same shape: one connection per
environment (per thread locally), opened on first use, reused while warm, re-opened after a
failure. Production goes through Supabase's transaction-mode pooler, so no server-side
prepared statements (`prepare_threshold=None`), and no session state: such a pooler drops
startup options and hands a server connection to another client after each transaction, so
the statement timeout is set per transaction with SET LOCAL semantics, in the same round trip
as the first statement (see `_timeout_ms`). Not on the role: it is shared with the old
backend and with `migrate`, whose CONCURRENTLY index builds on live tables take longer.

psycopg is imported on first use, never at import time (cold starts).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager, suppress
from typing import Any, Callable, Iterator, Optional, Sequence, TypeVar

from .config import settings
from .errors import ServiceUnavailable

T = TypeVar("T")


class _Holder(threading.local):
    conn: Any = None
    lock: Optional[threading.Lock] = None


_local = _Holder()


def _connect() -> Any:
    import psycopg
    from psycopg.rows import dict_row

    cfg = settings()
    if not cfg.database_url:
        raise ServiceUnavailable("Database is not configured (DATABASE_URL)")
    return psycopg.connect(
        cfg.database_url,
        autocommit=True,  # a read is one statement, no BEGIN/COMMIT round trips
        prepare_threshold=None,  # transaction-mode pooler: no server-side prepares
        row_factory=dict_row,
        connect_timeout=cfg.db_connect_timeout_s,
        application_name="trendke-api",
    )


def connection() -> Any:
    """This environment's (thread's) open connection, opened or re-opened as needed."""
    conn = _local.conn
    if conn is None or conn.closed or conn.broken:
        if conn is not None:
            conn.close()
        _local.conn = None
        conn = _local.conn = _connect()
    return conn


def close() -> None:
    conn, _local.conn = _local.conn, None
    if conn is not None:
        conn.close()


# SQLSTATEs that mean the session itself is gone: class 08 (connection exception) and the
# server shutting down or refusing (admin_shutdown, crash_shutdown, cannot_connect_now).
_SESSION_GONE = ("57P01", "57P02", "57P03")


def _connection_lost(exc: BaseException) -> bool:
    """Whether `exc` means this environment's connection is unusable (so reconnect).

    Not every OperationalError does: DeadlockDetected, SerializationFailure, LockNotAvailable
    and QueryCanceled subclass it yet leave a healthy connection that must be kept.
    """
    import psycopg

    if not isinstance(exc, psycopg.OperationalError):
        return False
    conn = _local.conn
    if conn is None or conn.closed or conn.broken:
        return True
    state = exc.sqlstate
    return state is None or state.startswith("08") or state in _SESSION_GONE


def _retryable_conflict(exc: BaseException) -> bool:
    """A deadlock or serialization failure that rolled back a whole unit of work.

    Retried once: Postgres picks one victim and lets the other transaction finish, so the
    second attempt usually succeeds; it is safe because a unit is one statement or one
    transaction and writes are idempotent. Only when the connection is idle again (the whole
    unit rolled back): inside an outer transaction a retry of the inner part would be wrong.
    """
    import psycopg
    from psycopg.pq import TransactionStatus

    conn = _local.conn
    return (
        isinstance(exc, (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure))
        and conn is not None
        and not conn.closed
        and conn.info.transaction_status == TransactionStatus.IDLE
    )


def _timed_out(exc: BaseException) -> bool:
    import psycopg

    return isinstance(exc, psycopg.errors.QueryCanceled)


def run(work: Callable[[Any], T]) -> T:
    """Run `work(conn)`; on a dead reused connection, reconnect and run it once more.

    A warm environment may hold a connection the pooler or server closed while it slept. The
    retry is safe because every unit of work is one statement or one transaction, and every
    write is idempotent. A deadlock or serialization failure is retried once on the same
    connection; a statement timeout is a 503; other errors propagate, the connection kept.
    """
    reused = _local.conn is not None
    try:
        return work(connection())
    except Exception as exc:
        if _timed_out(exc):
            raise _timeout_error() from exc
        if _connection_lost(exc):
            close()
            if not reused:
                raise ServiceUnavailable("Database unavailable") from exc
        elif not _retryable_conflict(exc):
            raise
    try:
        return work(connection())
    except Exception as exc:
        if _timed_out(exc):
            raise _timeout_error() from exc
        if _connection_lost(exc):
            close()
            raise ServiceUnavailable("Database unavailable") from exc
        raise


def _timeout_error() -> ServiceUnavailable:
    ms = settings().db_statement_timeout_ms
    return ServiceUnavailable(f"The database took too long to answer (over {ms} ms); try again shortly")


def _timeout_ms() -> int:
    return int(settings().db_statement_timeout_ms)


def _one_statement(conn: Any, sql: str, params: Sequence[Any] | dict) -> Any:
    """One statement with this transaction's timeout, in one round trip: pipelined before a
    single Sync, set_config(..., true) and the statement share one implicit transaction, so
    the setting applies to the statement and ends with it (nothing left for the pooler to
    hand to its next client)."""
    with conn.pipeline():
        conn.execute("SELECT set_config('statement_timeout', %s, true)", (str(_timeout_ms()),))
        cur = conn.execute(sql, params)
    return cur


def fetch_all(sql: str, params: Sequence[Any] | dict = ()) -> list:
    return run(lambda c: _one_statement(c, sql, params).fetchall())


def fetch_one(sql: str, params: Sequence[Any] | dict = ()) -> Optional[dict]:
    return run(lambda c: _one_statement(c, sql, params).fetchone())


def execute(sql: str, params: Sequence[Any] | dict = ()) -> int:
    return run(lambda c: _one_statement(c, sql, params).rowcount)


def in_transaction(work: Callable[[Any], T]) -> T:
    """Run `work(conn)` inside one transaction (committed on return, rolled back on error).

    BEGIN and SET LOCAL statement_timeout go as one simple query: the round trip that BEGIN
    alone would cost. `work` may nest `conn.transaction()` blocks (savepoints).
    """

    def unit(conn: Any) -> T:
        conn.execute(f"BEGIN; SET LOCAL statement_timeout = {_timeout_ms()}")
        try:
            result = work(conn)
        except BaseException:
            if not (conn.closed or conn.broken):
                with suppress(Exception):  # the error that stopped `work` is the one to see
                    conn.rollback()
            raise
        conn.commit()
        return result

    return run(unit)


@contextmanager
def cursor() -> Iterator[Any]:
    """A cursor on this environment's connection, for multi-statement reads (scripts)."""
    with connection().cursor() as cur:
        yield cur


def _usable(conn: Any) -> bool:
    return conn is not None and not conn.closed and not conn.broken


def ping(timeout_s: float = 0.8) -> bool:
    """True when `SELECT 1` answers within `timeout_s`, whatever state the network is in.

    libpq's connect timeout is two seconds at the least, and a dead network can stall even an
    open connection, so the check runs on a helper thread and we stop waiting at the
    deadline. It uses this environment's connection, or opens it (and the environment keeps
    it, so health checks cost no extra connections); a connection that arrives after the
    deadline is closed by the helper.
    """
    import psycopg  # noqa: F401 - on a cold start, the import is not the database's time

    existing = _local.conn if _usable(_local.conn) else None
    lock = threading.Lock()
    state: dict = {"done": False, "abandoned": False, "ok": False, "conn": None}

    def attempt() -> None:
        conn = existing
        try:
            conn = conn or _connect()
            conn.execute("SELECT 1")
            ok = True
        except Exception:
            ok = False
        with lock:
            if state["abandoned"]:
                if conn is not None and conn is not existing:
                    conn.close()
                return
            state.update(done=True, ok=ok, conn=conn)

    worker = threading.Thread(target=attempt, name="db-ping", daemon=True)
    worker.start()
    worker.join(timeout_s)
    with lock:
        if not state["done"]:
            state["abandoned"] = True
            return False
    if state["ok"]:
        if _local.conn is None:
            _local.conn = state["conn"]
        return True
    if existing is not None:
        close()
    elif state["conn"] is not None:
        state["conn"].close()
    return False
