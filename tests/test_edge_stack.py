"""The edge stack (infra/edge.yaml) and the prod package pass cfn-lint, and the distribution
behaves as the README's table says: which path goes to which origin, under which policy."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "infra" / "edge.yaml"
CHALICE = json.loads((ROOT / ".chalice" / "config.json").read_text())
PROD = CHALICE["stages"]["prod"]
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}


def _lint(path: Path) -> list:
    from cfnlint.api import lint_file

    return [f"{m.rule.id} {m.message} ({m.filename}:{m.linenumber})" for m in lint_file(path)]


@pytest.fixture(scope="module")
def template() -> dict:
    from cfnlint.decode import decode

    parsed, errors = decode(str(TEMPLATE_PATH))
    assert not errors, errors
    return parsed


@pytest.fixture(scope="module")
def distribution(template) -> dict:
    return template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]


def _managed(template, kind: str, name: str) -> str:
    return template["Mappings"]["Managed"][kind][name]


def _policy_name(template, ref) -> str:
    """A behaviour's policy id as the README names it: a managed policy or a resource."""
    if "Ref" in ref:
        return ref["Ref"]
    _, kind, name = ref["Fn::FindInMap"]
    return name


def _behaviours(distribution) -> dict:
    out = {"*": distribution["DefaultCacheBehavior"]}
    for behaviour in distribution["CacheBehaviors"]:
        out[behaviour["PathPattern"]] = behaviour
    return out


def is_shared(template, behaviour) -> bool:
    """A cached API behaviour whose key (and so what CloudFront forwards) has no
    Authorization: one entry for every reader."""
    ref = behaviour["CachePolicyId"]
    if "Ref" not in ref or behaviour["TargetOriginId"] != "api":
        return False
    config = template["Resources"][ref["Ref"]]["Properties"]["CachePolicyConfig"]
    return not config["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"].get("Headers")


def sample(path: str) -> str:
    """A concrete path for a route's template (`{id}` filled in)."""
    return re.sub(r"\{[^}]+\}", "abc123", path)


def _has_strip_function(behaviour) -> bool:
    return any(a["EventType"] == "viewer-request"
               and a["FunctionARN"]["Fn::GetAtt"][0] == "StripAuthorizationOnPublicReads"
               for a in behaviour.get("FunctionAssociations", []))


def stripped_reads(paths) -> set:
    """The paths whose GET loses Authorization in infra/public_reads.js (node runs the file)."""
    from tests.support import cloudfront_function

    paths = sorted(set(paths))
    out = cloudfront_function.run("public_reads.js", [
        {"uri": p, "headers": {"authorization": {"value": "Bearer t"}}} for p in paths])
    return {p for p, request in zip(paths, out) if "authorization" not in request["headers"]}


def strips_authorization_on_reads(behaviour, path: str, stripped: set) -> bool:
    """Whether a GET of `path` reaches the cache key without Authorization on this behaviour."""
    return _has_strip_function(behaviour) and path in stripped


def _readme_table() -> dict:
    text = (ROOT / "README.md").read_text()
    block = text.split("<!-- edge-behaviours:start -->")[1].split("<!-- edge-behaviours:end -->")[0]
    rows = {}
    for line in block.strip().splitlines()[2:]:
        path, origin, policy, methods, viewer = [c.strip() for c in line.strip("|").split("|")]
        path = "*" if path.startswith("default") else path.strip("`")
        wanted = ALL_METHODS if methods == "all" else {m.strip() for m in methods.split(",")}
        rows[path] = (origin, policy, wanted, viewer)
    return rows


def test_the_edge_template_passes_cfn_lint():
    assert _lint(TEMPLATE_PATH) == []


def test_behaviours_are_those_the_readme_lists_both_ways(template, distribution):
    readme, actual = _readme_table(), _behaviours(distribution)
    assert set(readme) == set(actual)
    for path, (origin, policy, methods, viewer) in readme.items():
        behaviour = actual[path]
        assert behaviour["TargetOriginId"] == origin, path
        assert _policy_name(template, behaviour["CachePolicyId"]) == policy, path
        assert set(behaviour["AllowedMethods"]) == methods, path
        assert behaviour["ViewerProtocolPolicy"] == viewer, path


def test_every_behaviour_is_https_only_and_compressed(distribution):
    for path, behaviour in _behaviours(distribution).items():
        assert behaviour["ViewerProtocolPolicy"] in ("redirect-to-https", "https-only"), path
        assert behaviour["Compress"] is True, path
        assert set(behaviour.get("CachedMethods", ["GET", "HEAD"])) <= {"GET", "HEAD"}, path


