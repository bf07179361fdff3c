"""`make dev`'s one address for HTTP and the live WebSocket, as the edge gives production:
the frontend derives its socket URL from VITE_API_URL (http://host:8000 -> ws://host:8000).

A TCP front door on PORT reads each connection's request line and pipes the connection,
bytes unchanged, to the local WebSocket gateway for /ws/* or to the HTTP server otherwise.
"""
from __future__ import annotations

import asyncio
import threading
from typing import Optional

MAX_REQUEST_LINE = 16 * 1024


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


class FrontDoor:
    def __init__(self, host: str, port: int, http_port: int, ws_port: int):
        self.host, self.port, self.http_port, self.ws_port = host, port, http_port, ws_port
        self._ready = threading.Event()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._stop: Optional[asyncio.Event] = None

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readuntil(b"\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        parts = line.split(b" ")
        target = self.ws_port if len(parts) > 1 and parts[1].startswith(b"/ws/") else self.http_port
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            writer.close()
            return
        up_writer.write(line)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        server = await asyncio.start_server(self._connection, self.host, self.port, limit=MAX_REQUEST_LINE,
                                            backlog=256)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()

    def start(self) -> "FrontDoor":
        threading.Thread(target=lambda: asyncio.run(self._serve()), name="front-door", daemon=True).start()
        if not self._ready.wait(10):
            raise RuntimeError("front door did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
