"""Issue 15, item 2: the deployed stage is throttled (what gets past the CDN answers 429 from
API Gateway before it costs a Lambda); the deploy applies it right after `chalice deploy`."""
from __future__ import annotations

import json

import pytest

from devtools import stage_throttle


@pytest.fixture
def apigateway(monkeypatch):
    import boto3
    from moto import mock_aws

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("apigateway", region_name="eu-west-1")


def test_every_method_of_the_stage_is_throttled(apigateway, monkeypatch, tmp_path):
    api = apigateway.create_rest_api(name="trendke-api")["id"]
    root = apigateway.get_resources(restApiId=api)["items"][0]["id"]
    apigateway.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    apigateway.create_deployment(restApiId=api, stageName="api")
    deployed = tmp_path / ".chalice" / "deployed"
    deployed.mkdir(parents=True)
    (deployed / "prod.json").write_text(json.dumps(
        {"resources": [{"name": "rest_api", "resource_type": "rest_api", "rest_api_id": api}]}))
    (tmp_path / ".chalice" / "config.json").write_text(
        (stage_throttle.ROOT / ".chalice" / "config.json").read_text())
    monkeypatch.setattr(stage_throttle, "ROOT", tmp_path)

    result = stage_throttle.apply("prod", apigateway)
    settings = apigateway.get_stage(restApiId=api, stageName="api")["methodSettings"]["*/*"]
    assert settings["throttlingRateLimit"] == stage_throttle.RATE_PER_S == result["rate"]
    reserved = json.loads((tmp_path / ".chalice" / "config.json").read_text())[
        "stages"]["prod"]["lambda_functions"]["api_handler"]["reserved_concurrency"]
    assert reserved == 120  # the pooler budget (README) after the live socket functions
    assert settings["throttlingBurstLimit"] == reserved == result["burst"]  # the API's reserved concurrency


def test_the_deploy_throttles_the_stage_right_after_chalice_deploy():
    import yaml

    workflow = yaml.safe_load((stage_throttle.ROOT / ".github" / "workflows" / "ci.yml").read_text())
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    chalice = next(i for i, r in enumerate(runs) if "chalice deploy --stage prod" in r)
    throttle = next(i for i, r in enumerate(runs) if "devtools.stage_throttle --stage prod" in r)
    assert throttle == chalice + 1
