"""Mailed flows end to end: email verification, password reset and 2FA sign-in, through the
local outbox and through SES (moto)."""
from __future__ import annotations

import hashlib
import re

import pytest

from tests.support.accounts import body, get, login, outbox, post, signup  # noqa: F401


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_signup_mails_a_verification_link_that_works_once(client, outbox, sql):
    created = signup(client)
    mail = outbox.last("wanjiku@example.com")
    assert mail["link"].startswith("http://localhost:5173/verify-email?token=")
    token = outbox.token("wanjiku@example.com")
    stored = sql("SELECT token FROM email_verifications")[0]["token"]
    assert stored == _sha256(token) and token not in stored  # the digest, never the token
    assert post(client, "/auth/verify-email", {"token": "forged-" + token}).status_code == 400
    ok = post(client, "/auth/verify-email", {"token": token})
    assert ok.status_code == 200
    assert body(get(client, "/auth/me", created["access_token"]))["email_verified"] is True
    again = post(client, "/auth/verify-email", {"token": token})
    assert again.status_code == 400 and body(again) == {"detail": "Invalid or expired verification token"}


def test_resend_verification_replaces_the_link_and_stops_once_verified(client, outbox, sql):
    token = signup(client)["access_token"]
    first = outbox.token("wanjiku@example.com")
    assert post(client, "/auth/resend-verification", token=token).status_code == 200
    second = outbox.token("wanjiku@example.com")
    assert first != second
    assert post(client, "/auth/verify-email", {"token": first}).status_code == 400  # replaced
    assert post(client, "/auth/verify-email", {"token": second}).status_code == 200
    done = post(client, "/auth/resend-verification", token=token)
    assert done.status_code == 400 and body(done) == {"detail": "Email is already verified"}


def test_an_expired_verification_token_is_refused(client, outbox, sql):
    signup(client)
    token = outbox.token("wanjiku@example.com")
    sql("UPDATE email_verifications SET expires_at = now() - interval '1 second'")
    assert post(client, "/auth/verify-email", {"token": token}).status_code == 400
    assert sql("SELECT email_verified FROM users")[0]["email_verified"] is False


def test_password_reset_end_to_end_revokes_old_tokens(client, outbox, sql, settings_env):
    settings_env(LOGIN_ACCOUNT_FAILURES="2")
    old_token = signup(client)["access_token"]
    for guess in ("guess-one", "guess-two"):
        login(client, password=guess)
    assert login(client).status_code == 429  # locked out: the reset lets them back in
    assert post(client, "/auth/forgot-password", {"email": "WANJIKU@example.com"}).status_code == 200
    reset = outbox.last("wanjiku@example.com")
    assert reset["subject"] == "Reset your TrendKe password"
    token = outbox.token("wanjiku@example.com")
    assert sql("SELECT token FROM password_resets")[0]["token"] == _sha256(token)
    short = post(client, "/auth/reset-password", {"token": token, "new_password": "12345"})
    assert short.status_code == 400
    done = post(client, "/auth/reset-password", {"token": token, "new_password": "mpya-kabisa"})
    assert done.status_code == 200, done.body
    assert login(client, password="mpya-kabisa").status_code == 200
    assert login(client, password="siri-yangu").status_code == 401
    assert get(client, "/auth/me", old_token).status_code == 401
    used = post(client, "/auth/reset-password", {"token": token, "new_password": "tena-tena"})
    assert used.status_code == 400 and body(used) == {"detail": "Invalid or expired reset token"}


def test_an_expired_reset_token_changes_nothing(client, outbox, sql):
    signup(client)
    post(client, "/auth/forgot-password", {"email": "wanjiku@example.com"})
    token = outbox.token("wanjiku@example.com")
    sql("UPDATE password_resets SET expires_at = now() - interval '1 second'")
    before = sql("SELECT password_hash, token_version FROM users")
    assert post(client, "/auth/reset-password", {"token": token, "new_password": "mpya-kabisa"}).status_code == 400
    assert sql("SELECT password_hash, token_version FROM users") == before


def _two_factor_user(client, outbox):
    token = signup(client)["access_token"]
    post(client, "/auth/verify-email", {"token": outbox.token("wanjiku@example.com")})
    enabled = post(client, "/auth/2fa/enable", {"enable": True}, token=token)
    assert enabled.status_code == 200 and body(enabled)["two_factor_enabled"] is True
    return token


def test_two_factor_needs_a_verified_email(client, outbox):
    token = signup(client)["access_token"]
    refused = post(client, "/auth/2fa/enable", {"enable": True}, token=token)
    assert refused.status_code == 400


