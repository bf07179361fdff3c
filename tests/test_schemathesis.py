"""Property-based API tests from the OpenAPI document, against the local stack's server (the
one `make dev` runs) with demo data: no 5xx, and every answer conforms to the document
(status code, content type, schema, headers).

Signed in, the ids in paths are real seeded ones, so success answers (likes, comments,
follows, uploads, ...) are exercised and checked against their schemas; anonymous, ids are
whatever schemathesis generates, which exercises the 400 and 404 answers.
"""
from __future__ import annotations

import copy
import json
import os
import urllib.request

import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance,
    status_code_conformance,
)

from chalicelib import config
from devtools.seed import SeedSizes, seed
from tests.conftest import auth_headers
from tests.support.live_server import live_server

# What the issue asks: no 5xx, and no answer that breaks the document. (Not schemathesis's
# opinions on acceptance: ids and cursors are opaque, so a schema-valid request may rightly be
# a documented 400 or 404; unknown query parameters are ignored, as HTTP APIs do.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


@pytest.fixture(autouse=True)
def clean_db():
    """The whole module shares one seeded database (overrides the per-test emptying)."""
    yield


@pytest.fixture(scope="module")
def world(database_url, _app_tables):
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in _app_tables) + " CASCADE")
        seed(conn, SeedSizes(users=30, videos=120, likes=600, comments=200, follows=100))
        me, other = conn.execute("SELECT id FROM users ORDER BY username LIMIT 2").fetchall()
        video = conn.execute("SELECT id FROM videos ORDER BY likes_count DESC LIMIT 1").fetchone()[0]
        comment = conn.execute("SELECT id FROM video_comments WHERE video_id = %s LIMIT 1",
                               (video,)).fetchone()
    return {"me": str(me[0]), "url": database_url, "user": str(other[0]), "video": str(video),
            "comment": str(comment[0]) if comment else str(video)}


@pytest.fixture(scope="module")
def base_url(world):
    from chalicelib.trending import writer

    from chalicelib.gifts import leaderboard
    from tests.support import pesapal_standin, stripe_standin

    writer.refresh()
    leaderboard.refresh()
    # The payment providers as loopback stand-ins: purchases and callbacks can succeed.
    with pesapal_standin.pesapal_standin() as (_, pesapal_base), \
            stripe_standin.stripe_standin() as (_, stripe_base):
        payment_env = {
            "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
            "PESAPAL_API_BASE": pesapal_base, "PESAPAL_CONSUMER_KEY": pesapal_standin.KEY,
            "PESAPAL_CONSUMER_SECRET": pesapal_standin.SECRET, "STRIPE_API_BASE": stripe_base,
            "STRIPE_SECRET_KEY": stripe_standin.API_KEY, "STRIPE_WEBHOOK_SECRET": stripe_standin.WEBHOOK_SECRET}
        os.environ.update(payment_env)
        config.reset()
        with live_server() as url:
            yield url
        for name in payment_env:
            os.environ.pop(name, None)
        config.reset()


def _document(base_url: str) -> dict:
    with urllib.request.urlopen(f"{base_url}/openapi.json", timeout=10) as answer:
        return json.load(answer)


def _with_real_ids(document: dict, world: dict) -> dict:
    """Pin every id in a path to a seeded row, so the calls can succeed."""
    doc = copy.deepcopy(document)
    for path, methods in doc["paths"].items():
        for operation in methods.values():
            for param in operation.get("parameters", []):
                if param["in"] != "path":
                    continue
                if param["name"] == "tag":
                    value = "kenya"
                elif "/comments/" in path:
                    value = world["comment"]
                elif param["name"] == "user_id" or path.startswith("/v1/users/"):
                    value = world["user"]
                else:
                    value = world["video"]
                param["schema"] = {"type": "string", "enum": [value]}
    return doc


@pytest.fixture(scope="module")
def anonymous_schema(base_url):
    return schemathesis.openapi.from_dict(_document(base_url))


@pytest.fixture(scope="module")
def signed_in_schema(base_url, world):
    return schemathesis.openapi.from_dict(_with_real_ids(_document(base_url), world))


@schemathesis.pytest.from_fixture("signed_in_schema").parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_signed_in_calls_conform_to_the_document(case, world, base_url):
    # A token of the user's current version: POST /auth/logout-all revokes the older ones.
    with psycopg.connect(world["url"], autocommit=True) as conn:
        version = conn.execute("SELECT token_version FROM users WHERE id = %s", (world["me"],)).fetchone()[0]
    case.call_and_validate(base_url=base_url, headers=auth_headers(world["me"], ver=version), checks=CHECKS)


@schemathesis.pytest.from_fixture("anonymous_schema").parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous_calls_conform_to_the_document(case, base_url):
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.call_and_validate(base_url=base_url, checks=CHECKS)


def test_stateful_call_sequences_conform_to_the_document(base_url, world):
    """Sequences of calls chained by links schemathesis infers from the document (an answer's
    id into the routes that take it: a comment posted, then deleted; an upload started, then
    its video read and deleted; ...), signed in: no 5xx and every answer as documented."""
    schema = schemathesis.openapi.from_dict(_document(base_url))
    machine = schema.as_state_machine()
    links = schema.statistic.transitions.total
    assert links >= 10, f"only {links} links inferred: the sequences would prove little"
    with psycopg.connect(world["url"], autocommit=True) as conn:
        version = conn.execute("SELECT token_version FROM users WHERE id = %s", (world["me"],)).fetchone()[0]
    headers = auth_headers(world["me"], ver=version)

    class SignedIn(machine):  # type: ignore[misc, valid-type]
        def setup(self):
            # Each scenario starts with no rate-limit hits: the calls before it (the other
            # tests of this module, earlier scenarios) would otherwise turn the same sequence's
            # answers into 429s at random, and Hypothesis refuses a generation whose course
            # depends on outside state (FlakyStrategyDefinition: the links follow the answers).
            with psycopg.connect(world["url"], autocommit=True) as conn:
                conn.execute("DELETE FROM rate_limits")
                conn.execute("DELETE FROM auth_failures")

        def get_call_kwargs(self, case):
            return {"base_url": base_url, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    SignedIn.run(settings=settings(max_examples=40, stateful_step_count=6, deadline=None,
                                   suppress_health_check=list(HealthCheck)))
