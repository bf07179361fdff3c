"""The GitHub Actions workflow: tests on every pull request, deploys only from main after the
tests, through an OIDC role, one deployment at a time, with no stored AWS keys."""
from __future__ import annotations

import configparser
import re
import shlex
import subprocess
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


# ---- the deploy job's order, and what its edge step reads (issue #19) ---------------------

def _index(steps: list, text: str) -> int:
    """The first step whose run (or uses) contains `text`."""
    found = [i for i, s in enumerate(steps) if text in s.get("run", "") + s.get("uses", "")]
    assert found, f"no step runs {text!r}"
    return found[0]


def _edge_step(workflow: dict) -> str:
    steps = workflow["jobs"]["deploy"]["steps"]
    return steps[_index(steps, "aws cloudformation deploy")]["run"]


@pytest.fixture(scope="module")
def edge_template() -> dict:
    from cfnlint.decode import decode

    parsed, errors = decode(str(ROOT / "infra" / "edge.yaml"))
    assert not errors, errors
    return parsed


def test_the_rehearsal_runs_before_credentials_then_chalice_then_the_edge_stack(workflow):
    steps = workflow["jobs"]["deploy"]["steps"]
    rehearse = _index(steps, "make rehearse")
    creds = _index(steps, "aws-actions/configure-aws-credentials")
    fetch = _index(steps, "chalice/deployed/prod.json")
    chalice = _index(steps, "chalice deploy --stage prod")
    keep = _index(steps, 's3 cp .chalice/deployed/prod.json')
    edge = _index(steps, "aws cloudformation deploy")
    smoke = _index(steps, "describe-stacks")
    assert rehearse < creds < fetch < chalice < keep < edge < smoke
    build = _index(steps, "devtools/build_package.py --stage prod")
    assert rehearse < build < chalice  # bytecode built offline, then deployed as built
    assert steps[keep]["if"] == "always()"  # the state is kept even when the deploy fails
    assert re.search(r"^make rehearse$", steps[rehearse]["run"], re.M)


def test_make_rehearse_is_the_suites_rehearsal_and_make_test_runs_it_too():
    recipe = re.search(r"^rehearse:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "Makefile has no rehearse target"
    modules = re.findall(r"tests/\S+\.py", recipe.group(1))
    assert "tests/test_deploy_rehearsal.py" in modules
    assert all((ROOT / m).is_file() for m in modules)
    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini")
    assert ini["pytest"]["testpaths"].split() == ["tests"]
    addopts = shlex.split(ini["pytest"]["addopts"])  # nothing deselects the slow modules
    assert not [o for o in addopts if o.split("=")[0] in ("-m", "-k", "--deselect", "--ignore")]


def test_the_edge_step_passes_only_parameters_the_template_declares(workflow, edge_template):
    run = _edge_step(workflow).replace("\\\n", " ")
    overrides = run.split("--parameter-overrides", 1)[1]
    passed = re.findall(r'"(\w+)=', overrides)
    params = edge_template["Parameters"]
    assert passed and set(passed) <= set(params)
    assert {name for name, p in params.items() if "Default" not in p} <= set(passed)
    assert "--template-file infra/edge.yaml" in run


def test_the_api_host_from_chalice_url_fits_the_templates_parameter(workflow, edge_template):
    """`chalice url` prints https://<id>.execute-api.<region>.amazonaws.com/<stage>/; the
    step's sed keeps the host, which ApiDomainName's pattern must accept."""
    run = _edge_step(workflow)
    assert re.search(r"api_host=\$\(\.venv/bin/chalice url --stage prod \| sed -E '[^']+'\)", run)
    assert '"ApiDomainName=$api_host"' in run
    assert '"WebSocketDomainName=$ws_host"' in run and "websocket_api_url" in run
    script = re.search(r"sed -E '([^']+)'", run).group(1)
    url = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/api/\n"
    host = subprocess.run(["sed", "-E", script], input=url, capture_output=True, text=True,
                          check=True).stdout.strip()
    assert host == "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
    assert re.fullmatch(edge_template["Parameters"]["ApiDomainName"]["AllowedPattern"], host)


def test_the_outputs_the_workflow_reads_exist_in_the_template(workflow, edge_template):
    read = re.findall(r"OutputKey=='(\w+)'", _runs(workflow["jobs"]["deploy"]))
    assert read and set(read) <= set(edge_template["Outputs"])


def test_deploy_uploads_the_package_built_with_bytecode(workflow):
    """`chalice deploy` reuses the cached package build_package.py rewrote (and the step
    fails if it does not); nothing may write a pyc under chalicelib in between."""
    deploy = workflow["jobs"]["deploy"]
    assert deploy["env"]["PYTHONDONTWRITEBYTECODE"] == "1"
    steps = deploy["steps"]
    run = steps[_index(steps, "chalice deploy --stage prod")]["run"]
    assert "Reusing existing deployment package" in run and "grep -q" in run
    assert "set -o pipefail" in run  # a failed deploy piped to tee still fails the step
    assert (ROOT / "devtools" / "build_package.py").is_file()
