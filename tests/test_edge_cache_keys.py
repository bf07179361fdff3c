"""Issue 15, items 2, 4 and 9 at the edge (infra/edge.yaml): cache keys hold exactly the query
parameters the routes behind them read, public reads do not vary by token, error answers are
not cached by CloudFront, and the API origin gets the origin secret."""
from __future__ import annotations

import inspect

import pytest

from tests.conftest import auth_headers
from tests.support.query_reads import ALL, reads_of_routes
from tests.test_edge_stack import (IDENTITY_READERS, _behaviours, _serving_behaviour, distribution,  # noqa: F401
                                   is_shared, strips_authorization_on_reads, template)

# Routes that take every parameter they are sent (and refuse unknown ones) with the names
# they accept; none is a GET, so none is cached: the allow-list only has to forward them.
READS_EVERYTHING = {("POST", "/auth/2fa/send-code"): {"email"}}
# Documentation for people, not the frontend: a token in the key costs nothing there.
NOT_FOR_THE_FRONTEND = {"/", "/docs", "/openapi.json"}
CALLER_READERS = (*IDENTITY_READERS, "signed_in_profile(")


def _policy(template, behaviour):
    ref = behaviour["CachePolicyId"]
    return None if "Ref" not in ref else template["Resources"][ref["Ref"]]["Properties"]["CachePolicyConfig"]


def _allow_list(config) -> set:
    qs = config["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"]
    assert qs["QueryStringBehavior"] in ("none", "whitelist"), "never 'all': any ?x= would bust the cache"
    return set(qs.get("QueryStrings", []))


@pytest.fixture(scope="module")
def reads(chalice_app, database_url):
    monkeypatch = pytest.MonkeyPatch()
    try:
        from tests.support.trending import make_users
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            user = conn.execute("INSERT INTO users (email, username, password_hash) VALUES"
                                " ('probe@example.test', 'probe_user', '!') RETURNING id").fetchone()[0]
        del make_users
        return reads_of_routes(chalice_app, monkeypatch, auth_headers(user))
    finally:
        monkeypatch.undo()


def test_every_cached_path_keys_on_exactly_the_parameters_its_routes_read(template, distribution, chalice_app, reads):
    wanted: dict = {}
    for (method, route), names in reads.items():
        behaviour = _serving_behaviour(distribution, route.replace("{", "").replace("}", ""))
        if _policy(template, behaviour) is None:
            continue  # caching disabled: everything is forwarded, nothing is stored
        if ALL in names:
            assert method != "GET", route
            names = READS_EVERYTHING[(method, route)]
        wanted.setdefault(behaviour.get("PathPattern", "*"), set()).update(names)
    assert len(wanted) >= 10
    for path, behaviour in _behaviours(distribution).items():
        config = _policy(template, behaviour)
        if config is None or behaviour["TargetOriginId"] != "api":
            continue
        assert _allow_list(config) == wanted.get(path, set()), path


def test_the_probe_sees_what_the_routes_read(reads):
    """The recorder itself: known reads are found (else the test above proves nothing)."""
    assert reads[("GET", "/videos/feed")] == {"limit", "offset"}
    assert reads[("GET", "/v1/feed")] == {"cursor", "limit"}
    assert reads[("GET", "/v1/gifts/leaderboard")] == {"limit", "period"}
    assert ALL in reads[("POST", "/auth/2fa/send-code")]


def test_public_reads_do_not_vary_by_token(template, distribution, chalice_app):
    """A GET that never reads the caller is served without Authorization in its key (a shared
    behaviour, or one that strips the header on reads): signed-in readers hit the CDN."""
    checked = 0
    for route, entries in chalice_app.routes.items():
        view = entries.get("GET")
        if view is None or route in NOT_FOR_THE_FRONTEND:
            continue
        source = inspect.getsource(view.view_function).lower()
        if any(reader in source for reader in CALLER_READERS) or "_video(" in source:
            continue  # depends on the caller (the owner sees a pending video of theirs)
        behaviour = _serving_behaviour(distribution, route.replace("{", "").replace("}", ""))
        if _policy(template, behaviour) is None:
            continue
        assert is_shared(template, behaviour) or strips_authorization_on_reads(behaviour), route
        checked += 1
    assert checked >= 15


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
