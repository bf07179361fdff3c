"""The deploy rehearsal (issue #19): for every stage in .chalice/config.json, what `chalice
deploy` checks before its first AWS call (devtools/deploy_check.py) and the plan `chalice dev
plan` prints against a moto server on 127.0.0.1. `chalice package` skips deploy's checks, so
the package test alone let a route that deploy refuses reach main.

CI's deploy job runs this module (`make rehearse`) before it has any AWS credentials; it needs
no database. The subprocesses get no AWS variable of the caller's: dummy keys, moto's address.
"""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())
APP_NAME = CONFIG["app_name"]
STAGES = sorted(CONFIG["stages"])
CHALICE = Path(sys.executable).parent / "chalice"
REGION = "eu-west-1"
BASICS = {"PATH", "HOME", "LANG", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
          "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"}
# The original route of issue #19: chalice deploy refuses it, chalice package does not.
BROKEN_APP = '''from chalice import Chalice
app = Chalice(app_name="broken")
@app.route("/videos/upload", methods=["POST"], content_types=[
    "multipart/form-data", "application/json", "application/x-www-form-urlencoded",
    "application/octet-stream"])
def retired_upload():
    return {}
'''

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def clean_db():
    """Replaces the suite's database fixture: nothing here needs Postgres."""
    yield


def _env(endpoint: str) -> dict:
    """Only the process basics (pip's settings too: the plan builds the package), then AWS
    pointed at moto with dummy keys and no profile, so no real account can be reached."""
    env = {k: v for k, v in os.environ.items() if k in BASICS or k.startswith(("PIP_", "LC_"))}
    no_proxy = [os.environ.get("NO_PROXY", ""), "127.0.0.1", "localhost"]
    return {**env, "NO_PROXY": ",".join(p for p in no_proxy if p), "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true"}


@pytest.fixture(scope="module")
def moto():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def deploy_check(stage: str, endpoint: str, project_dir: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devtools.deploy_check", "--project-dir", str(project_dir), "--stage", stage],
        cwd=ROOT, env=_env(endpoint), capture_output=True, text=True, timeout=120)


def chalice_plan(stage: str, endpoint: str, project_dir: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHALICE), "--project-dir", str(project_dir), "dev", "plan", "--stage", stage],
        cwd=project_dir, env=_env(endpoint), capture_output=True, text=True, timeout=600)


def api_calls(plan: str) -> list:
    """(method_name, {param: value}) of every API_CALL instruction in a printed plan."""
    calls = []
    for block in re.split(r"\n(?=[A-Z_]+ +│)", plan):
        if block.startswith("API_CALL"):
            fields = dict(re.findall(r"│\s*(\w+): (.*?)\s*$", block, re.M))
            calls.append((fields.pop("method_name"), fields))
    return calls


@pytest.fixture(scope="module")
def rehearsal(moto) -> dict:
    """Per stage: the deploy check's summary and the plan's output, run once each."""
    out = {}
    for stage in STAGES:
        started = time.perf_counter()
        check, plan = deploy_check(stage, moto), chalice_plan(stage, moto)
        out[stage] = {"check": check, "plan": plan, "seconds": time.perf_counter() - started}
    return out


def _summary(rehearsal, stage: str) -> dict:
    check = rehearsal[stage]["check"]
    assert check.returncode == 0, check.stderr
    return json.loads(check.stdout)


def _jobs_in_source() -> list:
    """Every job chalicelib/scheduled defines, read from each module's blueprint on a probe
    app: a job module that register_jobs forgets would be missing from the deployment."""
    from chalice import Blueprint, Chalice
    from chalice.app import ScheduledEventConfig

    import chalicelib.scheduled as package

    names = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        assert isinstance(getattr(module, "jobs", None), Blueprint), f"{info.name}: no `jobs` blueprint"
        probe = Chalice(app_name="probe")
        probe.register_blueprint(module.jobs)
        names += [e.name for e in probe.event_sources if isinstance(e, ScheduledEventConfig)]
    return names


