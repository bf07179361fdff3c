"""A real PgBouncer in transaction mode in front of the test database, as Supabase's pooler is.

Debian's `pgbouncer` package provides the binary (no pip package ships one). `.ci/run`
installs it when missing, so CI always runs these tests; on a developer's machine without it
they are skipped with the command that installs it. The pool has ONE server connection, so
two clients provably share a backend, and it accepts and drops the `options` startup
parameter, as Supavisor does: a setting sent that way never reaches Postgres.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest

INSTALL_HINT = "apt-get install pgbouncer (CI's .ci/run installs it)"


def binary() -> Optional[str]:
    found = shutil.which("pgbouncer")
    if found:
        return found
    for path in ("/usr/sbin/pgbouncer", "/usr/local/sbin/pgbouncer"):
        if os.access(path, os.X_OK):
            return path
    return None


def require_binary() -> str:
    path = binary()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"pgbouncer is not installed on CI: {INSTALL_HINT}")
        pytest.skip(f"pgbouncer is not installed: {INSTALL_HINT}")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as(server: dict) -> Optional[str]:
    """PgBouncer refuses to run as root: as root, run it as the owner of the server's socket
    folder (the embedded server's system user), who can reach that socket."""
    if os.geteuid() != 0:
        return None
    host = server.get("host", "")
    if host.startswith("/"):
        return pwd.getpwuid(Path(host).stat().st_uid).pw_name
    return "nobody"


def _config(server: dict, port: int, folder: Path) -> str:
    target = " ".join(f"{k}={server[k]}" for k in ("host", "port", "user", "password") if server.get(k))
    return "\n".join([
        "[databases]",
        f"* = {target}",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        f"listen_port = {port}",
        "unix_socket_dir =",
        "auth_type = trust",
        f"auth_file = {folder / 'users.txt'}",
        "pool_mode = transaction",
        "default_pool_size = 1",
        "max_client_conn = 50",
        "ignore_startup_parameters = options,extra_float_digits",
        "server_reset_query =",
        "",
    ])


def start(database_url: str) -> Iterator[str]:
    """Run PgBouncer until the generator is closed; yields the URL that reaches the test
    database through it."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    path = require_binary()
    server = {k: str(v) for k, v in conninfo_to_dict(database_url).items()}
    user = server.get("user") or pwd.getpwuid(os.geteuid()).pw_name
    server["user"] = user
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    folder.chmod(0o755)
    (folder / "users.txt").write_text(f'"{user}" ""\n')
    port = _free_port()
    (folder / "pgbouncer.ini").write_text(_config(server, port, folder))
    for f in folder.iterdir():
        f.chmod(0o644)
    log = open(folder / "pgbouncer.log", "wb")
    proc = subprocess.Popen([path, str(folder / "pgbouncer.ini")], stdout=log, stderr=subprocess.STDOUT,
                            user=_run_as(server))
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("pgbouncer did not start: " + (folder / "pgbouncer.log").read_text())
                time.sleep(0.05)
        yield make_conninfo("", host="127.0.0.1", port=port, dbname=server["dbname"], user=user)
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
