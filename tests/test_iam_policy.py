"""Least privilege, per function (issue 15, item 12): each Lambda function has its own role
and policy file (.chalice/policy-prod-<function>.json, `autogen_policy: false`), allowing the
AWS calls the code that function reaches makes (tests/support/function_reach.py, calls found
by tests/support/aws_calls.py), on its own resources, and nothing else. The API cannot write
the public trending or leaderboard objects; each job touches only its own."""
from __future__ import annotations

import ast
import json
from functools import lru_cache
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from chalicelib import config
from tests.support.aws_calls import calls_in_source
from tests.support.function_reach import (LOCAL_FALLBACKS, api_reach, deployed_handlers, function_reach,
                                           parsed, secrets_read)

ROOT = Path(__file__).resolve().parent.parent
CHALICE = json.loads((ROOT / ".chalice" / "config.json").read_text())
PROD = CHALICE["stages"]["prod"]
ENV = PROD["environment_variables"]
FUNCTIONS = PROD["lambda_functions"]
POLICIES = {name: json.loads((ROOT / ".chalice" / f["iam_policy_file"]).read_text())
            for name, f in FUNCTIONS.items()}
BUCKET, PREFIX = ENV["TRENDING_BUCKET"], ENV["TRENDING_PREFIX"]
CONFIGURED = {n: ENV[n + config.SECRET_PARAMETER_SUFFIX] for n in config.SECRET_NAMES
              if n + config.SECRET_PARAMETER_SUFFIX in ENV}
REGION = "eu-west-1:123456789012"
RUNTIME = {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
           "xray:PutTraceSegments", "xray:PutTelemetryRecords"}
IMPLIED = {"s3:GetObject": {"s3:ListBucket"}}  # a missing key is 404, not 403
RESOURCE_STAR_OK = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
# The objects each function reads and writes in the trending bucket.
TRENDING = [f"{PREFIX}index.json", f"{PREFIX}global.json", f"{PREFIX}hashtags/kenya.json"]
LEADERBOARD = [f"{PREFIX}gifts/leaderboard-week.json", f"{PREFIX}gifts/leaderboard-all.json"]
OBJECTS = {
    "api_handler": {"s3:GetObject": TRENDING + LEADERBOARD},
    "trending_refresh": {"s3:GetObject": TRENDING, "s3:PutObject": TRENDING},
    "gifts_leaderboard": {"s3:GetObject": LEADERBOARD, "s3:PutObject": LEADERBOARD},
    "trending_purge": {"s3:GetObject": TRENDING, "s3:PutObject": TRENDING},  # removals (trending/removal.py)
}
# Calls into the store that write: the API reaches the store module (its reads), never these.
STORE_WRITERS = {("writer", "refresh"), ("leaderboard", "refresh"), ("removal", "purge"), ("removal", "handle")}
# The function each asynchronous invocation module invokes (its name's variable in prod).
INVOKERS = {"chalicelib/live/welcome_call.py": "LIVE_WELCOME_FUNCTION",
            "chalicelib/trending/purge_call.py": "TRENDING_PURGE_FUNCTION"}
REMOVAL = ROOT / "chalicelib" / "trending" / "removal.py"


def _list(value):
    return value if isinstance(value, list) else [value]


def allowed(policy: dict, action: str, resource: str) -> bool:
    return any(st["Effect"] == "Allow" and action in _list(st["Action"])
               and any(fnmatchcase(resource, p) for p in _list(st["Resource"]))
               for st in policy["Statement"])


@lru_cache(maxsize=None)
def _reach(name: str) -> frozenset:
    if name == "api_handler":
        return frozenset(api_reach())
    from app import app

    return frozenset(function_reach(deployed_handlers(app)[name]))


def _calls_store_writer(files) -> bool:
    for path in files:
        for node in ast.walk(parsed(path)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and (node.func.value.id, node.func.attr) in STORE_WRITERS):
                return True
    return False


@lru_cache(maxsize=None)
def _actions(name: str) -> frozenset:
    files = _reach(name)
    actions = {c.action for f in files for c in calls_in_source(f.read_text(), str(f))}
    if not _calls_store_writer(files):
        actions.discard("s3:PutObject")
    return frozenset(actions)


