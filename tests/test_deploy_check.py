"""devtools/deploy_check.py refuses what `chalice deploy` or AWS would refuse: tiny apps, in
process, each with one mistake (the real stages are rehearsed in test_deploy_rehearsal.py)."""
from __future__ import annotations

import pytest
from chalice import Chalice, Cron, Rate
from chalice.config import Config

from devtools.deploy_check import check_config, check_schedule_expression, check_websockets


@pytest.fixture(autouse=True)
def clean_db():
    """Replaces the suite's database fixture: nothing here needs Postgres."""
    yield


def _check(app: Chalice, tmp_path) -> dict:
    config = Config.create(chalice_stage="prod", chalice_app=app, app_name=app.app_name,
                           project_dir=str(tmp_path), api_gateway_stage="api")
    return check_config(config, "prod")


def _app(name: str = "tiny") -> Chalice:
    app = Chalice(app_name=name)

    @app.route("/health")
    def health():
        return {}

    return app


def test_a_well_formed_app_passes_and_its_deployment_is_summarised(tmp_path):
    app = _app()

    @app.schedule(Rate(5, unit=Rate.MINUTES), name="refresh")
    def refresh(event):
        return None

    summary = _check(app, tmp_path)
    assert sorted(summary["functions"]) == ["tiny-prod", "tiny-prod-refresh"]
    assert summary["api_handler"] == "tiny-prod" and summary["api_gateway_stage"] == "api"
    assert summary["schedules"] == {"tiny-prod-refresh-event": "rate(5 minutes)"}


def test_the_route_of_issue_19_is_refused_and_its_fix_passes(tmp_path):
    broken = _app()

    @broken.route("/videos/upload", methods=["POST"], content_types=[
        "multipart/form-data", "application/json", "application/x-www-form-urlencoded",
        "application/octet-stream"])
    def retired_upload():
        return {}

    with pytest.raises(ValueError, match="consistent in their binary support"):
        _check(broken, tmp_path)

    fixed = _app()
    fixed.api.binary_types.append("multipart/form-data")

    @fixed.route("/videos/upload", methods=["POST"], content_types=["*/*"])
    def retired_upload_fixed():
        return {}

    assert _check(fixed, tmp_path)["functions"] == ["tiny-prod"]


def test_two_jobs_with_one_name_are_refused(tmp_path):
    app = _app()
    for _ in range(2):  # e.g. two blueprints that both picked name="refresh"
        app.schedule(Rate(5, unit=Rate.MINUTES), name="refresh")(lambda event: None)
    with pytest.raises(ValueError, match="Duplicate function name"):
        _check(app, tmp_path)


def test_a_function_named_like_a_websocket_handler_is_refused(tmp_path):
    """Chalice's own uniqueness check skips the WebSocket handlers' functions."""
    app = _app()
    app.experimental_feature_flags.add("WEBSOCKETS")
    app.on_ws_message()(lambda event: None)
    app.lambda_function(name="websocket_message")(lambda event, context: None)
    with pytest.raises(ValueError, match="Duplicate Lambda function names"):
        _check(app, tmp_path)


@pytest.mark.parametrize("expression", [
    "rate(1 minute)", "rate(10 minutes)", "rate(1 hour)", "rate(2 days)",
    "cron(0 12 * * ? *)", "cron(0/15 6-22 ? * MON-FRI *)",
])
def test_expressions_eventbridge_accepts(expression):
    check_schedule_expression(expression)  # raises if refused


@pytest.mark.parametrize("expression", [
    "rate(0 minutes)", "rate(5 minute)", "rate(1 minutes)", "rate(5 weeks)", "rate(-1 minutes)",
    "cron(0 12 * * * *)", "cron(0 12 ? * ? *)", "cron(0 12 * *)", "every 5 minutes", "",
])
def test_expressions_eventbridge_refuses(expression):
    with pytest.raises(ValueError):
        check_schedule_expression(expression)


@pytest.mark.parametrize("schedule", [
    Rate(0, unit=Rate.MINUTES),  # e.g. TRENDING_RATE_MINUTES=0 read at import
    "rate(5 minute)",  # a raw string goes to EventBridge as written
    Cron(0, 12, "*", "*", "*", "*"),  # both day fields set
])
def test_a_bad_schedule_in_an_app_is_refused(tmp_path, schedule):
    app = _app()
    app.schedule(schedule, name="refresh")(lambda event: None)
    with pytest.raises(ValueError, match="EventBridge|day-of-week"):
        _check(app, tmp_path)


def test_names_too_long_for_lambda_or_eventbridge_are_refused(tmp_path):
    app = _app("trendke-api-" + "x" * 40)  # 57 + "-prod-refresh-event" > 64
    app.schedule(Rate(5, unit=Rate.MINUTES), name="refresh")(lambda event: None)
    with pytest.raises(ValueError, match="at most 64"):
        _check(app, tmp_path)


def test_websocket_handlers_need_the_experimental_flag(tmp_path):
    app = _app()

    @app.on_ws_message()
    def message(event):
        return None

    with pytest.raises(ValueError, match="WEBSOCKETS"):
        check_websockets(app)
    with pytest.raises(ValueError, match="WEBSOCKETS"):
        _check(app, tmp_path)
    app.experimental_feature_flags.add("WEBSOCKETS")
    check_websockets(app)  # passes now
    assert "tiny-prod-websocket_message" in _check(app, tmp_path)["functions"]


def test_an_app_without_websockets_needs_no_flag():
    app = _app()
    assert not app.websocket_handlers and "WEBSOCKETS" not in app.experimental_feature_flags
    check_websockets(app)
