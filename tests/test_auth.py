"""Bearer tokens (contract section 4): HS256, JWKS (ES256 / RS256), and every way to fail."""
from __future__ import annotations

import base64
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib import config
from tests.conftest import auth_headers
from tests.support import jwks_server as jwks_server_kit
from tests.support.jwks_server import jwks_server  # noqa: F401 (a fixture)


def _me(client, headers=None):
    response = client.http.get("/v1/me", headers=headers or {})
    return response.status_code, json.loads(response.body or b"{}")


def _hs(payload: dict, secret: str = config.DEV_JWT_SECRET, **header) -> str:
    return jwt.encode(payload, secret, algorithm="HS256", headers=header or None)


def _claims(sub=None, **extra) -> dict:
    now = int(time.time())
    return {"sub": str(sub or uuid.uuid4()), "iat": now, "exp": now + 600, **extra}


def test_valid_token_of_a_known_user(client, make_user):
    user = make_user("amina")
    status, body = _me(client, auth_headers(user["id"]))
    assert status == 200
    assert body["username"] == "amina"
    assert body["id"] == str(user["id"])


def _assert_unusable_bcrypt(stored: str) -> None:
    """A well-formed bcrypt hash (the current backend's check runs on it without raising)
    that none of the obvious passwords matches."""
    import bcrypt

    assert stored.startswith("$2b$12$") and len(stored) == 60, stored
    for guess in (b"", b"!", b"password", b"wanjiku", b"wanjiku@example.ke"):
        assert bcrypt.checkpw(guess, stored.encode()) is False


def test_unknown_sub_gets_a_profile_on_first_use(client, sql):
    sub = str(uuid.uuid4())
    headers = auth_headers(sub, email="wanjiku@example.ke", user_metadata={"username": "Wanjiku!"})
    status, body = _me(client, headers)
    assert status == 200
    assert body["id"] == sub and body["username"] == "wanjiku"
    rows = sql("SELECT email, password_hash FROM users WHERE id = %s", (sub,))
    assert [r["email"] for r in rows] == ["wanjiku@example.ke"]
    _assert_unusable_bcrypt(rows[0]["password_hash"])

    # the second call finds it and does not make another
    assert _me(client, headers)[0] == 200
    assert sql("SELECT count(*) AS n FROM users")[0]["n"] == 1


def test_first_use_with_a_taken_username_still_gets_a_profile(client, make_user, sql):
    make_user("wanjiku", email="other@example.ke")
    sub = str(uuid.uuid4())
    status, body = _me(client, auth_headers(sub, email="other@example.ke", preferred_username="wanjiku"))
    assert status == 200
    assert body["username"].startswith("user_")
    assert sql("SELECT count(*) AS n FROM users")[0]["n"] == 2


@pytest.mark.parametrize(
    "headers, detail_part",
    [
        ({}, "Not authenticated"),
        ({"Authorization": "Basic abc"}, "Bearer"),
        ({"Authorization": "Bearer "}, "Bearer"),
        ({"Authorization": "Bearer not.a.jwt"}, "Invalid token"),
        ({"Authorization": "Bearer abc"}, "Invalid token"),
    ],
)
def test_missing_and_malformed_tokens_are_401(client, headers, detail_part):
    status, body = _me(client, headers)
    assert status == 401
    assert detail_part in body["detail"]


def test_expired_token_is_401(client):
    token = _hs({**_claims(), "exp": int(time.time()) - 3600})
    status, body = _me(client, {"Authorization": f"Bearer {token}"})
    assert (status, body["detail"]) == (401, "Token has expired")


def test_wrong_secret_is_401(client):
    token = _hs(_claims(), secret="somebody-elses-secret-of-32-bytes-or-more")
    assert _me(client, {"Authorization": f"Bearer {token}"})[0] == 401


def _b64(part) -> str:
    raw = part if isinstance(part, bytes) else json.dumps(part).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _hand_signed_hs256(claims: dict, secret: bytes, kid: str) -> str:
    import hashlib
    import hmac

    signing_input = _b64({"alg": "HS256", "typ": "JWT", "kid": kid}) + "." + _b64(claims)
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def test_alg_none_is_401(client):
    token = _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(_claims()) + "."
    assert _me(client, {"Authorization": f"Bearer {token}"})[0] == 401


def test_token_without_exp_or_with_a_non_uuid_sub_is_401(client):
    no_exp = _hs({"sub": str(uuid.uuid4())})
    assert _me(client, {"Authorization": f"Bearer {no_exp}"})[0] == 401
    bad_sub = _hs(_claims(sub="admin"))
    status, body = _me(client, {"Authorization": f"Bearer {bad_sub}"})
    assert (status, body["detail"]) == (401, "Token subject is not a user id")


def test_audience_is_checked_when_configured(client, settings_env):
    settings_env(JWT_AUDIENCE="authenticated")
    good = _hs(_claims(aud="authenticated"))
    wrong = _hs(_claims(aud="anon"))
    missing = _hs(_claims())
    assert _me(client, {"Authorization": f"Bearer {good}"})[0] == 200
    assert _me(client, {"Authorization": f"Bearer {wrong}"}) == (401, {"detail": "Token audience is not accepted"})
    assert _me(client, {"Authorization": f"Bearer {missing}"})[0] == 401


# ---- JWKS: a key set served by a real HTTP server on loopback -------------------------
# (tests/support/jwks_server.py; Supabase's tokens carry its issuer and role `authenticated`)

ISS = jwks_server_kit.ISSUER


