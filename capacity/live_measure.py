"""What one WebSocket delivery costs the Lambda that fans it out: chalicelib.live.sender's
post_to_connection through boto3's apigatewaymanagementapi client (SigV4 signing, HTTP/1.1
keep-alive), against a loopback stand-in of API Gateway's management API in another process
(POST /{stage}/@connections/{id} -> 200), so this process's CPU time is the sender's alone.

Sequential posts give the CPU per delivery; post_many (the 32-thread pool) gives the wall
time per delivery when the pool overlaps the network waits."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import Dict

POSTS = 600
STAND_IN = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Management(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ok = "/@connections/" in self.path  # under the stage: /api/@connections/{id}
        self.send_response(200 if ok else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Management)
print("ready", flush=True)
server.serve_forever()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fanout_cost(posts: int = POSTS) -> Dict[str, float]:
    """CPU ms and wall ms per delivery, sequential and pooled."""
    for name, value in (("AWS_ACCESS_KEY_ID", "capacity"), ("AWS_SECRET_ACCESS_KEY", "capacity"),
                        ("AWS_DEFAULT_REGION", "eu-west-1")):
        os.environ.setdefault(name, value)
    os.environ.pop("LIVE_WS_MANAGEMENT_URL", None)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", STAND_IN, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        from chalicelib.live import sender

        endpoint = f"http://127.0.0.1:{port}/api"
        data = b'{"type":"chat_message","user_id":"u","username":"bench","message":"habari","timestamp":"t"}'
        targets = [(endpoint, f"conn{i:05d}=") for i in range(posts)]
        for target in targets[:20]:  # warm: the client, its connection pool, the signer
            sender.post(*target, data)
        cpu, wall = time.process_time(), time.perf_counter()
        for target in targets:
            assert sender.post(*target, data)
        sequential_cpu, sequential_wall = time.process_time() - cpu, time.perf_counter() - wall
        cpu, wall = time.process_time(), time.perf_counter()
        gone = sender.post_many(targets, data)
        pooled_cpu, pooled_wall = time.process_time() - cpu, time.perf_counter() - wall
        assert not gone
        return {"posts": posts, "workers": sender.FANOUT_WORKERS,
                "cpu_ms": sequential_cpu * 1000 / posts, "wall_ms": sequential_wall * 1000 / posts,
                "pooled_cpu_ms": pooled_cpu * 1000 / posts, "pooled_wall_ms": pooled_wall * 1000 / posts}
    finally:
        server.terminate()
        server.wait(timeout=10)
