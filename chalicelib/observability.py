"""Logs, metrics and traces through Powertools for AWS Lambda, wired once by the middleware.

- Logs: one JSON object per line (Powertools Logger), every line of an invocation carrying
  `request_id` (API Gateway's, which CloudFront and API Gateway logs show too), the Lambda
  `lambda_request_id`, and `user_id` once the caller is known. Never a header, a token or a
  secret: only the keys bound here and the message.
- Metrics: namespace `TrendKe`, CloudWatch embedded metric format (EMF) printed to stdout,
  buffered per invocation and flushed when it ends (Lambda ships stdout to CloudWatch Logs,
  which extracts the metrics: no API call, no extra latency).
- Traces: Lambda active tracing (X-Ray) records every invocation in prod; Powertools Tracer
  adds a subsegment per route (and patches boto3) only on Lambda and only when the X-Ray SDK
  is present. Locally, and with POWERTOOLS_TRACE_DISABLED=true, there is no tracer at all
  (no-op, nothing imported).

Powertools' Logger and Metrics cost about 70 ms to import, so they are imported on the
first invocation, never with `app` (tests/test_cold_start.py, bench/import_time.py).

Other modules call the helpers: `metric(...)`, `trending_refresh(...)`,
`webhook_outcome(...)`, `cache_revalidation(...)`, `bind(user_id=...)`.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Tuple

NAMESPACE = "TrendKe"
SERVICE = "trendke-api"
# The application's own std-logging loggers ("trendke", "trendke.*") share the JSON handler.
APP_LOGGER = "trendke"

_setup_lock = threading.Lock()
_logger: Any = None
_tracer: Any = None
_tracer_checked = False
_cold_start = True
_cold_start_lock = threading.Lock()

Metric = Tuple[str, float, str, Tuple[Tuple[str, str], ...]]


class _Invocation(threading.local):
    """What one invocation has gathered (Lambda: one at a time; chalice local: per thread)."""

    active: bool = False
    metrics: Optional[List[Metric]] = None
    keys: Optional[Dict[str, str]] = None  # request ids, user id: on every line of the invocation
    emf: Any = None  # this thread's Powertools EMF writer, reused (half the cost of a new one)


_state = _Invocation()


class _BoundKeys:
    """A logging filter that puts the invocation's keys on every record: the Powertools
    formatter writes a record's extra attributes as JSON keys. Cheaper per request than
    Powertools' append_keys / clear_keys, and the access line reads the same dict."""

    def filter(self, record: Any) -> bool:
        for key, value in (_state.keys or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class _NotApp:
    """Keeps the application's records out of a root handler (they have their JSON one)."""

    def filter(self, record: Any) -> bool:
        return not (record.name == APP_LOGGER or record.name.startswith(APP_LOGGER + "."))


_output: Any = None  # None: sys.stdout as it is at each write (Lambda: stdout; tests: capture)


def send_output_to(stream: Any) -> None:
    """Where log lines and EMF documents go (benchmarks: /dev/null); None: stdout."""
    global _output
    _output = stream


def _write(text: str) -> None:
    (_output or sys.stdout).write(text)


class _CurrentStdout:
    """The Powertools handler's stream: `_write`, resolved at each write rather than the
    stream that existed when the logger was made."""

    def write(self, text: str) -> int:
        _write(text)
        return len(text)

    def flush(self) -> None:
        (_output or sys.stdout).flush()


def logger() -> Any:
    """The Powertools Logger of this execution environment (made on first use)."""
    global _logger
    if _logger is None:
        with _setup_lock:
            if _logger is None:
                import logging

                from aws_lambda_powertools import Logger

                made = Logger(service=SERVICE, stream=_CurrentStdout(),
                              level=os.environ.get("LOG_LEVEL", "INFO"))
                # One JSON handler for Powertools' logger, Chalice's `app.log` (the same
                # name: it had a plain-text handler of Chalice's) and our "trendke.*" loggers.
                made.logger_handler.addFilter(_BoundKeys())
                chalice_log = logging.getLogger(SERVICE)  # Chalice's app.log; it does not propagate
                chalice_log.handlers = [made.logger_handler]
                app_log = logging.getLogger(APP_LOGGER)
                if made.logger_handler not in app_log.handlers:
                    app_log.addHandler(made.logger_handler)
                app_log.setLevel(made.log_level)
                # "trendke.*" records still propagate (pytest's caplog sees them), but the root
                # handlers present now (Lambda's plain-text one) skip them: one line, in JSON.
                # Powertools does the same for its own logger.
                for handler in logging.root.handlers:
                    if type(handler).__name__ != "LogCaptureHandler":
                        handler.addFilter(_NotApp())
                _logger = made
    return _logger


def on_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) and not os.environ.get("AWS_CHALICE_CLI_MODE")


