"""Asynchronous Lambda invocations (InvocationType=Event: Lambda queues the event and retries
it, the caller does not wait) through one client per execution environment, made on first use
with short timeouts: the caller has committed and is waiting to answer. Used by
live/welcome_call.py and trending/purge_call.py, which keep the call in modules of their own
so that only their callers reach lambda:InvokeFunction (tests/test_iam_policy.py)."""
from __future__ import annotations

import json
import threading
from typing import Any, Optional

_lock = threading.Lock()
_client: Any = None


def _lambda() -> Any:
    global _client
    if _client is None:
        with _lock:  # boto3's default session is not thread-safe (chalice local's threads)
            if _client is None:
                import boto3
                from botocore.config import Config

                _client = boto3.client("lambda", config=Config(connect_timeout=2, read_timeout=5,
                                                               retries={"max_attempts": 2}))
    return _client


def invoke(function: str, payload: dict) -> Optional[int]:
    """Queue `payload` for `function`; Lambda's status code (202 when queued)."""
    answer = _lambda().invoke(FunctionName=function, InvocationType="Event", Payload=json.dumps(payload).encode())
    return answer.get("StatusCode")


def forget() -> None:
    """Drop the client (tests and moto)."""
    global _client
    _client = None
