"""The accounts routes (issue 11) and their shapes, merged into the document."""
from __future__ import annotations

from typing import Dict, Tuple

from .schemas import COUNT, NULLABLE_STR, TIMESTAMP, UUID, ref

EMAIL = {"type": "string", "maxLength": 254, "description": "Unique ignoring case; stored lower-cased."}
USERNAME = {"type": "string", "pattern": "^[A-Za-z0-9_]{3,30}$"}
PASSWORD = {"type": "string", "minLength": 6, "description": "6 to 72 bytes (UTF-8)."}
SECRET = {"type": "string", "minLength": 1, "maxLength": 200}


def closed(required: Tuple[str, ...], **properties: dict) -> dict:
    return {"type": "object", "required": list(required), "properties": properties,
            "additionalProperties": False}


_PUBLIC = {
    "id": UUID, "username": {"type": "string"}, "full_name": NULLABLE_STR, "avatar_url": NULLABLE_STR,
    "bio": NULLABLE_STR, "role": {"type": "string"}, "followers_count": COUNT, "following_count": COUNT,
    "created_at": {"type": ["string", "null"], "format": "date-time"},
}
_FLAGS = {"email_verified": {"type": "boolean"}, "two_factor_enabled": {"type": "boolean"}}

ACCOUNT_SCHEMAS = {
    "AccountUser": {
        "type": "object",
        "required": ["id", "email", "username", "full_name", "avatar_url", "role", "coin_balance"],
        "properties": {"id": UUID, "email": {"type": "string"}, "username": {"type": "string"},
                       "full_name": NULLABLE_STR, "avatar_url": NULLABLE_STR, "role": {"type": "string"},
                       "coin_balance": {"type": "integer"}, **_FLAGS},
    },
    "AuthTokens": {
        "type": "object",
        "required": ["access_token", "token_type", "user"],
        "properties": {"access_token": {"type": "string"}, "token_type": {"const": "bearer"},
                       "user": ref("AccountUser")},
    },
    "PublicProfile": {"type": "object", "required": list(_PUBLIC), "properties": _PUBLIC},
    "OwnerProfile": {
        "type": "object",
        "required": [*_PUBLIC, "email", "coin_balance", "total_earnings"],
        "properties": {**_PUBLIC, "email": {"type": "string"}, "coin_balance": {"type": "integer"},
                       "total_earnings": {"type": "number"}, **_FLAGS},
    },
    "Message": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
    "TwoFactorRequired": {
        "type": "object",
        "required": ["detail", "requires_2fa"],
        "properties": {"detail": {"type": "string"}, "requires_2fa": {"const": True}, "email": {"type": "string"}},
    },
}


def _optional_body(operation: dict) -> dict:
    operation["requestBody"]["required"] = False
    return operation


