"""Secrets from SSM Parameter Store (prod) or plain variables (dev, tests): chalicelib/config."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib import config
from chalicelib.auth import mint_token
from chalicelib.errors import ServiceUnavailable

ROOT = Path(__file__).resolve().parent.parent
STAGES = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]
PARAM = "/trendke/test/JWT_SECRET"


@pytest.fixture
def ssm(monkeypatch):
    """A fake SSM (moto) and a fresh Powertools cache, as in a new execution environment."""
    import boto3
    from aws_lambda_powertools.utilities.parameters import base
    from moto import mock_aws

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        base.clear_caches()
        config._last_known.clear()
        yield boto3.client("ssm", region_name="eu-west-1")
        base.clear_caches()
        config._last_known.clear()


def _provider_calls():
    """Count the GetParameter calls the Powertools provider's own client makes from now on."""
    from aws_lambda_powertools.utilities.parameters.constants import DEFAULT_PROVIDERS

    calls = []
    DEFAULT_PROVIDERS["ssm"].client.meta.events.register(
        "before-call.ssm.GetParameter", lambda **kw: calls.append(kw["params"]["Name"]))
    return calls


def test_a_secret_named_by_parameter_is_fetched_once_and_cached(ssm, settings_env):
    ssm.put_parameter(Name=PARAM, Value="from-ssm-1", Type="SecureString")
    cfg = settings_env(JWT_SECRET=None, JWT_SECRET_SSM_PARAMETER=PARAM)

    assert cfg.jwt_secret == "from-ssm-1"
    calls = _provider_calls()
    ssm.put_parameter(Name=PARAM, Value="from-ssm-2", Type="SecureString", Overwrite=True)
    config.reset()  # settings re-read: the fetched value is cached per environment, not per read
    assert [config.settings().jwt_secret for _ in range(5)] == ["from-ssm-1"] * 5
    assert calls == []

    # A new execution environment (empty cache) sees the rotated value.
    from aws_lambda_powertools.utilities.parameters import base

    base.clear_caches()
    assert config.settings().jwt_secret == "from-ssm-2"


def test_a_request_is_verified_with_the_secret_from_ssm(ssm, settings_env, client, make_user):
    ssm.put_parameter(Name=PARAM, Value="prod-like-secret-" + "x" * 32, Type="SecureString")
    settings_env(JWT_SECRET=None, JWT_SECRET_SSM_PARAMETER=PARAM)
    user = make_user()

    good = mint_token(str(user["id"]), "prod-like-secret-" + "x" * 32)
    dev = mint_token(str(user["id"]), config.DEV_JWT_SECRET)
    assert client.http.get("/v1/me", headers={"Authorization": f"Bearer {good}"}).status_code == 200
    assert client.http.get("/v1/me", headers={"Authorization": f"Bearer {dev}"}).status_code == 401


def test_an_unreachable_parameter_is_a_503_not_a_crash(ssm, settings_env):
    cfg = settings_env(JWT_SECRET=None, JWT_SECRET_SSM_PARAMETER="/trendke/test/missing")
    with pytest.raises(ServiceUnavailable):
        cfg.jwt_secret


def test_a_failed_refresh_keeps_the_value_this_environment_knew(ssm, settings_env):
    from aws_lambda_powertools.utilities.parameters import base

    ssm.put_parameter(Name=PARAM, Value="known", Type="SecureString")
    cfg = settings_env(JWT_SECRET=None, JWT_SECRET_SSM_PARAMETER=PARAM)
    assert cfg.jwt_secret == "known"
    ssm.delete_parameter(Name=PARAM)
    base.clear_caches()  # the cached value expired: the next read goes to SSM, which fails
    assert cfg.jwt_secret == "known"


def test_the_viewer_key_secret_falls_back_to_the_jwt_secret_from_ssm(ssm, settings_env):
    """With secrets in SSM no plain JWT_SECRET variable exists; the derived keys still come
    from the real secret, never from a built-in constant."""
    ssm.put_parameter(Name=PARAM, Value="from-ssm-jwt", Type="SecureString")
    cfg = settings_env(JWT_SECRET=None, JWT_SECRET_SSM_PARAMETER=PARAM, VIEWER_KEY_SECRET=None)
    import hashlib
    import hmac

    from chalicelib.engagement import viewer

    assert cfg.viewer_key_secret is None
    derived = hmac.new(b"from-ssm-jwt", b"trendke viewer key v1", hashlib.sha256).digest()
    assert viewer._secret() == derived  # a sub-key of the real secret, not the secret itself
    assert settings_env(VIEWER_KEY_SECRET="own-viewer-secret").viewer_key_secret == "own-viewer-secret"
    assert viewer._secret() == b"own-viewer-secret"


def test_secrets_stay_out_of_the_settings_repr(settings_env):
    cfg = settings_env(JWT_SECRET="very-secret-value-1234")
    assert cfg.jwt_secret == "very-secret-value-1234"
    assert "very-secret-value-1234" not in repr(cfg)


def test_the_dev_stage_needs_no_aws_at_all():
    """The dev stage's variables alone: secrets resolve with no SSM, boto3 or Powertools."""
    probe = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise AssertionError('network touched')\n"
        "socket.socket.connect = refuse\n"
        "from chalicelib.config import settings\n"
        "cfg = settings()\n"
        "print(bool(cfg.jwt_secret), bool(cfg.cloudinary_url), cfg.database_url,\n"
        "      sorted(m for m in ('boto3', 'botocore', 'aws_lambda_powertools') if m in sys.modules))\n"
    )
    env = {"PATH": "", **STAGES["dev"]["environment_variables"]}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True True None []"


def test_prod_names_parameters_and_holds_no_secret_value():
    prod = STAGES["prod"]["environment_variables"]
    for name in config.SECRET_NAMES:
        assert name not in prod
    # Required; CURSOR_SECRET and VIEWER_KEY_SECRET are optional (derived from JWT_SECRET).
    for name in ("DATABASE_URL", "JWT_SECRET", "CLOUDINARY_URL"):
        assert prod[name + config.SECRET_PARAMETER_SUFFIX].startswith("/trendke/prod/")
    dev = STAGES["dev"]["environment_variables"]
    assert not any(k.endswith(config.SECRET_PARAMETER_SUFFIX) for k in dev)
