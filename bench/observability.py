"""What the observability middleware costs per request, in-process (no database: GET /).

Three runs of the Lambda handler on an API Gateway event: as deployed (access log line +
metrics), with LOG_LEVEL=WARNING (no access line), and without the `observe` middleware.
stdout goes to /dev/null (on Lambda: a pipe to CloudWatch Logs); Lambda's own overhead is
not included.
"""
from __future__ import annotations

import os
import sys
import time
from contextlib import redirect_stdout

RUNS = 3000


def _p50_p99(app, event, context) -> tuple:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        app(event, context)
        times.append(time.perf_counter() - started)
    times.sort()
    return times[len(times) // 2] * 1e6, times[int(len(times) * 0.99)] * 1e6


def main() -> None:
    os.environ.setdefault("JWT_SECRET", "bench-" + "x" * 32)
    from app import app
    from chalicelib import observability
    from tests.support.lambda_events import LambdaContext, api_gateway_event

    event, context = api_gateway_event("GET", "/"), LambdaContext("trendke-api-prod")
    results = {}
    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        _p50_p99(app, event, context)  # warm: imports, first-request set-up
        results["as deployed (INFO)"] = _p50_p99(app, event, context)
        log = observability.logger()
        level = log.log_level
        log.setLevel("WARNING")
        results["LOG_LEVEL=WARNING"] = _p50_p99(app, event, context)
        log.setLevel(level)
        saved = list(app.middleware_handlers)
        app.middleware_handlers = [m for m in saved if m[0].__name__ != "observe"]
        results["without observe"] = _p50_p99(app, event, context)
        app.middleware_handlers = saved
    for name, (p50, p99) in results.items():
        print(f"GET / in-process, {name:<20} p50 {p50:7.1f} us   p99 {p99:7.1f} us")
    base = results["without observe"][0]
    print(f"observe middleware overhead      p50 {results['as deployed (INFO)'][0] - base:7.1f} us"
          f"   ({results['LOG_LEVEL=WARNING'][0] - base:.1f} us without the access line)")
    sys.stdout.flush()