def test_two_factor_sign_in_by_emailed_code(client, outbox, sql):
    _two_factor_user(client, outbox)
    challenged = login(client)
    # 403, not 401: the frontend's interceptor would reload /login on a 401; it shows `detail`.
    assert challenged.status_code == 403
    assert body(challenged)["requires_2fa"] is True and "access_token" not in body(challenged)
    code = outbox.code("wanjiku@example.com")
    assert sql("SELECT code FROM two_factor_codes")[0]["code"] == _sha256(code)
    wrong = "000000" if code != "000000" else "111111"
    bad = post(client, "/auth/2fa/verify", {"email": "wanjiku@example.com", "code": wrong})
    assert bad.status_code == 400 and body(bad) == {"detail": "Invalid or expired code"}
    ok = post(client, "/auth/2fa/verify", {"email": "wanjiku@example.com", "code": code})
    assert ok.status_code == 200 and body(ok)["user"]["email"] == "wanjiku@example.com"
    assert get(client, "/auth/me", body(ok)["access_token"]).status_code == 200
    reused = post(client, "/auth/2fa/verify", {"email": "wanjiku@example.com", "code": code})
    assert reused.status_code == 400


def test_send_code_resends_only_for_a_waiting_sign_in_and_always_answers_the_same(client, outbox):
    _two_factor_user(client, outbox)
    idle = post(client, "/auth/2fa/send-code?email=wanjiku@example.com")
    ghost = post(client, "/auth/2fa/send-code?email=ghost@example.com")
    assert (idle.status_code, idle.body) == (ghost.status_code, ghost.body) and idle.status_code == 200
    mails = len(outbox.messages())
    login(client)
    first = outbox.code("wanjiku@example.com")
    resent = post(client, "/auth/2fa/send-code?email=wanjiku@example.com")
    assert resent.body == idle.body and len(outbox.messages()) == mails + 2
    second = outbox.code("wanjiku@example.com")
    by_body = post(client, "/auth/2fa/send-code", {"email": "wanjiku@example.com"})  # authApi.js's form
    assert by_body.body == idle.body and len(outbox.messages()) == mails + 3
    second = outbox.code("wanjiku@example.com")
    if first != second:
        assert post(client, "/auth/2fa/verify", {"email": "wanjiku@example.com", "code": first}).status_code == 400
    assert post(client, "/auth/2fa/verify", {"email": "wanjiku@example.com", "code": second}).status_code == 200


def test_wrong_codes_lock_out_with_back_off(client, outbox):
    _two_factor_user(client, outbox)
    login(client)
    code = outbox.code("wanjiku@example.com")
    wrong = [f"{(int(code) + i) % 1_000_000:06d}" for i in range(1, 6)]
    answers = [post(client, "/auth/2fa/verify", {"email": "wanjiku@example.com", "code": c}).status_code
               for c in wrong]
    assert answers == [400] * 5
    locked = post(client, "/auth/2fa/verify", {"email": "wanjiku@example.com", "code": code})
    assert locked.status_code == 429 and locked.headers["Retry-After"]


@pytest.fixture
def ses(settings_env):
    from moto import mock_aws

    from chalicelib.accounts import mailer

    with mock_aws():
        import boto3

        settings_env(MAIL_FROM="TrendKe <no-reply@trendke.co.ke>", AWS_REGION="eu-west-1",
                     AWS_DEFAULT_REGION="eu-west-1", AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        mailer.forget_clients()
        boto3.client("ses", region_name="eu-west-1").verify_domain_identity(Domain="trendke.co.ke")
        yield
        mailer.forget_clients()


def _sent():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages


def test_mail_goes_through_ses_when_configured(client, ses, tmp_path, settings_env):
    settings_env(MAIL_OUTBOX_DIR=str(tmp_path / "unused"))
    signup(client)
    post(client, "/auth/forgot-password", {"email": "wanjiku@example.com"})
    messages = _sent()
    assert [m.destinations["ToAddresses"] for m in messages] == [["wanjiku@example.com"]] * 2
    assert messages[0].source == "TrendKe <no-reply@trendke.co.ke>"
    token = re.search(r"reset-password\?token=([A-Za-z0-9_\-]+)", messages[1].body).group(1)
    assert post(client, "/auth/reset-password", {"token": token, "new_password": "mpya-kabisa"}).status_code == 200
    assert login(client, password="mpya-kabisa").status_code == 200
    assert not (tmp_path / "unused").exists()


def test_ses_refusing_a_reset_mail_still_answers_the_same(client, ses, sql):
    sql("INSERT INTO users (email, username, password_hash) VALUES ('x@unverified.example', 'xuser', '!')")
    import boto3

    boto3.client("ses", region_name="eu-west-1").delete_identity(Identity="trendke.co.ke")  # SES now refuses
    answer = post(client, "/auth/forgot-password", {"email": "x@unverified.example"})
    ghost = post(client, "/auth/forgot-password", {"email": "ghost@unverified.example"})
    assert (answer.status_code, answer.body) == (ghost.status_code, ghost.body)
    assert answer.status_code == 200 and _sent() == []