@pytest.mark.parametrize("alg, kid", [("ES256", "ec-1"), ("RS256", "rsa-1")])
def test_jwks_tokens_are_verified_and_the_key_set_is_cached(client, settings_env, jwks_server, alg, kid):
    keys, url = jwks_server
    settings_env(JWT_ALGORITHM=alg, JWT_JWKS_URL=url, JWT_AUDIENCE="authenticated", JWT_ISSUER=ISS)
    private = keys.ec_key if alg == "ES256" else keys.rsa_key
    for _ in range(3):
        token = jwt.encode(_claims(aud="authenticated", iss=ISS, role="authenticated"), private, algorithm=alg, headers={"kid": kid})
        assert _me(client, {"Authorization": f"Bearer {token}"})[0] == 200
    assert keys.requests == 1  # fetched once per execution environment


def test_jwks_rejects_a_foreign_key_an_unknown_kid_and_hs256(client, settings_env, jwks_server):
    keys, url = jwks_server
    settings_env(JWT_ALGORITHM="ES256", JWT_JWKS_URL=url, JWT_AUDIENCE=None, JWT_ISSUER=ISS)
    foreign = ec.generate_private_key(ec.SECP256R1())
    forged = jwt.encode(_claims(iss=ISS, role="authenticated"), foreign, algorithm="ES256", headers={"kid": "ec-1"})
    unknown_kid = jwt.encode(_claims(iss=ISS, role="authenticated"), keys.ec_key, algorithm="ES256", headers={"kid": "nope"})
    # HS256 signed with the public key's text: the classic algorithm-confusion forgery
    # (built by hand, PyJWT refuses to make one)
    confused = _hand_signed_hs256(_claims(), json.dumps(keys.jwks()["keys"][0]).encode(), "ec-1")
    for token in (forged, unknown_kid, confused):
        assert _me(client, {"Authorization": f"Bearer {token}"})[0] == 401


def test_rs256_token_is_refused_when_es256_is_pinned(client, settings_env, jwks_server):
    keys, url = jwks_server
    settings_env(JWT_ALGORITHM="ES256", JWT_JWKS_URL=url, JWT_ISSUER=ISS)
    token = jwt.encode(_claims(iss=ISS, role="authenticated"), keys.rsa_key, algorithm="RS256", headers={"kid": "rsa-1"})
    assert _me(client, {"Authorization": f"Bearer {token}"})[0] == 401


_PROFILE = "SELECT username, email, full_name, avatar_url FROM users WHERE id = %s"


@pytest.mark.parametrize(
    "claims",
    [
        {"user_metadata": {"full_name": {"first": "Amina"}, "avatar_url": ["https://x.test/a.png"]}},
        {"name": {"x": 1}, "email": {"address": "a@b.ke"}, "preferred_username": ["amina"]},
        {"user_metadata": {"full_name": "Ami\u0000na", "username": "ami\u0000na"}, "email": "ami\u0000na@example.ke"},
        {"user_metadata": {"full_name": "Amina \ud800", "username": "amina\udfff"}, "name": "\udc00"},
        {"email": "amina\ud800@example.ke", "user_metadata": {"avatar_url": "https://cdn.test/\ud800.png"}},
        {"user_metadata": {"full_name": "A" * 100_000, "avatar_url": "https://cdn.test/" + "a" * 5000}},
        {"user_metadata": "not an object", "email": "x" * 250 + "@example.ke"},
    ],
)
def test_hostile_profile_claims_still_give_a_profile_and_a_sane_row(client, sql, claims):
    sub = str(uuid.uuid4())
    headers = auth_headers(sub, **claims)
    for _ in range(2):  # and again: the profile exists, every request works
        status, body = _me(client, headers)
        assert status == 200, body
    [row] = sql(_PROFILE, (sub,))
    for value in row.values():
        assert value is None or (isinstance(value, str) and "\x00" not in value)
        if value is not None:
            value.encode("utf-8")  # storable, no lone surrogates
    assert row["full_name"] is None or len(row["full_name"]) <= 100
    assert len(row["email"]) <= 254 and "@" in row["email"]
    assert row["avatar_url"] is None or row["avatar_url"].startswith("https://") and len(row["avatar_url"]) <= 2048
    assert 3 <= len(row["username"]) <= 30


def test_clean_profile_claims_are_kept_and_unsafe_ones_dropped(client, sql):
    sub = str(uuid.uuid4())
    claims = {"email": "amina@example.ke", "name": "Amina \ud800Njeri\u0000",
              "user_metadata": {"avatar_url": "https://cdn.example.ke/a.png", "username": "Amina_K"}}
    assert _me(client, auth_headers(sub, **claims))[0] == 200
    assert sql(_PROFILE, (sub,)) == [{"username": "amina_k", "email": "amina@example.ke",
                                      "full_name": "Amina Njeri", "avatar_url": "https://cdn.example.ke/a.png"}]
    sub2 = str(uuid.uuid4())
    long_name = "N" * 150
    claims = {"user_metadata": {"full_name": long_name, "avatar_url": "http://cdn.example.ke/a.png"}}
    assert _me(client, auth_headers(sub2, **claims))[0] == 200
    [row] = sql(_PROFILE, (sub2,))
    assert row["full_name"] == "N" * 100 and row["avatar_url"] is None
    for bad_url in ("javascript:alert(1)", "https://", "https://x.test/a b.png", "data:image/png;base64,AAA"):
        sub3 = str(uuid.uuid4())
        assert _me(client, auth_headers(sub3, user_metadata={"avatar_url": bad_url}))[0] == 200
        assert sql(_PROFILE, (sub3,))[0]["avatar_url"] is None, bad_url