def tracer() -> Any:
    """Powertools Tracer on Lambda (X-Ray active tracing is on in prod); None elsewhere."""
    global _tracer, _tracer_checked
    if not _tracer_checked:
        with _setup_lock:
            if not _tracer_checked:
                disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() in ("1", "true")
                if on_lambda() and not disabled:
                    _tracer = _make_tracer()
                _tracer_checked = True
    return _tracer


def _make_tracer() -> Any:
    # The X-Ray SDK is not vendored (it would ship a second botocore); it is there when the
    # function has the Powertools Lambda layer. Without it, Lambda's active tracing (prod:
    # `xray: true`) still records every invocation, only without subsegments.
    try:
        import aws_xray_sdk  # noqa: F401
    except ImportError:
        return None
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE)


def is_cold_start() -> bool:
    """True exactly once per execution environment: on its first invocation."""
    global _cold_start
    if not _cold_start:  # every warm invocation: no lock
        return False
    with _cold_start_lock:
        cold, _cold_start = _cold_start, False
    return cold


# --- the invocation -----------------------------------------------------------------------

def begin(request_id: Optional[str], lambda_request_id: Optional[str],
          function_name: Optional[str] = None) -> bool:
    """Start an invocation: bind its request ids to every log line, gather its metrics.
    Answers whether it is the environment's cold start. `end()` must follow."""
    if _logger is None:
        logger()
    keys = {"request_id": request_id or lambda_request_id or str(uuid.uuid4())}
    if lambda_request_id:
        keys["lambda_request_id"] = lambda_request_id
    _state.keys = keys
    _state.active, _state.metrics = True, []
    cold = is_cold_start()
    if cold:
        metric("ColdStart", 1, "Count", function=function_name or SERVICE)
    return cold


def end() -> None:
    """Flush the invocation's metrics and forget its keys."""
    state = _state
    state.active = False
    if state.metrics:
        flush()
    state.keys = None


@contextmanager
def invocation(request_id: Optional[str], lambda_request_id: Optional[str],
               function_name: Optional[str] = None) -> Iterator[Dict[str, Any]]:
    """`begin` and `end` around a block (the scheduled jobs; the HTTP middleware calls them
    directly, a few microseconds cheaper on the hot path)."""
    cold = begin(request_id, lambda_request_id, function_name)
    try:
        yield {"cold_start": cold, **(_state.keys or {})}
    finally:
        end()


def bind(**keys: Any) -> None:
    """Add keys (e.g. `user_id`) to every later log line of this invocation."""
    if _state.keys is not None:
        _state.keys.update({k: str(v) for k, v in keys.items() if v is not None})


def current_keys() -> Dict[str, Any]:
    return dict(_state.keys or {})


_encode = json.JSONEncoder(separators=(",", ":"), default=str).encode  # made once: 2 us a line


_info_enabled: Optional[bool] = None
_public_sample_rate: Optional[float] = None


def public_read_sample_rate() -> float:
    """The share of successful public reads (200/304 with a public Cache-Control) that get an
    access line: CloudFront and API Gateway log every request already, and at the edge's
    request rates a line per cacheable read costs more in CloudWatch Logs, and in
    microseconds per read, than it tells. Errors, signed-in calls and writes: every one.
    ACCESS_LOG_PUBLIC_SAMPLE_RATE, 0.1 by default (1 logs them all)."""
    global _public_sample_rate
    if _public_sample_rate is None:
        _public_sample_rate = float(os.environ.get("ACCESS_LOG_PUBLIC_SAMPLE_RATE", "0.1"))
    return _public_sample_rate


