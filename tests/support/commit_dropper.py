"""A loopback TCP proxy to the test database that can lose a connection right after COMMIT
(and can slow every answer down, to count round trips).

Armed, it forwards the next simple-query `COMMIT` to Postgres, waits for the server's
answer (so the commit has landed) and then closes both sides without passing the answer on:
the client sees a lost connection and cannot know whether its transaction committed, the
case db.run's retry meets in production.
"""
from __future__ import annotations

import socket
import threading
import time
from typing import Iterator, List

# 'Q', int32 length (4 + len("COMMIT\0")), "COMMIT\0": psycopg's conn.commit().
COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"


class CommitDropper:
    def __init__(self, target: tuple) -> None:
        self.target = target  # (family, address) of the server
        self.armed = False
        self.dropped = 0
        self.answer_delay_s = 0.0  # added to every answer: round trips become visible in time
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: List[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self) -> None:
        self.armed = True

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            family, address = self.target
            server = socket.socket(family, socket.SOCK_STREAM)
            server.connect(address)
            self._sockets += [client, server]
            state = {"commit_sent": False}
            threading.Thread(target=self._up, args=(client, server, state), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client, state), daemon=True).start()

    def _up(self, client: socket.socket, server: socket.socket, state: dict) -> None:
        while data := _recv(client):
            with self._lock:
                if self.armed and COMMIT in data:
                    self.armed = False
                    state["commit_sent"] = True
            if not _send(server, data):
                break
        _close(client, server)

    def _down(self, server: socket.socket, client: socket.socket, state: dict) -> None:
        while data := _recv(server):
            if state["commit_sent"]:  # the COMMIT's answer: it landed; the client never hears
                self.dropped += 1
                break
            if self.answer_delay_s:
                time.sleep(self.answer_delay_s)
            if not _send(client, data):
                break
        _close(client, server)

    def close(self) -> None:
        self._listener.close()
        _close(*self._sockets)


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _send(sock: socket.socket, data: bytes) -> bool:
    try:
        sock.sendall(data)
        return True
    except OSError:  # the other side closed
        return False


def _close(*sockets: socket.socket) -> None:
    for s in sockets:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def start(database_url: str) -> Iterator[tuple]:
    """Yields (proxy, url through it) until closed."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    info = {k: str(v) for k, v in conninfo_to_dict(database_url).items()}
    host, port = info.get("host", "localhost"), int(info.get("port") or 5432)
    if host.startswith("/"):
        target = (socket.AF_UNIX, f"{host}/.s.PGSQL.{port}")
    else:
        target = (socket.AF_INET, (host, port))
    proxy = CommitDropper(target)
    info.update(host="127.0.0.1", port=str(proxy.port), sslmode="disable", gssencmode="disable")
    try:
        yield proxy, make_conninfo("", **info)
    finally:
        proxy.close()
