"""A local stand-in for API Gateway's WebSocket API, for `make dev`, the tests and the bench.

ws://HOST:PORT/ws/live/{session_id}?token=..&username=.. is served with the `websockets`
library; each opening handshake, frame and close becomes the event API Gateway would send
($connect, $default, $disconnect) and goes to app.py's Chalice handlers, called as Lambda
calls them: handler(event, context). The management API (POST/DELETE/GET
/@connections/{id}) is served over HTTP on MANAGEMENT_PORT, and LIVE_WS_MANAGEMENT_URL points
boto3's apigatewaymanagementapi client at it: post_to_connection takes the same code path
as on AWS, GoneException (410) included, also while a socket's $connect is still running.

Handlers run on a pool of worker threads (execution environments, each with its own
database connection); a socket's frames are handled in order.
"""
from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Optional

API_ID, STAGE = "local", "local"
PATH_PREFIX = "/ws/live/"
MAX_FRAME = 128 * 1024  # API Gateway's frame limit
CONNECT_TIMEOUT_S = 30  # $connect's integration timeout on API Gateway is 29 s


class LocalWebSocketGateway:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, management_port: int = 0,
                 environments: int = 8):
        self.host, self.port, self.management_port = host, port, management_port
        self._pool = ThreadPoolExecutor(max_workers=environments, thread_name_prefix="ws-env",
                                        initializer=None)
        self._open: Dict[str, Any] = {}  # connection id -> open websocket
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._ready = threading.Event()
        self._stop: Optional[asyncio.Event] = None
        self._thread: Optional[threading.Thread] = None
        self._http: Optional[ThreadingHTTPServer] = None

    # ---- lifecycle -----------------------------------------------------------------------

    def start(self) -> "LocalWebSocketGateway":
        self._http = ThreadingHTTPServer((self.host, self.management_port), _management_handler(self))
        self._http.daemon_threads = True
        self.management_port = self._http.server_address[1]
        threading.Thread(target=self._http.serve_forever, name="ws-management", daemon=True).start()
        os.environ["LIVE_WS_MANAGEMENT_URL"] = f"http://{self.host}:{self.management_port}/{STAGE}"
        for name, value in (("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local"),
                            ("AWS_REGION", "us-east-1"), ("AWS_DEFAULT_REGION", "us-east-1")):
            os.environ.setdefault(name, value)
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), name="ws-gateway",
                                        daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("local WebSocket gateway did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    async def _serve(self) -> None:
        from websockets.asyncio.server import serve

        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        async with serve(self._socket, self.host, self.port, process_request=self._handshake,
                         max_size=MAX_FRAME, ping_interval=None,
                         open_timeout=CONNECT_TIMEOUT_S) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()

    # ---- events --------------------------------------------------------------------------

    def _event(self, route: str, connection_id: str, **extra: Any) -> dict:
        kind = {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route, "MESSAGE")
        return {"requestContext": {"routeKey": route, "eventType": kind, "connectionId": connection_id,
                                   "apiId": API_ID, "stage": STAGE, "domainName": f"{self.host}:{self.port}",
                                   "requestTimeEpoch": int(time.time() * 1000),
                                   "requestId": uuid.uuid4().hex},
                "isBase64Encoded": False, **extra}

    async def _call(self, handler_name: str, event: dict) -> Any:
        import app as lambda_module

        handler = getattr(lambda_module, handler_name)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, handler, event, None)
        except RuntimeError:  # the gateway is stopping: its environments are gone
            return None

    async def _handshake(self, connection: Any, request: Any) -> Any:
        """$connect: the path's session id moves into the query string, as the edge's
        CloudFront Function does; a non-2xx answer refuses the handshake with that status."""
        parsed = urllib.parse.urlsplit(request.path)
        if not parsed.path.startswith(PATH_PREFIX):
            return connection.respond(404, "Not found\n")
        params = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        params["session_id"] = parsed.path[len(PATH_PREFIX):].strip("/")
        connection.gateway_id = uuid.uuid4().hex
        headers = {k: v for k, v in request.headers.raw_items()}
        answer = await self._call("live_connect", self._event(
            "$connect", connection.gateway_id, queryStringParameters=params, headers=headers))
        status = int((answer or {}).get("statusCode", 200))
        if status >= 300:
            connection.gateway_id = None
            return connection.respond(status, (answer or {}).get("body") or "Forbidden")
        return None

    async def _socket(self, websocket: Any) -> None:
        connection_id = getattr(websocket, "gateway_id", None)
        if connection_id is None:
            return
        self._open[connection_id] = websocket
        try:
            async for frame in websocket:
                body = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
                await self._call("live_message", self._event("$default", connection_id, body=body))
        except Exception:
            pass
        finally:
            self._open.pop(connection_id, None)
            await self._call("live_disconnect", self._event("$disconnect", connection_id))

    # ---- management API ------------------------------------------------------------------

    def post(self, connection_id: str, data: bytes) -> bool:
        from websockets.protocol import State

        websocket = self._open.get(connection_id)
        if websocket is None or self._loop is None or websocket.state is not State.OPEN:
            return False
        future = asyncio.run_coroutine_threadsafe(websocket.send(data.decode("utf-8")), self._loop)
        try:
            future.result(timeout=2)
            return True
        except Exception:
            return False

    def delete(self, connection_id: str) -> bool:
        websocket = self._open.get(connection_id)
        if websocket is None or self._loop is None:
            return False
        asyncio.run_coroutine_threadsafe(websocket.close(1000, "closed by the server"), self._loop)
        return True


def _management_handler(gateway: LocalWebSocketGateway):
    class Management(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet: one line per frame is noise
            pass

        def _connection_id(self) -> Optional[str]:
            path = urllib.parse.urlsplit(self.path).path
            head, sep, tail = path.rpartition("/@connections/")
            return urllib.parse.unquote(tail) if sep else None

        def _answer(self, ok: bool, body: bytes = b"") -> None:
            if ok:
                self.send_response(200)
            else:  # what API Gateway answers for a socket that is not open
                body = json.dumps({"message": "Gone"}).encode()
                self.send_response(410)
                self.send_header("x-amzn-ErrorType", "GoneException")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            cid = self._connection_id()
            self._answer(cid is not None and gateway.post(cid, data))

        def do_DELETE(self) -> None:
            cid = self._connection_id()
            self._answer(cid is not None and gateway.delete(cid))

        def do_GET(self) -> None:
            cid = self._connection_id()
            open_ = cid is not None and cid in gateway._open
            self._answer(open_, json.dumps({"connectionId": cid}).encode() if open_ else b"")

    return Management
