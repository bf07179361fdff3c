"""Sign-up, log-in, profiles, logout-all: the rules of FRONTEND.md section 1."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional

from .. import db, models, passwords, timestamps
from ..config import settings
from ..errors import BadRequest, NotFound, Unauthorized
from ..repo import accounts
from . import flows, throttle, tokens

log = logging.getLogger("trendke.accounts")

BAD_CREDENTIALS = "Incorrect email or password"


@dataclass(frozen=True)
class Answer:
    body: Dict[str, Any]
    status: int = 200
    headers: Dict[str, str] = field(default_factory=dict)


# ---- shapes ---------------------------------------------------------------------------------


def account_user(row: Mapping[str, Any]) -> Dict[str, Any]:
    """`user` of the sign-up and log-in answers (stored whole by the frontend)."""
    return {
        "id": str(row["id"]),
        "email": row["email"],
        "username": row["username"],
        "full_name": row["full_name"],
        "avatar_url": row["avatar_url"],
        "role": row["role"],
        "coin_balance": int(row["coin_balance"]),
        "email_verified": bool(row["email_verified"]),
        "two_factor_enabled": bool(row["two_factor_enabled"]),
    }


def public_profile(row: Mapping[str, Any]) -> Dict[str, Any]:
    """What anyone may see (the User shape, its role and join date): never the email, hash,
    coins or earnings."""
    return {**models.user(row), "role": row["role"], "created_at": timestamps.iso(row["created_at"])}


def owner_profile(row: Mapping[str, Any]) -> Dict[str, Any]:
    """The old backend's UserProfile, for its owner."""
    return {
        **public_profile(row),
        "email": row["email"],
        "coin_balance": int(row["coin_balance"]),
        "total_earnings": float(row["total_earnings"]),
        "email_verified": bool(row["email_verified"]),
        "two_factor_enabled": bool(row["two_factor_enabled"]),
    }


# ---- sign-up and log-in -----------------------------------------------------------------------


def signup(fields: Dict[str, Any], address: Optional[str]) -> Answer:
    """A new account, signed in. A taken email or username is a 400 with the old backend's
    words (the frontend shows `detail`); sign-ups are limited per address."""
    throttle.limit("signup", throttle.address_key(address), "sign-ups from this address")
    password_hash = passwords.hash_password(fields["password"], settings().bcrypt_rounds)
    email, username = fields["email"], fields["username"]

    def work(conn: Any) -> tuple:
        import psycopg

        accounts.lock_names(conn, "email:" + email, "username:" + username.lower())
        if accounts.email_taken(conn, email):
            raise BadRequest("Email already registered")
        if accounts.username_taken(conn, username):
            raise BadRequest("Username already taken")
        try:
            row = accounts.insert(conn, {"email": email, "username": username,
                                         "full_name": fields["full_name"], "password_hash": password_hash})
        except psycopg.errors.UniqueViolation:  # the old backend's insert won the race
            raise BadRequest("Email or username already registered") from None
        return row, flows.issue_verification(conn, str(row["id"]))

    row, secret = db.in_transaction(work)
    flows.mail_verification(row["email"], secret, raise_on_error=False)
    return Answer(tokens.bundle(row, account_user(row)))


def login(email: str, password: str, address: Optional[str]) -> Answer:
    """The same 401 and about the same time for an unknown email, a wrong password and a
    malformed stored hash; a locked account or address is a 429 even with the right one."""
    account_key = throttle.account_key(email)
    throttle.refuse_if_locked([account_key, throttle.address_key(address)])
    rows = accounts.by_email(email)
    rounds = settings().bcrypt_rounds
    match = None
    if not rows:
        passwords.verify(password, None, rounds)
    for row in rows:
        if passwords.verify(password, row["password_hash"], rounds):
            match = row
            break
    if match is None:
        throttle.login_failed(email, address)
        raise Unauthorized(BAD_CREDENTIALS)
    throttle.succeeded(account_key)
    if match["two_factor_enabled"]:
        flows.start_two_factor(match)
        return Answer({"detail": flows.CODE_SENT, "requires_2fa": True, "email": match["email"]}, status=403)
    return Answer(tokens.bundle(match, account_user(match)))


def verify_two_factor(email: str, code: str) -> Answer:
    row = flows.check_two_factor(email, code)
    return Answer(tokens.bundle(row, account_user(row)))


# ---- profiles and revocation ------------------------------------------------------------------


def public(user_id: str) -> Dict[str, Any]:
    row = accounts.profile(user_id)
    if row is None:
        raise NotFound("User not found")
    return public_profile(row)


def logout_all(user_id: str) -> Dict[str, Any]:
    """Every token issued so far stops working; the answer carries a fresh one."""
    version = accounts.bump_token_version(user_id)
    if version is None:
        raise NotFound("User not found")
    return {"message": "Signed out everywhere", "access_token": tokens.access_token(user_id, version),
            "token_type": "bearer"}


def update_profile(user_id: str, fields: Dict[str, Any]) -> Dict[str, Any]:
    """Rename (unique ignoring case), full name, bio; answers the updated row."""
    def work(conn: Any) -> Optional[dict]:
        import psycopg

        if "username" in fields:
            accounts.lock_names(conn, "username:" + fields["username"].lower())
            if accounts.username_taken(conn, fields["username"], except_id=user_id):
                raise BadRequest("Username already taken")
        try:
            return accounts.update_profile(conn, user_id, fields)
        except psycopg.errors.UniqueViolation:
            raise BadRequest("Username already taken") from None

    row = db.in_transaction(work)
    if row is None:
        raise NotFound("User not found")
    return row
