"""Least privilege: .chalice/policy-prod.json allows every AWS call the shipped code makes, on
its own resources, and nothing else (tests/support/aws_calls.py finds the calls)."""
from __future__ import annotations

import json
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from chalicelib import config
from tests.support.aws_calls import calls_in_source, calls_in_tree

ROOT = Path(__file__).resolve().parent.parent
CHALICE = json.loads((ROOT / ".chalice" / "config.json").read_text())
PROD = CHALICE["stages"]["prod"]
ENV = PROD["environment_variables"]
POLICY = json.loads((ROOT / ".chalice" / PROD["iam_policy_file"]).read_text())

BUCKET, PREFIX = ENV["TRENDING_BUCKET"], ENV["TRENDING_PREFIX"]
PARAMETERS = [ENV[n + config.SECRET_PARAMETER_SUFFIX] for n in config.SECRET_NAMES
              if n + config.SECRET_PARAMETER_SUFFIX in ENV]
ACCOUNT_REGION = "eu-west-1:123456789012"

# What the Lambda runtime itself needs, whatever the code calls: its logs and its traces.
RUNTIME = {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
           "xray:PutTraceSegments", "xray:PutTelemetryRecords"}
# What a call needs besides its own action. S3 answers a read of a missing key with 403
# AccessDenied unless the caller may list the bucket; the trending store reads 404 as "not
# written yet" (a fresh deployment) and anything else as "store unreachable".
IMPLIED = {"s3:GetObject": {"s3:ListBucket"}}
# X-Ray has no resource-level permissions: its actions are the only ones allowed on "*".
RESOURCE_STAR_OK = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def _list(value):
    return value if isinstance(value, list) else [value]


def allowed(action: str, resource: str) -> bool:
    for st in POLICY["Statement"]:
        if st["Effect"] != "Allow":
            continue
        if action in _list(st["Action"]) and any(
            fnmatchcase(resource, pattern) for pattern in _list(st["Resource"])
        ):
            return True
    return False


def resources_for(action: str) -> list:
    """Example ARNs the code touches with `action` (what the policy must allow)."""
    service, _ = action.split(":")
    if service == "s3":
        if action == "s3:ListBucket":
            return [f"arn:aws:s3:::{BUCKET}"]
        return [f"arn:aws:s3:::{BUCKET}/{PREFIX}index.json",
                f"arn:aws:s3:::{BUCKET}/{PREFIX}hashtags/kenya.json"]
    if service == "ssm":
        return [f"arn:aws:ssm:{ACCOUNT_REGION}:parameter{p}" for p in PARAMETERS]
    if service == "logs":
        group = f"arn:aws:logs:{ACCOUNT_REGION}:log-group:/aws/lambda/trendke-api-prod"
        return [group] if action == "logs:CreateLogGroup" else [group + ":log-stream:2026/11/29/x"]
    if service == "xray":
        return ["*"]
    if service == "ses":  # SES authorises a send on the sender's identity (its domain)
        domain = ENV["MAIL_FROM"].rsplit("@", 1)[1].rstrip(">")
        return [f"arn:aws:ses:{ACCOUNT_REGION}:identity/{domain}"]
    if service == "execute-api":  # any stage of the app's WebSocket API, sockets only
        return [f"arn:aws:execute-api:{ACCOUNT_REGION}:a1b2c3d4e5/api/POST/@connections/abc=",
                f"arn:aws:execute-api:{ACCOUNT_REGION}:a1b2c3d4e5/api/DELETE/@connections/abc="]
    if service == "lambda":  # the live welcome, invoked asynchronously after $connect
        return [f"arn:aws:lambda:{ACCOUNT_REGION}:function:{ENV['LIVE_WELCOME_FUNCTION']}"]
    pytest.fail(f"{action}: no resource model for this service yet; add it here and to the policy")


def code_calls() -> set:
    """Every IAM action the shipped code (app.py and chalicelib/) needs."""
    shipped = calls_in_tree(ROOT / "chalicelib")
    shipped += calls_in_source((ROOT / "app.py").read_text(), "app.py")
    actions = {call.action for call in shipped}
    return actions.union(*(IMPLIED.get(a, set()) for a in actions))


