"""Issue 15, items 2, 4 and 9 at the edge (infra/edge.yaml): cache keys hold exactly the query
parameters the routes behind them read, public reads do not vary by token, error answers are
not cached by CloudFront, and the API origin gets the origin secret."""
from __future__ import annotations

import pytest

from chalicelib.chalice_app import declare
from tests.test_edge_stack import (_behaviours, _serving_behaviour, distribution,  # noqa: F401
                                   is_shared, sample, stripped_reads, strips_authorization_on_reads,
                                   template)

# Documentation for people, not the frontend: a token in the key costs nothing there.
NOT_FOR_THE_FRONTEND = {"/", "/docs", "/openapi.json"}


def _policy(template, behaviour):
    ref = behaviour["CachePolicyId"]
    return None if "Ref" not in ref else template["Resources"][ref["Ref"]]["Properties"]["CachePolicyConfig"]


def _allow_list(config) -> set:
    qs = config["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"]
    assert qs["QueryStringBehavior"] in ("none", "whitelist"), "never 'all': any ?x= would bust the cache"
    return set(qs.get("QueryStrings", []))


def _served_by(distribution, path: str) -> dict:
    return _serving_behaviour(distribution, sample(path))


def test_every_cached_path_keys_on_exactly_the_parameters_its_routes_declare(template, distribution, chalice_app):
    """The declarations' query models (declare.routes) are the routes' reads: a cached
    behaviour's allow-list is the union of what the routes it serves declare."""
    wanted: dict = {}
    for route in declare.routes():
        behaviour = _served_by(distribution, route.path)
        if _policy(template, behaviour) is None:
            continue  # caching disabled: everything is forwarded, nothing is stored
        wanted.setdefault(behaviour.get("PathPattern", "*"), set()).update(route.query_names)
    assert len(wanted) >= 10
    for path, behaviour in _behaviours(distribution).items():
        config = _policy(template, behaviour)
        if config is None or behaviour["TargetOriginId"] != "api":
            continue
        assert _allow_list(config) == wanted.get(path, set()), path


def test_the_declarations_name_what_known_routes_read():
    """The source of the allow-lists itself (else the test above proves nothing)."""
    names = {(r.method, r.path): set(r.query_names) for r in declare.routes()}
    assert names[("GET", "/videos/feed")] == {"limit", "offset"}
    assert names[("GET", "/v1/feed")] == {"cursor", "limit"}
    assert names[("GET", "/v1/gifts/leaderboard")] == {"limit", "period"}


def test_public_reads_do_not_vary_by_token(template, distribution, chalice_app):
    """A cached GET that never reads the caller (declared auth=anonymous) is served without
    Authorization in its key (a shared behaviour, or one that strips the header on reads):
    signed-in readers hit the CDN."""
    routes = [r for r in declare.routes() if r.cache is not None and r.path not in NOT_FOR_THE_FRONTEND]
    stripped = stripped_reads(sample(r.path) for r in routes)
    checked = 0
    for route in routes:
        # Every cached route answers the same to everybody (a cached answer is public).
        assert route.auth == declare.ANONYMOUS, route.path
        behaviour = _served_by(distribution, route.path)
        assert _policy(template, behaviour) is not None, route.path
        assert is_shared(template, behaviour) or strips_authorization_on_reads(
            behaviour, sample(route.path), stripped), route.path
        checked += 1
    assert checked >= 20


def test_the_edge_table_is_the_declared_cached_routes():
    rows = declare.edge_table()
    assert {(r["method"], r["path"]) for r in rows} == {
        (r.method, r.path) for r in declare.routes() if r.cache is not None}
    assert all(row["method"] == "GET" and row["s_maxage"] > 0 for row in rows)


def test_cloudfront_caches_no_error_answer(distribution):
    errors = {e["ErrorCode"]: e for e in distribution["CustomErrorResponses"]}
    assert {400, 403, 404, 500, 502, 503, 504} <= set(errors)
    for code, entry in errors.items():
        assert entry["ErrorCachingMinTTL"] == 0, code
        assert "ResponsePagePath" not in entry  # the API's own {"detail": ...} answer stays


def test_the_api_origin_carries_the_origin_secret(template, distribution):
    api = {o["Id"]: o for o in distribution["Origins"]}["api"]
    headers = {h["HeaderName"]: h["HeaderValue"] for h in api["OriginCustomHeaders"]}
    assert headers == {"X-Origin-Verify": {"Ref": "OriginVerifySecret"}}
    param = template["Parameters"]["OriginVerifySecret"]
    assert param["NoEcho"] is True and param["MinLength"] >= 32
