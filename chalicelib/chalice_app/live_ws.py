"""The live WebSocket's Chalice handlers (issue 17). Chalice 1.34 wires on_ws_* only on the
app object (a Blueprint's websocket decorators return the bare function, which Lambda would
then call as (event, context)), so app.py declares the three handlers and calls these.

API Gateway reaches a socket at wss://<api>/<stage>?session_id=..&token=..; the edge's
CloudFront Function (infra/ws_rewrite.js) and the local gateway (devtools/ws_gateway.py)
turn the frontend's /ws/live/{session_id}?token=.. into that.
"""
from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger("trendke.live")


def _context(event: Any) -> tuple:
    from ..live import sender

    raw = event.to_dict()
    ctx = raw["requestContext"]
    endpoint = sender.endpoint_for(ctx["apiId"], ctx["stage"], ctx.get("domainName", ""))
    return raw, event.connection_id, endpoint


def _refuse(status: int, detail: str) -> dict:
    # A non-2xx answer to $connect refuses the handshake with that HTTP status: the browser's
    # socket fails to open (the old backend accepted, then closed with 1008).
    return {"statusCode": status, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"detail": detail})}


def connect(event: Any) -> dict:
    from ..errors import BadRequest, DomainError, Unauthorized
    from ..http import uuid_param
    from ..live import realtime, welcome_call
    from .error_answers import status_of
    from .identity import signed_in_token

    raw, connection_id, endpoint = _context(event)
    params = raw.get("queryStringParameters") or {}
    try:
        session_id = uuid_param(params.get("session_id"), "session_id")
        token = (params.get("token") or "").strip()
        if not token or token in ("null", "undefined"):
            raise Unauthorized("A token is required (?token=...)")
        if not (params.get("username") or "").strip():
            raise BadRequest("A username is required (?username=...)")
        principal = signed_in_token(token)
        realtime.connect(connection_id, session_id, principal.user_id, endpoint)
    except DomainError as exc:
        return _refuse(status_of(exc), exc.detail)
    welcome_call.schedule_welcome(connection_id)
    return {"statusCode": 200}


def message(event: Any) -> dict:
    from ..live import actions
    from .error_answers import status_of

    _, connection_id, _ = _context(event)
    actions.handle(connection_id, event.body, status_of)
    return {"statusCode": 200}


def disconnect(event: Any) -> dict:
    from ..live import realtime

    _, connection_id, _ = _context(event)
    realtime.disconnect(connection_id)
    return {"statusCode": 200}


def welcome(event: dict) -> Any:
    """The asynchronous follow-up of $connect (LIVE_WELCOME_FUNCTION)."""
    from ..live import realtime

    return {"welcomed": realtime.welcome(str(event.get("connection_id")))}