def _other_functions() -> list:
    """The live WebSocket's handlers (Chalice names them after the route) and app.py's
    plain Lambda functions (the live welcome)."""
    from app import app

    routes = {"$connect": "websocket_connect", "$default": "websocket_message",
              "$disconnect": "websocket_disconnect"}
    return [routes[key] for key in app.websocket_handlers] + [f.name for f in app.pure_lambda_functions]


def test_the_config_has_the_stages_ci_deploys():
    assert {"dev", "prod"} <= set(STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_chalice_deploy_validation_passes_and_names_every_function(rehearsal, stage, capsys):
    summary = _summary(rehearsal, stage)
    jobs = _jobs_in_source()
    assert len(jobs) >= 3 and len(set(jobs)) == len(jobs)
    expected = {f"{APP_NAME}-{stage}"} | {f"{APP_NAME}-{stage}-{job}" for job in jobs + _other_functions()}
    assert sorted(summary["functions"]) == sorted(expected)  # unique, and no more, no fewer
    assert summary["api_handler"] == f"{APP_NAME}-{stage}"
    assert set(summary["schedules"]) == {f"{APP_NAME}-{stage}-{job}-event" for job in jobs}
    assert "multipart/form-data" in summary["binary_types"]
    with capsys.disabled():
        print(f"\n[rehearsal] {stage}: {len(summary['functions'])} functions, check + plan "
              f"{rehearsal[stage]['seconds']:.1f} s")


@pytest.mark.parametrize("stage", STAGES)
def test_the_plan_creates_every_function_schedule_and_the_rest_api(rehearsal, stage):
    summary, plan = _summary(rehearsal, stage), rehearsal[stage]["plan"]
    assert plan.returncode == 0, plan.stderr + plan.stdout
    calls = api_calls(plan.stdout)
    created = [p["function_name"] for m, p in calls if m == "create_function"]
    assert sorted(created) == sorted(summary["functions"])
    rules = {p["rule_name"]: p["schedule_expression"] for m, p in calls if m == "get_or_create_rule_arn"}
    assert rules == summary["schedules"]
    methods = [m for m, _ in calls]
    assert methods.count("import_rest_api") == 1
    [deployed] = [p for m, p in calls if m == "deploy_rest_api"]
    assert deployed["api_gateway_stage"] == CONFIG["stages"][stage].get("api_gateway_stage", "api")


@pytest.mark.parametrize("stage", STAGES)
def test_the_plan_reads_the_local_moto_server(moto, rehearsal, stage):
    """A role put into moto beforehand is updated, not created: the plan asked this server."""
    import boto3

    calls = api_calls(rehearsal[stage]["plan"].stdout)
    role = next(p["name"] for m, p in calls if m == "create_role")
    iam = boto3.client("iam", endpoint_url=moto, region_name=REGION,
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17",
                                                                         "Statement": []}))
    try:
        again = chalice_plan(stage, moto)
    finally:
        iam.delete_role(RoleName=role)
    assert again.returncode == 0, again.stderr
    calls = api_calls(again.stdout)
    assert role not in [p.get("name") for m, p in calls if m == "create_role"]
    assert role in [p["role_name"] for m, p in calls if m == "put_role_policy"]


def test_both_fail_on_the_route_of_issue_19(moto, tmp_path):
    (tmp_path / "app.py").write_text(BROKEN_APP)
    (tmp_path / ".chalice").mkdir()
    (tmp_path / ".chalice" / "config.json").write_text(json.dumps(
        {"version": "2.0", "app_name": "broken", "stages": {"dev": {"api_gateway_stage": "api"}}}))
    check, plan = deploy_check("dev", moto, tmp_path), chalice_plan("dev", moto, tmp_path)
    assert check.returncode == 1 and "consistent in their binary support" in check.stderr
    assert plan.returncode != 0 and "consistent in their binary support" in plan.stderr
