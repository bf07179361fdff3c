"""Structured logs, metrics and tracing, wired once by the middleware (chalicelib/observability)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from chalicelib import observability
from tests.conftest import auth_headers
from tests.support.lambda_events import LambdaContext, api_gateway_event

ROOT = Path(__file__).resolve().parent.parent


def _json_lines(text: str) -> list:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def _access_lines(text: str) -> list:
    return [d for d in _json_lines(text) if d.get("message") == "request"]


def _metrics(text: str) -> list:
    """(metric name, value, dimensions) of every EMF document printed."""
    found = []
    for doc in _json_lines(text):
        meta = doc.get("_aws")
        if not meta:
            continue
        for directive in meta["CloudWatchMetrics"]:
            assert directive["Namespace"] == "TrendKe"
            dims = {k: doc[k] for group in directive["Dimensions"] for k in group}
            for m in directive["Metrics"]:
                values = doc[m["Name"]]
                found.append((m["Name"], values if isinstance(values, list) else [values], dims))
    return found


def test_a_local_request_logs_one_json_line_with_request_and_user_id_and_no_token(
    client, make_user, capsys
):
    user = make_user("wanjiru")
    headers = auth_headers(user["id"])
    token = headers["Authorization"].split()[1]
    capsys.readouterr()

    answer = client.http.get("/v1/me", headers=headers)

    assert answer.status_code == 200
    out = capsys.readouterr().out
    lines = _access_lines(out)
    assert len(lines) == 1
    line = lines[0]
    assert line["user_id"] == str(user["id"])
    assert line["request_id"] and line["lambda_request_id"]
    assert line["route"] == "GET /v1/me" and line["status"] == 200
    assert line["path"] == "/v1/me"
    assert line["service"] == "trendke-api" and line["level"] == "INFO"
    assert token not in out and "Bearer" not in out
    assert "authorization" not in out.lower()


def test_the_lambda_handler_logs_api_gateway_and_lambda_request_ids(chalice_app, capsys):
    event = api_gateway_event("GET", "/health")
    context = LambdaContext("trendke-api-prod")
    capsys.readouterr()

    answer = chalice_app(event, context)

    assert answer["statusCode"] == 200
    (line,) = _access_lines(capsys.readouterr().out)
    assert line["request_id"] == event["requestContext"]["requestId"]
    assert line["lambda_request_id"] == context.aws_request_id
    assert line["path"] == "/api/health"  # API Gateway's, with the stage
    assert "user_id" not in line  # anonymous


def test_request_ids_do_not_leak_into_the_next_request(client, make_user, capsys):
    user = make_user()
    client.http.get("/v1/me", headers=auth_headers(user["id"]))
    client.http.get("/health")
    first, second = _access_lines(capsys.readouterr().out)
    assert first["user_id"] == str(user["id"])
    assert "user_id" not in second
    assert first["request_id"] != second["request_id"]


def test_4xx_and_5xx_are_counted_by_route(client, capsys):
    capsys.readouterr()
    assert client.http.get("/v1/me").status_code == 401
    assert client.http.get("/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    metrics = _metrics(capsys.readouterr().out)
    http = [m for m in metrics if m[0].startswith("Http")]
    # One EMF document per invocation (flushed when it ends).
    assert http == [("Http4xx", [1.0], {"route": "GET /v1/me", "service": "trendke-api"})] * 2


def test_a_revalidation_is_counted_with_its_outcome(client, capsys):
    etag = client.http.get("/").headers["ETag"]
    capsys.readouterr()
    assert client.http.get("/", headers={"If-None-Match": etag}).status_code == 304
    assert client.http.get("/", headers={"If-None-Match": '"stale"'}).status_code == 200
    revalidations = [m for m in _metrics(capsys.readouterr().out) if m[0] == "CacheRevalidation"]
    outcomes = sorted(m[2]["outcome"] for m in revalidations)
    assert outcomes == ["modified", "not_modified"]
    assert all(m[2]["route"] == "GET /" for m in revalidations)


def test_cold_start_is_counted_once_per_execution_environment(client, capsys, monkeypatch):
    monkeypatch.setattr(observability, "_cold_start", True)  # as in a new environment
    capsys.readouterr()
    client.http.get("/health")
    client.http.get("/health")
    out = capsys.readouterr().out
    assert [m[0] for m in _metrics(out)].count("ColdStart") == 1
    assert [line["cold_start"] for line in _access_lines(out)] == [True, False]


def test_helpers_outside_an_invocation_flush_at_once(capsys):
    observability.trending_refresh(1234.5, 7)
    observability.webhook_outcome("ready")
    metrics = _metrics(capsys.readouterr().out)
    assert ("TrendingRefreshDuration", [1234.5], {"service": "trendke-api"}) in metrics
    assert ("TrendingObjectsWritten", [7.0], {"service": "trendke-api"}) in metrics
    assert ("WebhookDelivery", [1.0],
            {"service": "trendke-api", "source": "cloudinary", "outcome": "ready"}) in metrics


def test_helpers_inside_an_invocation_wait_for_its_end(capsys):
    with observability.invocation("req-1", None):
        observability.metric("Custom", 2, "Count", kind="x")
        assert _metrics(capsys.readouterr().out) == []
    assert ("Custom", [2.0], {"kind": "x", "service": "trendke-api"}) in _metrics(capsys.readouterr().out)


def test_tracing_is_a_no_op_off_lambda():
    """Locally no tracer exists and the X-Ray SDK is never imported."""
    probe = (
        "import sys, app\n"
        "from chalice.test import Client\n"
        "from chalicelib import observability\n"
        "with Client(app.app, stage_name='test') as c: c.http.get('/')\n"
        "print(observability.tracer() is None, 'aws_xray_sdk' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "", "STAGE": "test", "POWERTOOLS_TRACE_DISABLED": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True False"


def test_a_scheduled_job_gets_request_ids_and_its_metrics_flushed(capsys):
    """The same wiring the jobs' blueprints get from register_jobs (a throwaway job here)."""
    from chalice import Chalice

    from chalicelib.scheduled import register_jobs
    from tests.support.lambda_events import scheduled_event

    app = Chalice(app_name="probe")
    register_jobs(app)

    @app.schedule("rate(5 minutes)")
    def refresh(event):
        observability.logger().info("refreshing")
        observability.trending_refresh(12.5, 3)
        return {"ok": True}

    context = LambdaContext("trendke-api-prod-refresh")
    capsys.readouterr()
    assert refresh(scheduled_event(), context) == {"ok": True}
    out = capsys.readouterr().out
    lines = [d for d in _json_lines(out) if "message" in d]
    assert [d["message"] for d in lines] == ["refreshing", "job finished"]
    assert all(d["lambda_request_id"] == context.aws_request_id for d in lines)
    names = [m[0] for m in _metrics(out)]
    assert "TrendingRefreshDuration" in names and "TrendingObjectsWritten" in names


def test_the_apps_own_loggers_write_json_with_the_invocation_keys(capsys):
    import logging

    observability.logger()
    capsys.readouterr()
    with observability.invocation("req-42", "lam-42"):
        observability.bind(user_id="u-1")
        logging.getLogger("trendke.anything").warning("store slow")
    (line,) = [d for d in _json_lines(capsys.readouterr().out) if d.get("message") == "store slow"]
    assert (line["level"], line["request_id"], line["user_id"]) == ("WARNING", "req-42", "u-1")
    assert line["lambda_request_id"] == "lam-42"


def test_webhook_deliveries_are_counted_by_outcome(client, capsys):
    capsys.readouterr()
    answer = client.http.post("/v1/webhooks/cloudinary", body=json.dumps({"public_id": "x"}),
                              headers={"Content-Type": "application/json"})
    assert answer.status_code == 401  # not signed by Cloudinary
    deliveries = [m for m in _metrics(capsys.readouterr().out) if m[0] == "WebhookDelivery"]
    assert deliveries == [("WebhookDelivery", [1.0],
                           {"outcome": "refused_401", "service": "trendke-api", "source": "cloudinary"})]