def needed(name: str) -> dict:
    """{action: example resources} the function's code needs."""
    files = _reach(name)
    actions = set(_actions(name))
    actions |= set().union(*(IMPLIED.get(a, set()) for a in actions))
    out = {}
    for action in actions | RUNTIME:
        service = action.split(":")[0]
        if action in ("s3:GetObject", "s3:PutObject"):
            out[action] = [f"arn:aws:s3:::{BUCKET}/{k}" for k in OBJECTS[name][action]]
        elif action == "s3:ListBucket":
            out[action] = [f"arn:aws:s3:::{BUCKET}"]
        elif service == "ssm":  # config.py makes the call; only a secret read needs it
            read = [f"arn:aws:ssm:{REGION}:parameter{CONFIGURED[n]}"
                    for n in sorted(secrets_read(files)) if n in CONFIGURED]
            if read:
                out[action] = read
        elif service == "logs":
            group = f"arn:aws:logs:{REGION}:log-group:/aws/lambda/trendke-api-prod-{name}"
            out[action] = [group] if action == "logs:CreateLogGroup" else [group + ":log-stream:2026/12/02/x"]
        elif service == "xray":
            out[action] = ["*"]
        elif service == "ses":
            out[action] = [f"arn:aws:ses:{REGION}:identity/" + ENV["MAIL_FROM"].rsplit("@", 1)[1].rstrip(">")]
        elif service == "execute-api":  # any stage of the app's WebSocket API, sockets only
            out[action] = [f"arn:aws:execute-api:{REGION}:a1b2c3d4e5/api/POST/@connections/abc=",
                           f"arn:aws:execute-api:{REGION}:a1b2c3d4e5/api/DELETE/@connections/abc="]
        elif service == "cloudfront":  # the edge distribution (CLOUDFRONT_DISTRIBUTION_ID, set by deploy)
            out[action] = [f"arn:aws:cloudfront::{REGION.split(':')[1]}:distribution/E2EXAMPLE1"]
        elif service == "lambda":  # the functions its invocation modules invoke, asynchronously
            out[action] = [f"arn:aws:lambda:{REGION}:function:{ENV[variable]}"
                           for module, variable in INVOKERS.items() if ROOT / module in files]
        else:
            pytest.fail(f"{name} {action}: no resource model for this service yet")
    return out


def _granted(policy: dict) -> dict:
    out: dict = {}
    for st in policy["Statement"]:
        for action in _list(st["Action"]):
            out.setdefault(action, []).extend(_list(st["Resource"]))
    return out


def test_every_function_has_its_own_policy_file():
    from app import app

    assert set(FUNCTIONS) == {"api_handler"} | set(deployed_handlers(app))
    assert PROD["autogen_policy"] is False and "iam_policy_file" not in PROD
    files = [f["iam_policy_file"] for f in FUNCTIONS.values()]
    assert len(set(files)) == len(files)
    assert CHALICE["app_name"] == "trendke-api"  # the log groups named in the policies


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_each_function_may_make_the_calls_its_code_makes(name):
    missing = [(a, r) for a, rs in needed(name).items() for r in rs if not allowed(POLICIES[name], a, r)]
    assert missing == [], f"{FUNCTIONS[name]['iam_policy_file']} lacks {missing}"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_each_function_is_granted_nothing_more(name):
    wanted, granted = needed(name), _granted(POLICIES[name])
    assert set(granted) == set(wanted), name
    for action, patterns in granted.items():
        for pattern in patterns:  # every granted resource is one some call needs
            assert any(fnmatchcase(r, pattern) for r in wanted[action]), (name, action, pattern)
    for st in POLICIES[name]["Statement"]:
        assert set(st) <= {"Sid", "Effect", "Action", "Resource"} and st["Effect"] == "Allow", st
        assert all("*" not in a for a in _list(st["Action"])), st
        if "*" in _list(st["Resource"]):
            assert set(_list(st["Action"])) <= RESOURCE_STAR_OK, st


def test_the_api_cannot_write_the_public_objects():
    api = POLICIES["api_handler"]
    for key in TRENDING + LEADERBOARD + [f"{PREFIX}anything.json"]:
        assert not allowed(api, "s3:PutObject", f"arn:aws:s3:::{BUCKET}/{key}"), key
        assert not allowed(api, "s3:DeleteObject", f"arn:aws:s3:::{BUCKET}/{key}"), key
    assert _calls_store_writer(_reach("api_handler")) is False


