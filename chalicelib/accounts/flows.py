"""Mailed flows: email verification, password reset, 2FA by emailed code.

Secrets are single use, short lived and stored as sha256 digests in the live tables
(email_verifications.token, password_resets.token, two_factor_codes.code). Answers that
could tell whether an email has an account (forgot-password, 2FA send-code) are always the
same; tries are limited per address, mail per address and per account.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Mapping, Optional
from urllib.parse import quote

from .. import db, passwords
from ..config import settings
from ..errors import BadRequest, ServiceUnavailable
from ..repo import accounts, auth_codes
from . import mailer, throttle, tokens

log = logging.getLogger("trendke.accounts")

VERIFY_TTL_S = 48 * 3600
RESET_TTL_S = 3600
CODE_TTL_S = 600
CODE_FAILURES = 5

CODE_SENT = "Two-factor sign-in: enter the 6-digit code we emailed you (POST /auth/2fa/verify)"
RESET_SENT = "If an account exists for this email, a password reset link has been sent"
CODE_RESENT = "If a sign-in is waiting for a code, a new code has been sent"


def _link(path: str, secret: str) -> str:
    return f"{settings().frontend_url}{path}?token={quote(secret)}"


def _mail(to: str, subject: str, text: str, link: Optional[str], raise_on_error: bool) -> None:
    try:
        mailer.send(to, subject, text, link)
    except Exception as exc:  # SES refused or is unreachable
        log.error("mail to user failed: %s", type(exc).__name__)
        if raise_on_error:
            raise ServiceUnavailable("Could not send the email; try again shortly") from exc


# ---- email verification -----------------------------------------------------------------------


def issue_verification(conn: Any, user_id: str) -> str:
    secret = tokens.new_link_token()
    auth_codes.put(conn, "email_verifications", user_id, tokens.digest(secret), VERIFY_TTL_S)
    return secret


def mail_verification(email: str, secret: str, *, raise_on_error: bool) -> None:
    link = _link("/verify-email", secret)
    _mail(email, "Verify your TrendKe email",
          f"Welcome to TrendKe! Confirm this address within 48 hours:\n\n{link}\n", link, raise_on_error)


def resend_verification(user_id: str) -> Dict[str, str]:
    row = accounts.profile(user_id)
    if row is None:
        raise BadRequest("User not found")
    if row["email_verified"]:
        raise BadRequest("Email is already verified")
    throttle.limit("mail_account", "user:" + user_id, "emails to this account")
    secret = db.in_transaction(lambda conn: issue_verification(conn, user_id))
    mail_verification(row["email"], secret, raise_on_error=True)
    return {"message": "Verification email sent"}


def verify_email(secret: str, address: Optional[str]) -> Dict[str, str]:
    throttle.limit("token_try", throttle.address_key(address), "token attempts from this address")

    def work(conn: Any) -> Optional[str]:
        user_id = auth_codes.take(conn, "email_verifications", tokens.digest(secret))
        if user_id is not None:
            accounts.set_flag(conn, user_id, "email_verified", True)
        return user_id

    if db.in_transaction(work) is None:
        raise BadRequest("Invalid or expired verification token")
    return {"message": "Email verified"}


# ---- password reset ----------------------------------------------------------------------------


def forgot_password(email: str, address: Optional[str]) -> Dict[str, str]:
    """Always the same answer; a link is mailed only to an existing account, at most
    `mail_account` times per hour (silently: a 429 here would say the account exists)."""
    throttle.limit("mail_address", throttle.address_key(address), "emails requested from this address")
    rows = accounts.by_email(email)
    if rows and throttle.over_limit("mail_account", "email:" + email) is None:
        row = rows[0]
        secret = tokens.new_link_token()
        db.in_transaction(lambda conn: auth_codes.put(
            conn, "password_resets", str(row["id"]), tokens.digest(secret), RESET_TTL_S))
        link = _link("/reset-password", secret)
        _mail(row["email"], "Reset your TrendKe password",
              f"Someone asked to reset your TrendKe password. Within an hour, follow:\n\n{link}\n\n"
              "If it was not you, ignore this email.", link, raise_on_error=False)
    return {"message": RESET_SENT}


def reset_password(secret: str, new_password: str, address: Optional[str]) -> Dict[str, str]:
    """A new password; older tokens are revoked (token version + 1), the row's lock-out
    cleared, the reset token used up."""
    throttle.limit("token_try", throttle.address_key(address), "token attempts from this address")
    digest = tokens.digest(secret)
    invalid = BadRequest("Invalid or expired reset token")
    if not db.run(lambda conn: auth_codes.valid(conn, "password_resets", digest)):
        raise invalid  # no bcrypt work for a wrong token
    password_hash = passwords.hash_password(new_password, settings().bcrypt_rounds)

    def work(conn: Any) -> Optional[str]:
        user_id = auth_codes.take(conn, "password_resets", digest)
        if user_id is not None:
            accounts.set_password(conn, user_id, password_hash)
        return user_id

    user_id = db.in_transaction(work)
    if user_id is None:
        raise invalid
    row = accounts.profile(user_id)
    if row is not None:
        throttle.succeeded(throttle.account_key(row["email"].lower()))
    return {"message": "Password has been reset; sign in with the new password"}


# ---- two-factor sign-in by emailed code --------------------------------------------------------


def set_two_factor(user_id: str, enable: bool) -> Dict[str, Any]:
    row = accounts.profile(user_id)
    if row is None:
        raise BadRequest("User not found")
    if enable and not row["email_verified"]:
        raise BadRequest("Verify your email address before turning on two-factor sign-in")
    db.in_transaction(lambda conn: accounts.set_flag(conn, user_id, "two_factor_enabled", enable))
    state = "on" if enable else "off"
    return {"message": f"Two-factor sign-in is {state}", "two_factor_enabled": enable}


def _send_code(row: Mapping[str, Any], *, raise_on_error: bool) -> None:
    user_id = str(row["id"])
    code = tokens.new_code()
    db.in_transaction(lambda conn: auth_codes.put(conn, "two_factor_codes", user_id, tokens.digest(code), CODE_TTL_S))
    _mail(row["email"], "Your TrendKe sign-in code",
          f"Your TrendKe sign-in code is {code}. It expires in 10 minutes.", None, raise_on_error)


def start_two_factor(row: Mapping[str, Any]) -> None:
    """After a right password: a new code for this sign-in, mailed."""
    throttle.limit("2fa_challenge", "user:" + str(row["id"]), "sign-in codes for this account")
    _send_code(row, raise_on_error=True)


def resend_code(email: str, address: Optional[str]) -> Dict[str, str]:
    """A new code only for a sign-in already waiting for one (a right password came first);
    always the same answer."""
    throttle.limit("mail_address", throttle.address_key(address), "emails requested from this address")
    for row in accounts.by_email(email):
        user_id = str(row["id"])
        waiting = db.run(lambda conn: auth_codes.pending(conn, "two_factor_codes", user_id))
        if row["two_factor_enabled"] and waiting:
            if throttle.over_limit("2fa_challenge", "user:" + user_id) is None:
                _send_code(row, raise_on_error=False)
            break
    return {"message": CODE_RESENT}


def check_two_factor(email: str, code: str) -> Mapping[str, Any]:
    """The account whose waiting code this is (the code used up); wrong codes lock the
    email out with back-off after CODE_FAILURES."""
    key = throttle.two_factor_key(email)
    throttle.refuse_if_locked([key], "wrong codes")
    digest = tokens.digest(code)
    for row in accounts.by_email(email):
        if db.in_transaction(lambda conn, r=row: auth_codes.take(conn, "two_factor_codes", digest, str(r["id"]))):
            throttle.succeeded(key)
            return row
    throttle.failed([(key, CODE_FAILURES)])
    raise BadRequest("Invalid or expired code")
