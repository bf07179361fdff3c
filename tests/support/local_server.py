"""A real `chalice local` on a free port, for tests that must go through its HTTP server."""
from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def chalice_local(env: Dict[str, str], port: int = 0, timeout_s: float = 20) -> Iterator[int]:
    """Serve the app with `chalice local --stage dev` on 127.0.0.1:`port`; yield the port.

    No autoreload: the embedded Postgres writes under the project folder, which the reloader
    watches, so it would restart the server mid-run. The server's log (a line per request)
    goes to a file, not a pipe nobody reads, which would fill and stall the server.
    """
    port = port or free_port()
    chalice = Path(sys.executable).parent / "chalice"
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [str(chalice), "local", "--stage", "dev", "--no-autoreload",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if server.poll() is not None:
                log.seek(0)
                raise RuntimeError("chalice local exited: " + log.read().decode()[-2000:])
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
