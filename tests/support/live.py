"""Helpers for the live tests: a session started over HTTP, and socket clients of the local
gateway that wait for a given server message."""
from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any, Optional

from tests.conftest import auth_headers


def start_session(client, host_id, **fields) -> dict:
    body = {"title": "My Live Session", "description": "Join me live!", "session_type": "camera",
            "max_participants": 50, **fields}
    answer = client.http.post("/live/start", body=json.dumps(body),
                              headers={**auth_headers(host_id), "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.body
    return json.loads(answer.body)


def ws_url(gateway, session_id, user_id=None, *, token: Optional[str] = None, username="someone") -> str:
    if token is None:
        token = auth_headers(user_id)["Authorization"].split(" ", 1)[1]
    query = urllib.parse.urlencode({"token": token, "username": username})
    return f"{gateway.url}/ws/live/{session_id}?{query}"


def connect(gateway, session_id, user_id, **kw) -> Any:
    from websockets.sync.client import connect as ws_connect

    # Entered at once: an open ClientConnection, itself a context manager (closes on exit).
    return ws_connect(ws_url(gateway, session_id, user_id, **kw), open_timeout=10,
                      max_queue=None).__enter__()  # unbounded: a test that never reads still closes at once


def until(ws, kind: str, timeout: float = 10.0, **match) -> dict:
    """The next server message of type `kind` (and fields `match`); others are skipped."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {kind} message within {timeout} s")
        message = json.loads(ws.recv(timeout=left))
        if message.get("type") == kind and all(message.get(k) == v for k, v in match.items()):
            return message


def say(ws, **frame) -> None:
    ws.send(json.dumps(frame))


def eventually(check, timeout: float = 10.0) -> Any:
    """`check()`'s first truthy answer: $disconnect runs after the client has closed."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)
