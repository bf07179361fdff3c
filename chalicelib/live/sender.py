"""post_to_connection for live sockets: one boto3 client per management endpoint, and a
bounded thread pool so a broadcast to thousands of sockets is not thousands of sequential
calls inside one Lambda's time limit.

API Gateway answers GoneException (HTTP 410) for a socket that has closed or, during
$connect, is not open yet; those ids are handed back to the caller, which forgets them.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterable, List, Tuple

# Parallel posts per execution environment (and the HTTP pool behind them). At ~20 ms a call,
# 32 workers post to 5,000 sockets in about 3 s; the README has the measured numbers.
FANOUT_WORKERS = int(os.environ.get("LIVE_FANOUT_WORKERS", "32"))

_lock = threading.Lock()
_clients: Dict[str, Any] = {}
_pool: ThreadPoolExecutor | None = None


def endpoint_for(api_id: str, stage: str, domain: str) -> str:
    """Where this socket's API is managed: LIVE_WS_MANAGEMENT_URL when set (the local
    gateway), else the regional execute-api address Chalice itself would use."""
    override = os.environ.get("LIVE_WS_MANAGEMENT_URL")
    if override:
        return override.rstrip("/")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    suffix = ".amazonaws.com.cn" if region.startswith("cn-") else ".amazonaws.com"
    return f"https://{api_id}.execute-api.{region}{suffix}/{stage}"


def client(endpoint: str) -> Any:
    with _lock:
        found = _clients.get(endpoint)
        if found is None:
            import boto3
            from botocore.config import Config

            found = _clients[endpoint] = boto3.session.Session().client(
                "apigatewaymanagementapi", endpoint_url=endpoint,
                config=Config(max_pool_connections=FANOUT_WORKERS, connect_timeout=2,
                              read_timeout=5, retries={"max_attempts": 2, "mode": "standard"}))
        return found


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=FANOUT_WORKERS, thread_name_prefix="ws-post")
        return _pool


def _is_gone(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return (response.get("Error", {}).get("Code") == "GoneException"
            or response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 410)


def post(endpoint: str, connection_id: str, data: bytes) -> bool:
    """One frame to one socket; False when the socket is gone."""
    from botocore.exceptions import ClientError

    try:
        client(endpoint).post_to_connection(ConnectionId=connection_id, Data=data)
        return True
    except ClientError as exc:
        if _is_gone(exc):
            return False
        raise


def close(endpoint: str, connection_id: str) -> None:
    """Close a socket from the server side (a kick, an ended session); gone is fine."""
    from botocore.exceptions import ClientError

    try:
        client(endpoint).delete_connection(ConnectionId=connection_id)
    except ClientError as exc:
        if not _is_gone(exc):
            raise


def post_many(targets: Iterable[Tuple[str, str]], data: bytes) -> List[str]:
    """`data` to every (endpoint, connection_id); answers the ids that are gone. A failure
    other than gone is logged and skipped: one bad socket never stops a broadcast."""
    import logging

    targets = list(targets)
    if len(targets) <= 1:
        return [cid for endpoint, cid in targets if not _safe_post(endpoint, cid, data, logging)]
    results = list(_executor().map(lambda t: _safe_post(t[0], t[1], data, logging), targets))
    return [cid for (_, cid), ok in zip(targets, results) if not ok]


def _safe_post(endpoint: str, connection_id: str, data: bytes, logging: Any) -> bool:
    try:
        return post(endpoint, connection_id, data)
    except Exception:
        logging.getLogger("trendke.live").warning("post to %s failed", connection_id, exc_info=True)
        return True
