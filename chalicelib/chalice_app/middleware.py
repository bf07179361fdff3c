"""Wired once for every route: typed errors become `{"detail": ...}` answers, nothing leaks a
stack trace, and every answer carries the CORS headers of the frontend's origin; around that,
`observe` gives every invocation its structured log line, metrics and trace."""
from __future__ import annotations

import logging
import random
import time
from typing import Any, Callable

from .. import observability
from ..config import settings
from ..errors import DomainError
from ..http import check_query_size, error_response
from . import error_answers, origin

log = logging.getLogger("trendke")


def errors_and_cors(request: Any, get_response: Callable[[Any], Any]) -> Any:
    try:
        origin.check(request)  # first: nothing runs for a caller that bypassed CloudFront
        check_query_size(request)
        response = get_response(request)
    except DomainError as exc:  # raised outside a declared route's view (the checks above)
        response = error_answers.answer(exc)
    except Exception:  # a bug, not bad input: log it, answer without internals
        log.exception("unhandled error on %s %s", request.method, request.path)
        response = error_response(500, "Internal server error")
    if isinstance(response.body, dict) and "Code" in response.body and response.status_code >= 400:
        # Chalice's own error answers (a bug in a view, already logged; an unsupported
        # content type, ...) in the contract's shape.
        detail = "Internal server error" if response.status_code >= 500 else str(response.body.get("Message"))
        response = error_response(response.status_code, detail)
    response.headers.setdefault("Access-Control-Allow-Origin", settings().cors_allow_origin)
    return response


def observe(request: Any, get_response: Callable[[Any], Any]) -> Any:
    """The outermost layer: request ids on every log line, one access log line, the 4xx/5xx
    and revalidation metrics by route, a trace subsegment on Lambda. Logs no header, no
    query string, no body: the user id comes from `identity` once the token is verified."""
    context = request.context or {}
    lambda_context = request.lambda_context
    route = f"{request.method} {request.path}"  # Chalice's path is the route template
    started = time.perf_counter()
    cold = observability.begin(
        context.get("requestId"),
        getattr(lambda_context, "aws_request_id", None),
        getattr(lambda_context, "function_name", None),
    )
    try:
        tracer = observability.tracer()
        if tracer is None:
            response = get_response(request)
        else:
            with tracer.provider.in_subsegment(f"## {route}") as subsegment:
                subsegment.put_annotation("route", route)
                response = get_response(request)
                subsegment.put_annotation("status", response.status_code)
        status = response.status_code
        observability.http_answer(route, status)
        if request.headers.get("if-none-match"):
            observability.cache_revalidation(route, "not_modified" if status == 304 else "modified")
        public_read = status in (200, 304) and response.headers.get("Cache-Control", "").startswith("public")
        if not public_read or random.random() < observability.public_read_sample_rate():
            observability.access_line(
                method=request.method,
                route=route,
                path=context.get("path", request.path),  # as requested (ids, no query string)
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
                cold_start=cold,
            )
    finally:
        observability.end()
    return response


def observe_job(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Scheduled jobs: request ids on their log lines, cold start, metrics flushed per run."""
    context = getattr(event, "context", None)
    function_name = getattr(context, "function_name", None)
    with observability.invocation(None, getattr(context, "aws_request_id", None), function_name):
        started = time.perf_counter()
        try:
            return get_response(event)
        finally:
            observability.logger().info("job finished", extra={
                "function": function_name,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            })