def test_authorization_never_reaches_a_shared_cached_answer(template, distribution):
    """On every API behaviour either nothing is cached, or Authorization is in the cache key
    (a token only ever matches an entry made for that token), or the behaviour is read-only
    and its routes ignore the caller. S3 never sees it."""
    resources = template["Resources"]
    disabled = _managed(template, "CachePolicy", "CachingDisabled")
    for path, behaviour in _behaviours(distribution).items():
        ref = behaviour["CachePolicyId"]
        if "Fn::FindInMap" in ref:
            assert template["Mappings"]["Managed"]["CachePolicy"][ref["Fn::FindInMap"][2]] == disabled
            continue
        config = resources[ref["Ref"]]["Properties"]["CachePolicyConfig"]
        params = config["ParametersInCacheKeyAndForwardedToOrigin"]
        assert config["MinTTL"] == 0, path  # the origin's no-store / private are honoured
        headers = params["HeadersConfig"].get("Headers", [])
        if is_shared(template, behaviour):
            # Read-only public lists: one entry for all; their routes read no identity
            # (test_every_route_of_the_app_is_served_by_a_behaviour_that_fits_it).
            assert headers == [] and config["DefaultTTL"] == 0, path
            assert set(behaviour["AllowedMethods"]) <= {"GET", "HEAD", "OPTIONS"}, path
        elif behaviour["TargetOriginId"] == "api":
            assert "Authorization" in headers, path
            assert config["DefaultTTL"] == 0, path  # no Cache-Control from the API: not cached
        else:
            assert headers == [] and set(behaviour["AllowedMethods"]) == {"GET", "HEAD"}, path
        assert params["EnableAcceptEncodingGzip"] and params["EnableAcceptEncodingBrotli"]


def test_writes_get_what_they_need_forwarded(template, distribution):
    resources = template["Resources"]
    default = distribution["DefaultCacheBehavior"]
    orp = resources[default["OriginRequestPolicyId"]["Ref"]]["Properties"]["OriginRequestPolicyConfig"]
    forwarded = {h.lower() for h in orp["HeadersConfig"]["Headers"]}
    assert {"idempotency-key", "x-cld-signature", "x-cld-timestamp", "content-type"} <= forwarded
    assert "host" not in forwarded  # API Gateway routes by its own host name
    assert "authorization" not in forwarded  # CloudFront refuses it here: it is in the key
    # Only the cache policy's allow-list reaches the API: a parameter outside the key could
    # change an answer shared by everyone (tests/test_edge_cache_keys.py).
    assert orp["QueryStringsConfig"]["QueryStringBehavior"] == "none"
    all_viewer = _managed(template, "OriginRequestPolicy", "AllViewerExceptHostHeader")
    for path, behaviour in _behaviours(distribution).items():
        if "Fn::FindInMap" in behaviour["CachePolicyId"]:  # caching disabled: forward all
            _, kind, name = behaviour["OriginRequestPolicyId"]["Fn::FindInMap"]
            assert template["Mappings"]["Managed"][kind][name] == all_viewer, path


