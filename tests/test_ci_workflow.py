"""The GitHub Actions workflow: tests on every pull request, deploys only from main after the
tests, through an OIDC role, one deployment at a time, with no stored AWS keys."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PATH = ROOT / ".github" / "workflows" / "ci.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(PATH.read_text())


def _triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def _uses(job: dict, action: str) -> list:
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def test_tests_run_on_every_pull_request_and_on_main(workflow):
    triggers = _triggers(workflow)
    assert "pull_request" in triggers
    assert triggers["pull_request"] in (None, {}) or "branches" not in triggers["pull_request"]
    assert triggers["push"]["branches"] == ["main"]


def test_the_test_job_runs_the_readmes_test_command(workflow):
    assert "`make test`" in (ROOT / "README.md").read_text()
    test = workflow["jobs"]["test"]
    assert re.search(r"^make test$", _runs(test), re.M)
    assert "if" not in test  # every event


def test_deploy_only_on_main_after_the_tests(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] in ("test", ["test"])
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    runs = _runs(deploy)
    chalice = runs.index("chalice deploy --stage prod")
    edge = runs.index("aws cloudformation deploy")
    assert chalice < edge
    assert "--template-file infra/edge.yaml" in runs


def test_one_deployment_at_a_time(workflow):
    concurrency = workflow["jobs"]["deploy"]["concurrency"]
    assert concurrency["group"]
    assert concurrency["cancel-in-progress"] is False


def test_aws_access_is_an_oidc_role_and_no_stored_key(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"]["id-token"] == "write"
    (creds,) = _uses(deploy, "aws-actions/configure-aws-credentials")
    assert creds["with"]["role-to-assume"]
    assert not {"aws-access-key-id", "aws-secret-access-key", "aws-session-token"} & set(creds["with"])
    text = PATH.read_text()
    assert "secrets." not in text
    assert not re.search(r"AWS_(SECRET_)?ACCESS_KEY", text)
    assert not re.search(r"AKIA[0-9A-Z]{16}", text)
    # Jobs other than deploy get no token to assume anything.
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["test"]
