"""Issue 15, item 2: CloudFront is the only way in. Every origin request carries the secret
header CloudFront adds (infra/edge.yaml); the API Gateway URL answers anyone else 403 before
any route, database or token work. Rotation: the current and the previous value both pass."""
from __future__ import annotations

import pytest

from chalicelib.chalice_app import origin
from tests.conftest import auth_headers
from tests.test_secrets import ssm  # noqa: F401 - the moto SSM fixture

HEADER = origin.ORIGIN_HEADER


@pytest.fixture
def checked(settings_env):
    return settings_env(ORIGIN_CHECK="on", ORIGIN_SECRET="s3cret-current,s3cret-previous",
                        ORIGIN_SECRET_SSM_PARAMETER=None)


@pytest.mark.parametrize("path", ["/health", "/v1/feed", "/videos/feed", "/v1/me"])
def test_a_caller_without_the_header_is_refused_everywhere(client, checked, path):
    for headers in ({}, {HEADER: "guess"}, {HEADER: ""}, {HEADER: "s3cret-current,s3cret-previous"}):
        response = client.http.get(path, headers=headers)
        assert response.status_code == 403, (path, headers)
        assert response.json_body == {"detail": "Forbidden"}  # no hint of why
        assert response.headers["Cache-Control"].startswith("no-store")


def test_the_current_and_the_previous_secret_both_pass(client, checked):
    for secret in ("s3cret-current", "s3cret-previous"):
        assert client.http.get("/health", headers={HEADER: secret}).status_code == 200


def test_a_stranger_with_a_token_is_refused_too(client, checked, make_user):
    response = client.http.get("/v1/me", headers=auth_headers(make_user()["id"]))
    assert response.status_code == 403


def test_on_without_a_secret_is_a_503_not_an_open_door(client, settings_env):
    settings_env(ORIGIN_CHECK="on", ORIGIN_SECRET=None, ORIGIN_SECRET_SSM_PARAMETER=None)
    assert client.http.get("/health", headers={HEADER: ""}).status_code == 503


def test_on_by_default_except_in_dev(settings_env):
    assert settings_env(ORIGIN_CHECK=None, STAGE="prod").origin_check is True
    assert settings_env(ORIGIN_CHECK=None, STAGE="test").origin_check is True
    assert settings_env(ORIGIN_CHECK=None, STAGE="dev").origin_check is False
    assert settings_env(ORIGIN_CHECK="off", STAGE="prod").origin_check is False


def test_the_secret_comes_from_ssm_once_and_a_rotation_is_picked_up(client, ssm, settings_env):  # noqa: F811
    from aws_lambda_powertools.utilities.parameters import base

    name = "/trendke/test/ORIGIN_SECRET"
    ssm.put_parameter(Name=name, Value="first", Type="SecureString")
    settings_env(ORIGIN_CHECK="on", ORIGIN_SECRET=None, ORIGIN_SECRET_SSM_PARAMETER=name)
    assert client.http.get("/health", headers={HEADER: "first"}).status_code == 200
    # Step 1 of a rotation: SSM holds "new,old"; environments refresh within SECRET_MAX_AGE_S
    # (the cache expiring is simulated here), and CloudFront still sends the old one.
    ssm.put_parameter(Name=name, Value="second,first", Type="SecureString", Overwrite=True)
    assert client.http.get("/health", headers={HEADER: "first"}).status_code == 200  # cached
    base.clear_caches()
    assert client.http.get("/health", headers={HEADER: "first"}).status_code == 200
    assert client.http.get("/health", headers={HEADER: "second"}).status_code == 200
    # Step 3, once CloudFront sends the new one: the old one is dropped.
    ssm.put_parameter(Name=name, Value="second", Type="SecureString", Overwrite=True)
    base.clear_caches()
    assert client.http.get("/health", headers={HEADER: "first"}).status_code == 403


def test_every_accepted_value_is_compared_in_constant_time(monkeypatch):
    import hmac

    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append(b) or real(a, b))
    assert origin.matches("one", ("one", "two")) is True
    assert compared == [b"one", b"two"]  # no early exit on the first match
    assert origin.matches("three", ("one", "two")) is False


def test_prod_reads_the_secret_from_ssm_and_may_read_that_parameter():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    prod = json.loads((root / ".chalice" / "config.json").read_text())["stages"]["prod"]
    env = prod["environment_variables"]
    assert "ORIGIN_SECRET" not in env and "ORIGIN_CHECK" not in env  # on, from SSM
    assert env["ORIGIN_SECRET_SSM_PARAMETER"] == "/trendke/prod/ORIGIN_SECRET"