def _access_lines_enabled() -> bool:
    global _info_enabled
    if _info_enabled is None:  # the level is fixed per execution environment
        _info_enabled = logger().isEnabledFor(20)  # logging.INFO
    return _info_enabled


def access_line(**fields: Any) -> None:
    """The one line per request: the shape of the Powertools lines (level, message,
    timestamp, service, the bound keys), serialised here rather than by the Powertools
    formatter, which costs about 40 us a line: more than a whole warm trending read.
    Other lines (errors, warnings, jobs) go through the Powertools Logger."""
    if not _access_lines_enabled():  # LOG_LEVEL=WARNING drops the line
        return
    line = {"level": "INFO", "message": "request",
            "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "service": SERVICE}
    line.update(_state.keys or {})
    line.update(fields)
    _write(_encode(line) + "\n")


# --- metrics ------------------------------------------------------------------------------

def metric(name: str, value: float = 1, unit: str = "Count", **dimensions: Any) -> None:
    """Record one metric in namespace TrendKe; `dimensions` become CloudWatch dimensions.

    Inside an invocation it is flushed when the invocation ends; outside one (a script, the
    CLI) it is flushed at once. Keep dimension values few (routes, outcomes), never ids.
    """
    dims = tuple(sorted((str(k), str(v)) for k, v in dimensions.items()))
    record = (name, float(value), unit, dims)
    if _state.active and _state.metrics is not None:
        _state.metrics.append(record)
    else:
        _emit([record])


def flush() -> None:
    """Print this invocation's metrics as EMF and forget them."""
    pending, _state.metrics = _state.metrics or [], []
    if pending:
        _emit(pending)


def _emit(records: List[Metric]) -> None:
    # One EMF document per set of dimensions: a document's metrics share its dimensions.
    emf = _state.emf
    if emf is None:
        from aws_lambda_powertools.metrics import EphemeralMetrics

        emf = _state.emf = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)
    groups: Dict[Tuple[Tuple[str, str], ...], List[Metric]] = {}
    for record in records:
        groups.setdefault(record[3], []).append(record)
    for dims, group in groups.items():
        for key, value in dims:
            emf.add_dimension(key, value)
        for name, value, unit, _ in group:
            emf.add_metric(name=name, unit=unit, value=value)
        document = emf.serialize_metric_set()  # what flush_metrics prints, to our output
        emf.clear_metrics()
        _write(_encode(document) + "\n")


def trending_refresh(duration_ms: float, objects_written: int) -> None:
    """The scheduled trending refresh: how long it took and how many S3 objects it wrote."""
    metric("TrendingRefreshDuration", duration_ms, "Milliseconds")
    metric("TrendingObjectsWritten", objects_written, "Count")


def webhook_outcome(outcome: str, source: str = "cloudinary") -> None:
    """One webhook delivery: e.g. `ready`, `duplicate`, `bad_signature`, `stale`, `unknown`."""
    metric("WebhookDelivery", 1, "Count", source=source, outcome=outcome)


def cache_revalidation(route: str, outcome: str) -> None:
    """A conditional GET: `not_modified` (304 sent) or `modified` (full answer sent)."""
    metric("CacheRevalidation", 1, "Count", route=route, outcome=outcome)


def store_revalidation(outcome: str) -> None:
    """The trending reader asked the store whether its index changed (every few seconds per
    environment): `not_modified`, `fetched`, `missing` or `unavailable`."""
    metric("TrendingStoreRevalidation", 1, "Count", outcome=outcome)


def http_answer(route: str, status: int) -> None:
    """4xx and 5xx answers by route (2xx are counted by API Gateway already)."""
    if 400 <= status < 500:
        metric("Http4xx", 1, "Count", route=route)
    elif status >= 500:
        metric("Http5xx", 1, "Count", route=route)


@contextmanager
def timed() -> Iterator[Dict[str, float]]:
    """`with timed() as t: ...` then `t["ms"]`: elapsed milliseconds (for trending_refresh)."""
    out: Dict[str, float] = {}
    started = time.perf_counter()
    try:
        yield out
    finally:
        out["ms"] = (time.perf_counter() - started) * 1000
