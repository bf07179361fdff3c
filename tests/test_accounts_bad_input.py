"""Every malformed body, wrong type, oversized field, unknown key, bad token or code answers
4xx {"detail"} and changes no row of the accounts tables."""
from __future__ import annotations

import json

import pytest

from tests.support.accounts import body, post, signup, snapshot, outbox  # noqa: F401

GOOD_SIGNUP = {"email": "new@example.com", "username": "new_user", "password": "secret1", "full_name": ""}

CASES = [
    # (path, raw body or dict, needs the signed-in token)
    ("/auth/signup", "{not json", False),
    ("/auth/signup", "[]", False),
    ("/auth/signup", '"text"', False),
    ("/auth/signup", {}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "role": "admin"}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "coin_balance": 1000}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "email": 5}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "email": "no-at-sign"}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "email": "a@b"}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "email": "x" * 250 + "@example.com"}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "username": "ab"}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "username": "a" * 31}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "username": "bad name"}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "username": "ñame"}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "username": ["list"]}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "password": "12345"}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "password": "x" * 73}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "password": "é" * 37}, False),  # 74 bytes
    ("/auth/signup", {**GOOD_SIGNUP, "password": None}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "full_name": "x" * 101}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "full_name": {"a": 1}}, False),
    ("/auth/signup", {**GOOD_SIGNUP, "username": "wanjiku"}, False),  # taken
    ("/auth/signup", {**GOOD_SIGNUP, "email": "WANJIKU@example.com"}, False),  # taken
    ("/auth/signup", '{"email": "a\\u0000@x.co", "username": "nul_user", "password": "secret1"}', False),
    ("/auth/signup", json.dumps({**GOOD_SIGNUP, "full_name": "x" * 70_000}), False),  # too large
    ("/auth/login", "{", False),
    ("/auth/login", {"email": "wanjiku@example.com"}, False),
    ("/auth/login", {"email": "wanjiku@example.com", "password": 123456}, False),
    ("/auth/login", {"email": "wanjiku@example.com", "password": "x" * 1025}, False),
    ("/auth/login", {"email": "wanjiku@example.com", "password": "siri-yangu", "remember": True}, False),
    ("/auth/login", {"email": "wanjiku@example.com", "password": "wrong-one"}, False),  # 401
    ("/auth/forgot-password", {}, False),
    ("/auth/forgot-password", {"email": "wanjiku@example.com", "x": 1}, False),
    ("/auth/forgot-password", {"email": ["wanjiku@example.com"]}, False),
    ("/auth/reset-password", {"token": "forged-token", "new_password": "mpya-kabisa"}, False),
    ("/auth/reset-password", {"token": "", "new_password": "mpya-kabisa"}, False),
    ("/auth/reset-password", {"token": "x" * 201, "new_password": "mpya-kabisa"}, False),
    ("/auth/reset-password", {"token": "forged-token"}, False),
    ("/auth/reset-password", {"token": 5, "new_password": "mpya-kabisa"}, False),
    ("/auth/verify-email", {"token": "forged-token"}, False),
    ("/auth/verify-email", {"token": None}, False),
    ("/auth/verify-email", {"token": "t", "extra": 1}, False),
    ("/auth/2fa/verify", {"email": "wanjiku@example.com", "code": "123456"}, False),
    ("/auth/2fa/verify", {"email": "wanjiku@example.com", "code": "12345"}, False),
    ("/auth/2fa/verify", {"email": "wanjiku@example.com", "code": 123456}, False),
    ("/auth/2fa/verify", {"email": "wanjiku@example.com"}, False),
    ("/auth/2fa/send-code", None, False),  # email missing from the query
    ("/auth/2fa/send-code?email=not-an-email", None, False),
    ("/auth/2fa/send-code?email=wanjiku@example.com&x=1", None, False),
    ("/auth/2fa/send-code?email=wanjiku@example.com", {"email": "other@example.com"}, False),
    ("/auth/2fa/send-code", {"email": "wanjiku@example.com", "code": "1"}, False),
    ("/auth/2fa/enable", {"enable": "yes"}, True),
    ("/auth/2fa/enable", {"enable": 1}, True),
    ("/auth/2fa/enable", {}, True),
    ("/auth/2fa/enable", {"enable": True}, True),  # email not verified yet
    ("/auth/2fa/enable", {"enable": True}, False),  # no token
    ("/auth/logout-all", {"everywhere": True}, True),
    ("/auth/resend-verification", {"email": "x@y.co"}, True),
]


@pytest.mark.parametrize("path, payload, signed", CASES)
def test_bad_input_is_a_4xx_with_detail_and_changes_nothing(client, outbox, sql, path, payload, signed):
    token = signup(client)["access_token"]
    before = snapshot(sql)
    mails = len(outbox.messages())
    raw = payload if isinstance(payload, str) else (None if payload is None else json.dumps(payload))
    response = post(client, path, raw=raw if raw is not None else "", token=token if signed else None)
    assert 400 <= response.status_code < 500, (response.status_code, response.body)
    assert isinstance(body(response)["detail"], str)
    assert snapshot(sql) == before
    assert len(outbox.messages()) == mails


@pytest.mark.parametrize("payload", [
    '{"bio": 5}', '{"username": "a"}', '{"nope": 1}', "{}", "[1]", '{"full_name": "' + "x" * 101 + '"}',
    '{"bio": "' + "x" * 501 + '"}', '{"username": null}', '{"bio": "bell\\u0007"}', "{bad",
])
def test_bad_profile_updates_change_nothing(client, outbox, sql, payload):
    token = signup(client)["access_token"]
    before = snapshot(sql)
    response = client.http.patch("/v1/me", body=payload, headers={
        "Content-Type": "application/json", "Authorization": "Bearer " + token})
    assert response.status_code == 400 and isinstance(body(response)["detail"], str), response.body
    assert snapshot(sql) == before