def test_origins_api_gateway_over_tls_and_s3_through_oac(template, distribution):
    origins = {o["Id"]: o for o in distribution["Origins"]}
    api = origins["api"]
    assert api["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert api["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]
    assert api["OriginPath"] == {"Ref": "ApiStagePath"}
    params = template["Parameters"]
    assert params["ApiStagePath"]["Default"] == "/" + PROD["api_gateway_stage"]
    assert re.fullmatch(params["ApiDomainName"]["AllowedPattern"],
                        "abc123defg.execute-api.eu-west-1.amazonaws.com")

    s3 = origins["trending"]
    assert s3["OriginAccessControlId"] == {"Fn::GetAtt": ["TrendingOriginAccessControl", "Id"]}
    assert s3["S3OriginConfig"]["OriginAccessIdentity"] == ""
    oac = template["Resources"]["TrendingOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert (oac["SigningBehavior"], oac["SigningProtocol"]) == ("always", "sigv4")


def test_the_trending_path_matches_the_prefix_and_bucket_the_app_writes(template, distribution):
    env = PROD["environment_variables"]
    assert "/" + env["TRENDING_PREFIX"] + "*" in _behaviours(distribution)
    assert template["Parameters"]["TrendingBucketName"]["Default"] == env["TRENDING_BUCKET"]


def test_the_bucket_is_private_and_readable_only_by_this_distribution(template):
    resources = template["Resources"]
    bucket = resources["TrendingBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    statements = resources["TrendingBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    allows = {s["Action"]: s for s in statements if s["Effect"] == "Allow"}
    assert set(allows) == {"s3:GetObject", "s3:ListBucket"}
    for allow in allows.values():
        assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        source = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
        assert source.endswith(":distribution/${Distribution}")
    assert allows["s3:GetObject"]["Resource"]["Fn::Sub"].endswith("/trending/*")
    assert allows["s3:ListBucket"]["Resource"] == {"Fn::GetAtt": ["TrendingBucket", "Arn"]}
    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert denies and denies[0]["Condition"]["Bool"]["aws:SecureTransport"] == "false"


def test_a_custom_domain_requires_tls_1_2(distribution):
    cert = distribution["ViewerCertificate"]["Fn::If"]
    assert cert[0] == "HasCustomDomain"
    assert cert[1]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert cert[1]["SslSupportMethod"] == "sni-only"


@pytest.mark.slow
def test_chalice_package_for_prod_passes_cfn_lint(tmp_path):
    out = tmp_path / "prod"
    chalice = Path(sys.executable).parent / "chalice"
    subprocess.run([str(chalice), "package", "--stage", "prod", str(out)], cwd=ROOT,
                   env={**os.environ, "AWS_DEFAULT_REGION": "eu-west-1"},
                   check=True, capture_output=True, timeout=600)
    sam = out / "sam.json"
    assert _lint(sam) == []

    resources = json.loads(sam.read_text())["Resources"]
    api = resources["APIHandler"]["Properties"]
    wanted = PROD["lambda_functions"]["api_handler"]
    assert api["ReservedConcurrentExecutions"] == wanted["reserved_concurrency"]
    assert (api["MemorySize"], api["Timeout"]) == (wanted["lambda_memory_size"], wanted["lambda_timeout"])
    assert api["Tracing"] == "Active"
    assert not {"DATABASE_URL", "JWT_SECRET", "CLOUDINARY_URL"} & set(api["Environment"]["Variables"])
    # One role per function, each with its own policy file (tests/test_iam_policy.py).
    roles = [r for r in resources.values() if r["Type"] == "AWS::IAM::Role"]
    wanted_docs = sorted(json.dumps(json.loads((ROOT / ".chalice" / f["iam_policy_file"]).read_text()),
                                    sort_keys=True) for f in PROD["lambda_functions"].values())
    docs = sorted(json.dumps(p["PolicyDocument"], sort_keys=True)
                  for r in roles for p in r["Properties"]["Policies"])
    assert len(roles) == len(PROD["lambda_functions"]) and docs == wanted_docs
    print(f"\n[package prod] sam.json: {len(resources)} resources, cfn-lint clean")


def _serving_behaviour(distribution, path: str) -> dict:
    """The behaviour CloudFront picks for `path`: the first pattern that matches, in order."""
    from fnmatch import fnmatchcase

    for behaviour in distribution["CacheBehaviors"]:
        if fnmatchcase(path, behaviour["PathPattern"]):
            return behaviour
    return distribution["DefaultCacheBehavior"]


def test_every_route_of_the_app_is_served_by_a_behaviour_that_fits_it(template, distribution, chalice_app):
    """Each route's methods are allowed where CloudFront sends it; a route behind a shared
    (Authorization-free) cache entry never reads who is calling, nor does a read whose
    Authorization the edge strips (its declaration says auth=anonymous); nothing lands on S3."""
    from chalicelib.chalice_app import declare

    auth = {(r.method, r.path): r.auth for r in declare.routes()}
    stripped_paths = stripped_reads(sample(p) for p in chalice_app.routes)
    checked = stripped_checked = 0
    for template_path, entries in chalice_app.routes.items():
        behaviour = _serving_behaviour(distribution, sample(template_path))
        assert behaviour["TargetOriginId"] == "api", template_path
        methods = {m for m in entries if m != "OPTIONS"}
        assert methods <= set(behaviour["AllowedMethods"]), (template_path, behaviour.get("PathPattern"))
        if strips_authorization_on_reads(behaviour, sample(template_path), stripped_paths):
            for method in {"GET", "HEAD"} & methods:
                assert auth[(method, template_path)] == declare.ANONYMOUS, template_path
                stripped_checked += 1
        if is_shared(template, behaviour):
            for method in methods:
                assert auth[(method, template_path)] in (declare.ANONYMOUS, declare.WEBHOOK), template_path
            checked += 1
    assert checked >= 8  # the public lists really are behind the shared behaviours
    assert stripped_checked >= 8  # a video, comments, people and live reads lose the token


def test_every_api_answer_gets_cors_even_the_gateways_own_errors(template, distribution):
    behaviours = [distribution["DefaultCacheBehavior"], *distribution["CacheBehaviors"]]
    api = [b for b in behaviours if b["TargetOriginId"] == "api"]
    assert api and all(b.get("ResponseHeadersPolicyId") == {"Ref": "ApiResponseHeadersPolicy"} for b in api)
    cors = template["Resources"]["ApiResponseHeadersPolicy"]["Properties"][
        "ResponseHeadersPolicyConfig"]["CorsConfig"]
    assert cors["AccessControlAllowOrigins"]["Items"] == [{"Ref": "FrontendOrigin"}]
    assert cors["OriginOverride"] is False  # the app's own CORS headers win
    assert {"ETag", "Retry-After"} <= set(cors["AccessControlExposeHeaders"]["Items"])