@pytest.mark.parametrize("name, action, resource", [
    ("trending_refresh", "s3:PutObject", f"arn:aws:s3:::{BUCKET}/{PREFIX}gifts/leaderboard-week.json"),
    ("gifts_leaderboard", "s3:PutObject", f"arn:aws:s3:::{BUCKET}/{PREFIX}index.json"),
    ("fold_counters", "s3:GetObject", f"arn:aws:s3:::{BUCKET}/{PREFIX}index.json"),
    ("fold_counters", "ssm:GetParameter", f"arn:aws:ssm:{REGION}:parameter/trendke/prod/JWT_SECRET"),
    ("ledger_check", "ssm:GetParameter", f"arn:aws:ssm:{REGION}:parameter/trendke/prod/STRIPE_SECRET_KEY"),
    ("uploads_sweep", "ses:SendEmail", f"arn:aws:ses:{REGION}:identity/trendke.co.ke"),
    ("api_handler", "logs:PutLogEvents",
     f"arn:aws:logs:{REGION}:log-group:/aws/lambda/trendke-api-prod-ledger_check:log-stream:x"),
    ("api_handler", "ssm:GetParameter", f"arn:aws:ssm:{REGION}:parameter/trendke/dev/JWT_SECRET"),
    ("api_handler", "s3:PutObject", f"arn:aws:s3:::another-bucket/{PREFIX}index.json"),
    ("api_handler", "kms:Decrypt", "*"),
])
def test_what_a_function_never_does_is_denied(name, action, resource):
    assert not allowed(POLICIES[name], action, resource)


def test_the_reach_finds_the_calls_and_secrets_it_should():
    """The analysis itself, on functions whose needs are known."""
    assert {"s3:PutObject", "s3:GetObject"} <= set(needed("trending_refresh"))
    assert "s3:PutObject" not in needed("api_handler") and "ses:SendEmail" in needed("api_handler")
    assert needed("fold_counters")["ssm:GetParameter"] == [
        f"arn:aws:ssm:{REGION}:parameter{CONFIGURED['DATABASE_URL']}"]


def test_removals_reach_the_public_objects_only_through_the_purge_function():
    """Issue 16 item 5: the API and the upload sweep take videos out of trending, yet may not
    write the trending objects; they may invoke the trending_purge function, which may."""
    purge_arn = f"arn:aws:lambda:{REGION}:function:{ENV['TRENDING_PURGE_FUNCTION']}"
    assert ENV["TRENDING_PURGE_FUNCTION"] == f"{CHALICE['app_name']}-prod-trending_purge"
    for name in ("api_handler", "uploads_sweep", "trending_refresh"):
        assert ROOT / "chalicelib/trending/purge_call.py" in _reach(name), name
        assert allowed(POLICIES[name], "lambda:InvokeFunction", purge_arn), name
        assert not allowed(POLICIES[name], "cloudfront:CreateInvalidation",
                           f"arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE1"), name
    for name in ("api_handler", "uploads_sweep"):
        assert REMOVAL not in _reach(name), name
        for key in TRENDING:
            assert not allowed(POLICIES[name], "s3:PutObject", f"arn:aws:s3:::{BUCKET}/{key}"), (name, key)
    assert not allowed(POLICIES["api_handler"], "lambda:InvokeFunction",
                       f"arn:aws:lambda:{REGION}:function:trendke-api-prod-ledger_check")
    purge = POLICIES["trending_purge"]
    assert REMOVAL in _reach("trending_purge") and _calls_store_writer(_reach("trending_purge"))
    for key in TRENDING:
        assert allowed(purge, "s3:PutObject", f"arn:aws:s3:::{BUCKET}/{key}"), key
    assert not allowed(purge, "s3:PutObject", f"arn:aws:s3:::{BUCKET}/{PREFIX}gifts/leaderboard-week.json")
    assert "ssm:GetParameter" not in _granted(purge)  # no secret, no database connection
    assert FUNCTIONS["trending_purge"]["reserved_concurrency"] == 1  # purges one at a time


def test_a_local_fallback_never_runs_in_production():
    """The reach leaves out a module's local fallback (tests/support/function_reach.py) only
    because prod sets the variable that selects the invocation instead."""
    for module, (function, variable) in LOCAL_FALLBACKS.items():
        source = (ROOT / module).read_text()
        assert f"def {function}(" in source and variable in source, module
        assert ENV.get(variable), variable
