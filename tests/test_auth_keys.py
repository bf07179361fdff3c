"""Supabase-style tokens (issue 15, item 8): issuer and role checked, JWKS keys that expire,
rotate and get revoked, and malformed headers answering 401 (never 500). Real signed
tokens, keys served by a loopback HTTP server (tests/support/jwks_server.py)."""
from __future__ import annotations

import base64
import json
import time
import uuid

import jwt
import pytest

from chalicelib import jwks
from tests.support.jwks_server import ISSUER, jwks_server  # noqa: F401 (a fixture)


def _me(client, token):
    response = client.http.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, json.loads(response.body or b"{}").get("detail")


def _claims(**extra) -> dict:
    now = int(time.time())
    return {"sub": str(uuid.uuid4()), "iat": now, "exp": now + 600, "iss": ISSUER,
            "role": "authenticated", "aud": "authenticated", **extra}


def _es256(keys, kid="ec-1", key=None, **claims) -> str:
    return jwt.encode(_claims(**claims), key or keys.ec_key, algorithm="ES256", headers={"kid": kid})


def _b64(part) -> str:
    raw = part if isinstance(part, bytes) else json.dumps(part).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _hand_signed_es256(keys, header: dict) -> str:
    signing_input = _b64({"alg": "ES256", "typ": "JWT", **header}) + "." + _b64(_claims())
    algorithm = jwt.algorithms.ECAlgorithm(jwt.algorithms.ECAlgorithm.SHA256)
    return signing_input + "." + _b64(algorithm.sign(signing_input.encode(), keys.ec_key))


@pytest.fixture
def supabase(settings_env, jwks_server, monkeypatch):
    keys, url = jwks_server
    clock = [1000.0]
    monkeypatch.setattr(jwks, "_now", lambda: clock[0])
    settings_env(JWT_ALGORITHM="ES256", JWT_JWKS_URL=url, JWT_AUDIENCE="authenticated", JWT_ISSUER=ISSUER)
    return keys, clock


def test_issuer_and_role_are_checked(client, supabase):
    keys, _ = supabase
    assert _me(client, _es256(keys))[0] == 200
    assert _me(client, _es256(keys, iss="https://evil.supabase.co/auth/v1")) == (401, "Token issuer is not accepted")
    no_iss = _claims()
    del no_iss["iss"]
    assert _me(client, jwt.encode(no_iss, keys.ec_key, algorithm="ES256", headers={"kid": "ec-1"}))[0] == 401
    for role in ("anon", "service_role", None):
        assert _me(client, _es256(keys, role=role)) == (401, "Token role is not accepted")


def test_supabase_keys_without_an_issuer_configured_are_a_503(client, supabase, settings_env):
    keys, _ = supabase
    settings_env(JWT_ISSUER=None)
    assert _me(client, _es256(keys))[0] == 503


def test_the_issuer_is_checked_on_hs256_tokens_too_when_configured(client, settings_env):
    from chalicelib import config

    settings_env(JWT_ISSUER=ISSUER)
    good = jwt.encode({**_claims(), "aud": None}, config.DEV_JWT_SECRET, algorithm="HS256")
    other = jwt.encode({**_claims(iss="https://other"), "aud": None}, config.DEV_JWT_SECRET, algorithm="HS256")
    assert _me(client, good)[0] == 200
    assert _me(client, other) == (401, "Token issuer is not accepted")


def test_a_revoked_key_stops_verifying_once_the_key_set_expires(client, supabase):
    keys, clock = supabase
    assert _me(client, _es256(keys))[0] == 200
    keys.served = ["rsa-1"]  # ec-1 revoked at the key server
    clock[0] += jwks.JWKS_TTL_S - 1
    assert _me(client, _es256(keys))[0] == 200  # still cached
    clock[0] += 2
    assert _me(client, _es256(keys)) == (401, "Token is not signed by a known key")
    assert keys.requests == 2


def test_a_new_key_id_refetches_at_most_once_per_interval(client, supabase):
    keys, clock = supabase
    assert _me(client, _es256(keys))[0] == 200
    keys.served = ["ec-1", "ec-2"]  # a rotation
    rotated = _es256(keys, kid="ec-2", key=keys.ec_key_2)
    for i in range(50):  # an attacker's loop of made-up key ids: no loop of fetches
        assert _me(client, _es256(keys, kid=f"made-up-{i}"))[0] == 401
    assert _me(client, rotated)[0] == 401  # within the interval: not fetched yet
    assert keys.requests == 1
    clock[0] += jwks.JWKS_REFETCH_S
    assert _me(client, rotated)[0] == 200
    assert _me(client, _es256(keys, kid="made-up-again"))[0] == 401
    assert keys.requests == 2


def test_known_keys_outlive_a_key_server_outage_but_not_forever(client, supabase):
    keys, clock = supabase
    assert _me(client, _es256(keys))[0] == 200
    keys.fail = True
    clock[0] += jwks.JWKS_TTL_S + 1
    assert _me(client, _es256(keys))[0] == 200  # the refetch failed; the known keys serve
    clock[0] += jwks.JWKS_TTL_S
    assert _me(client, _es256(keys))[0] == 503
    keys.fail = False
    clock[0] += jwks.JWKS_REFETCH_S
    assert _me(client, _es256(keys))[0] == 200


@pytest.mark.parametrize("header", [
    {"kid": 5}, {"kid": ["ec-1"]}, {"kid": {"id": "ec-1"}}, {"kid": None}, {"kid": ""}, {},
    {"kid": "ec-1", "crit": ["exp"]}, {"kid": "ec-1", "crit": "b64"}, {"kid": "ec-1", "crit": [7]},
    {"kid": "ec-1", "crit": []},
])
def test_malformed_headers_are_401_not_500(client, supabase, header):
    keys, _ = supabase
    assert _me(client, _hand_signed_es256(keys, header))[0] == 401


@pytest.mark.parametrize("token", [
    _b64(b"not json") + "." + _b64({"sub": "x"}) + ".sig",
    _b64([1, 2]) + "." + _b64({"sub": "x"}) + ".sig",
    "a.b.c",
])
@pytest.mark.parametrize("alg", ["HS256", "ES256"])
def test_garbage_headers_are_401_with_either_algorithm(client, supabase, settings_env, token, alg):
    settings_env(JWT_ALGORITHM=alg)
    assert _me(client, token)[0] == 401


def test_a_bad_crit_on_an_hs256_token_is_401(client):
    from chalicelib import config

    token = jwt.encode(_claims(aud=None), config.DEV_JWT_SECRET, algorithm="HS256", headers={"crit": ["exp"]})
    assert _me(client, token)[0] == 401