def account_operations(op, path_param, query_param) -> Dict[Tuple[str, str], dict]:
    """Built with operations.op (passed in: operations imports this module)."""
    message = ref("Message")
    login = op(
        "Log in", "accounts", ref("AuthTokens"), body=closed(("email", "password"), email=EMAIL,
                                                                 password={"type": "string"}),
        errors=(401, 403, 429),
        description="401 `Incorrect email or password` for an unknown email, a wrong password or "
        "an unusable stored hash alike. 429 with Retry-After after repeated failures for the "
        "email or the address (a right password too). With two-factor sign-in on: 403 "
        "`{detail, requires_2fa: true, email}` and a code is mailed; then POST /auth/2fa/verify.",
    )
    login["responses"]["403"] = {"description": "A 6-digit code was mailed: POST /auth/2fa/verify",
                                 "content": {"application/json": {"schema": ref("TwoFactorRequired")}}}
    return {
        ("POST", "/auth/signup"): op(
            "Sign up (and sign in)", "accounts", ref("AuthTokens"),
            body=closed(("email", "username", "password"), email=EMAIL, username=USERNAME, password=PASSWORD,
                        full_name={"type": ["string", "null"], "maxLength": 100}),
            errors=(429,), description="400 `Email already registered` / `Username already taken`. "
            "A verification link is mailed.",
        ),
        ("POST", "/auth/login"): login,
        ("GET", "/auth/me"): op("My full profile", "accounts", ref("OwnerProfile"), auth="required"),
        ("GET", "/auth/user/{user_id}"): op(
            "A user's public profile (no email, coins or earnings)", "accounts", ref("PublicProfile"),
            params=[path_param("user_id", UUID)], errors=(404,), cacheable=True,
            description="The same for everybody: a token, if sent, is not read."),
        ("POST", "/auth/logout-all"): op(
            "Revoke every token issued so far; answers a fresh one", "accounts",
            {"type": "object", "required": ["message", "access_token", "token_type"],
             "properties": {"message": {"type": "string"}, "access_token": {"type": "string"},
                            "token_type": {"const": "bearer"}}}, auth="required", errors=(404,)),
        ("POST", "/auth/forgot-password"): op(
            "Mail a password reset link (always the same answer)", "accounts", message,
            body=closed(("email",), email=EMAIL), errors=(429,)),
        ("POST", "/auth/reset-password"): op(
            "Set a new password with a mailed token; revokes older tokens", "accounts", message,
            body=closed(("token", "new_password"), token=SECRET, new_password=PASSWORD), errors=(429,)),
        ("POST", "/auth/verify-email"): op(
            "Confirm the email address with a mailed token", "accounts", message,
            body=closed(("token",), token=SECRET), errors=(429,)),
        ("POST", "/auth/resend-verification"): op(
            "Mail a new verification link", "accounts", message, auth="required", errors=(429,)),
        ("POST", "/auth/2fa/enable"): op(
            "Turn two-factor sign-in by emailed code on or off (needs a verified email)", "accounts",
            {"type": "object", "required": ["message", "two_factor_enabled"],
             "properties": {"message": {"type": "string"}, "two_factor_enabled": {"type": "boolean"}}},
            body=closed(("enable",), enable={"type": "boolean"}), auth="required"),
        ("POST", "/auth/2fa/send-code"): _optional_body(op(
            "Mail a new code for a sign-in waiting for one (always the same answer)", "accounts", message,
            params=[query_param("email", EMAIL, "As the old backend; or the body {email} (authApi.js)")],
            body=closed((), email=EMAIL), errors=(429,))),
        ("POST", "/auth/2fa/verify"): op(
            "Finish a two-factor sign-in with the mailed code", "accounts", ref("AuthTokens"),
            body=closed(("email", "code"), email=EMAIL, code={"type": "string", "pattern": "^[0-9]{6}$"}),
            errors=(429,)),
        ("POST", "/v1/me/avatar"): op(
            "Signed fields for a direct image upload of my avatar to Cloudinary", "users",
            {"type": "object", "required": ["upload_url", "fields", "expires_at"],
             "properties": {"upload_url": {"type": "string"},
                            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                            "expires_at": {"type": "integer"}, "max_bytes": {"type": "integer"}}},
            auth="required",
            description="POST the image as `file` with exactly these fields to `upload_url`, then "
            "PUT /v1/me/avatar with Cloudinary's `public_id`, `version` and `signature`."),
        ("PUT", "/v1/me/avatar"): op(
            "Set my avatar from Cloudinary's signed upload answer", "users", ref("User"),
            body=closed(("public_id", "version", "signature"), public_id={"type": "string", "maxLength": 200},
                        version={"type": "integer", "minimum": 1},
                        signature={"type": "string", "pattern": "^[0-9a-f]{40,64}$"}),
            auth="required"),
        ("PATCH", "/v1/me"): op(
            "Change my username, full name or bio", "users", ref("User"),
            body={**closed((), username=USERNAME, full_name={"type": ["string", "null"], "maxLength": 100},
                           bio={"type": ["string", "null"], "maxLength": 500}), "minProperties": 1},
            auth="required", errors=(404,)),
    }
