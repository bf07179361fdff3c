"""Guessing, enumeration and revocation: the same answers for unknown and known emails,
lock-outs with back-off per account and per address, tokens revoked by version."""
from __future__ import annotations

import time

from chalicelib import config
from chalicelib.auth import mint_token
from tests.support.accounts import body, get, login, outbox, post, signup  # noqa: F401


def _timed_login(client, email, password, address):
    started = time.perf_counter()
    response = login(client, email=email, password=password, address=address)
    return response, time.perf_counter() - started


def test_unknown_email_wrong_password_and_broken_hash_answer_alike(client, outbox, settings_env, make_user):
    settings_env(BCRYPT_ROUNDS="10")  # enough work to see whether bcrypt ran
    signup(client)
    make_user("broken", email="broken@example.com", password_hash="!")
    settings_env(LOGIN_ACCOUNT_FAILURES="100", LOGIN_ADDRESS_FAILURES="100")
    answers, times = {}, {}
    for name, email in (("wrong", "wanjiku@example.com"), ("unknown", "nobody@example.com"),
                        ("broken", "broken@example.com")):
        runs = [_timed_login(client, email, "not-the-password", f"10.0.0.{i}") for i in range(5)]
        answers[name] = {(r.status_code, r.body, r.headers.get("WWW-Authenticate")) for r, _ in runs}
        # The fastest of five: load on a shared machine only ever adds time.
        times[name] = min(t for _, t in runs)
    assert answers["wrong"] == answers["unknown"] == answers["broken"]
    assert answers["wrong"] == {(401, b'{"detail":"Incorrect email or password"}', "Bearer")}
    # bcrypt ran for the unknown email and the broken row too (a dummy hash at the same cost).
    assert times["unknown"] > 0.5 * times["wrong"] and times["broken"] > 0.5 * times["wrong"], times


def test_signup_says_when_an_email_is_taken_but_forgot_password_never_does(client, outbox, make_user):
    signup(client)
    known = post(client, "/auth/forgot-password", {"email": "wanjiku@example.com"})
    unknown = post(client, "/auth/forgot-password", {"email": "nobody@example.com"})
    assert (known.status_code, known.body) == (unknown.status_code, unknown.body)
    assert known.status_code == 200
    assert [m["to"] for m in outbox.messages()].count("nobody@example.com") == 0


def test_failed_logins_lock_the_account_with_back_off_even_for_the_right_password(client, outbox, settings_env):
    settings_env(LOGIN_ACCOUNT_FAILURES="3", LOGIN_LOCK_BASE_S="1", LOGIN_LOCK_MAX_S="60")
    signup(client)
    for i in range(3):  # from different addresses: the account's own count
        assert login(client, password="guess-%d" % i, address=f"10.1.0.{i}").status_code == 401
    locked = login(client, address="10.1.9.9")  # the right password
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
    assert "detail" in body(locked)
    time.sleep(1.2)
    assert login(client, password="guess-again", address="10.1.0.5").status_code == 401
    second = login(client, address="10.1.9.9")
    assert second.status_code == 429 and int(second.headers["Retry-After"]) == 2  # doubled
    time.sleep(2.2)
    assert login(client, address="10.1.9.9").status_code == 200  # and the count starts again
    assert login(client, password="one-slip", address="10.1.0.6").status_code == 401
    assert login(client, address="10.1.9.9").status_code == 200


def test_an_unknown_email_locks_out_the_same_way(client, settings_env):
    settings_env(LOGIN_ACCOUNT_FAILURES="2")
    answers = [login(client, email="ghost@example.com", password="x" * 8, address=f"10.2.0.{i}") for i in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]


def test_failed_logins_lock_the_client_address_across_accounts(client, outbox, settings_env):
    settings_env(LOGIN_ADDRESS_FAILURES="3")
    signup(client)
    for i in range(3):
        assert login(client, email=f"someone{i}@example.com", password="guess-1", address="10.3.0.1").status_code == 401
    assert login(client, address="10.3.0.1").status_code == 429
    assert login(client, address="10.3.0.2").status_code == 200  # another viewer address


def test_signups_are_limited_per_address(client, outbox, settings_env, sql):
    settings_env(AUTH_RATE_LIMITS="signup=2/3600")
    signup(client, email="a1@example.com", username="a_one", address="10.4.0.1")
    taken = post(client, "/auth/signup", {"email": "a1@example.com", "username": "a_two", "password": "secret1"},
                 address="10.4.0.1")
    assert taken.status_code == 400  # counts too: probing for registered emails is limited
    third = post(client, "/auth/signup", {"email": "a3@example.com", "username": "a_three", "password": "secret1"},
                 address="10.4.0.1")
    assert third.status_code == 429 and third.headers["Retry-After"]
    signup(client, email="a4@example.com", username="a_four", address="10.4.0.2")
    assert sql("SELECT count(*) AS n FROM users")[0]["n"] == 2


def test_logout_all_revokes_every_older_token_and_answers_a_fresh_one(client, outbox, make_user):
    created = signup(client)
    old = created["access_token"]
    user_id = created["user"]["id"]
    legacy = mint_token(user_id, config.DEV_JWT_SECRET)  # the old backend's form: no `ver`
    other = make_user()
    for token in (old, legacy):
        assert get(client, "/auth/me", token).status_code == 200
        assert get(client, f"/social/is-following/{other['id']}", token).status_code == 200
    out = post(client, "/auth/logout-all", token=old)
    assert out.status_code == 200
    fresh = body(out)["access_token"]
    for token in (old, legacy):
        for path in ("/auth/me", "/v1/me", f"/social/is-following/{other['id']}"):
            response = get(client, path, token)
            assert response.status_code == 401 and "revoked" in body(response)["detail"], path
        # Routes that read a token only when sent, too (the old detail counts a signed-in view).
        missing_video = "/videos/00000000-0000-0000-0000-000000000000"
        assert get(client, missing_video, token).status_code == 401
    assert get(client, "/auth/me", fresh).status_code == 200
    assert body(login(client))["access_token"] != old


def test_a_token_claiming_a_future_or_odd_version_is_refused(client, outbox):
    user_id = signup(client)["user"]["id"]
    for ver in (1, -1, "0", True, 1.5):
        token = mint_token(user_id, config.DEV_JWT_SECRET, ver=ver)
        assert get(client, "/auth/me", token).status_code == 401, ver