def test_the_scanner_finds_boto3_and_powertools_calls():
    """Proves the scan on code shaped like the trending store's (nothing here is real)."""
    source = '''
import boto3
from aws_lambda_powertools.utilities.parameters import get_parameter

def _s3():
    return boto3.client("s3")

def write(key, body):
    _s3().put_object(Bucket="b", Key=key, Body=body)

def read(key, etag):
    s3 = _s3()
    s3.head_object(Bucket="b", Key=key)
    return s3.get_object(Bucket="b", Key=key, IfNoneMatch=etag)

def listing():
    return boto3.client(service_name="s3").get_paginator("list_objects_v2")

def secret():
    return get_parameter("/x", decrypt=True)
'''
    actions = sorted({c.action for c in calls_in_source(source)})
    assert actions == ["s3:GetObject", "s3:PutObject", "ssm:GetParameter"]
    resource = "import boto3\nboto3.resource('s3').Object('b', 'k').put(Body=b'')\n"
    assert [c.action for c in calls_in_source(resource)] == ["s3:PutObject"]


def test_the_code_as_it_is_calls_ssm_and_the_trending_store():
    assert {"ssm:GetParameter", "s3:GetObject", "s3:PutObject"} <= code_calls()


def test_every_aws_call_of_the_code_is_allowed_on_its_resources():
    needed = code_calls() | RUNTIME
    missing = [(a, r) for a in sorted(needed) for r in resources_for(a) if not allowed(a, r)]
    assert missing == [], f"policy-prod.json lacks {missing}"


def test_the_policy_grants_nothing_the_code_does_not_need():
    granted = {a for st in POLICY["Statement"] for a in _list(st["Action"])}
    assert granted - (code_calls() | RUNTIME) == set()


def test_no_wildcard_actions_and_scoped_resources():
    for st in POLICY["Statement"]:
        assert set(st) <= {"Sid", "Effect", "Action", "Resource", "Condition"}, st  # no Not*
        assert st["Effect"] == "Allow"
        for action in _list(st["Action"]):
            assert "*" not in action and "?" not in action, action
        if "*" in _list(st["Resource"]):
            assert set(_list(st["Action"])) <= RESOURCE_STAR_OK, st


@pytest.mark.parametrize("action, resource", [
    ("s3:GetObject", f"arn:aws:s3:::{BUCKET}/private/other.json"),
    ("s3:PutObject", f"arn:aws:s3:::{BUCKET}/index.html"),
    ("s3:PutObject", f"arn:aws:s3:::another-bucket/{PREFIX}index.json"),
    ("s3:DeleteObject", f"arn:aws:s3:::{BUCKET}/{PREFIX}index.json"),
    ("s3:ListBucket", "arn:aws:s3:::another-bucket"),
    ("ssm:GetParameter", f"arn:aws:ssm:{ACCOUNT_REGION}:parameter/trendke/prod/OTHER"),
    ("ssm:GetParameter", f"arn:aws:ssm:{ACCOUNT_REGION}:parameter/trendke/dev/JWT_SECRET"),
    ("ssm:GetParametersByPath", f"arn:aws:ssm:{ACCOUNT_REGION}:parameter/trendke/prod"),
    ("logs:PutLogEvents", f"arn:aws:logs:{ACCOUNT_REGION}:log-group:/aws/lambda/other:log-stream:x"),
    ("kms:Decrypt", "*"),
    ("execute-api:Invoke", f"arn:aws:execute-api:{ACCOUNT_REGION}:a1b2c3d4e5/api/GET/feed"),
    ("lambda:InvokeFunction", f"arn:aws:lambda:{ACCOUNT_REGION}:function:trendke-api-prod-api_handler"),
    ("ses:SendEmail", f"arn:aws:ses:{ACCOUNT_REGION}:identity/other.example"),
    ("ses:SendRawEmail", f"arn:aws:ses:{ACCOUNT_REGION}:identity/trendke.co.ke"),
])
def test_what_the_code_never_does_is_denied(action, resource):
    assert not allowed(action, resource)


def test_the_prod_stage_uses_exactly_this_policy():
    assert PROD["autogen_policy"] is False
    assert PROD["iam_policy_file"] == "policy-prod.json"
    # The log groups the policy names are those `chalice deploy` gives the functions.
    assert CHALICE["app_name"] == "trendke-api"
