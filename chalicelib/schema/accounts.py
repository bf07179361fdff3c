"""The accounts' request bodies and answers (FRONTEND.md section 1, issue 11).

Bodies are closed (an unknown key is a 400); each rule is chalicelib/rules.py's, applied in
__post_init__ so the old backend's messages ("Enter a valid email address") are kept. The
schemas document the same limits (`extra_json_schema`, so msgspec does not answer them with
its own wording first).
"""
from __future__ import annotations

import re
from typing import Annotated, Dict, Literal, Optional, Union

from msgspec import UNSET, Meta, UnsetType

from .. import rules
from .types import Answer, Body, Input, Uuid
from .people import User  # noqa: F401 - /v1/me answers the same User
from .videos import Count

FULL_NAME_MAX, BIO_MAX, TOKEN_MAX = 100, 500, 200
# What a log-in accepts: any password the old backend may have stored (it cut to 72 bytes
# itself), within reason.
LOGIN_PASSWORD_MAX = 1024
_CODE = re.compile(r"\d{6}")

Email = Annotated[str, Meta(extra_json_schema={
    "maxLength": rules.EMAIL_MAX, "description": "Unique ignoring case; stored lower-cased."})]
Username = Annotated[str, Meta(extra_json_schema={"pattern": "^[A-Za-z0-9_]{3,30}$"})]
Password = Annotated[str, Meta(extra_json_schema={
    "minLength": rules.PASSWORD_MIN, "description": "6 to 72 bytes (UTF-8)."})]
Secret = Annotated[str, Meta(min_length=1, max_length=TOKEN_MAX)]
FullName = Optional[Annotated[str, Meta(max_length=FULL_NAME_MAX)]]
Bio = Optional[Annotated[str, Meta(max_length=BIO_MAX)]]
Timestamp = Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
Code = Annotated[str, Meta(extra_json_schema={"pattern": "^[0-9]{6}$"})]


def _text(value: Optional[str], name: str, max_chars: int) -> Optional[str]:
    """Profile text: null clears it; trimmed; no control or bidi characters but newlines."""
    return None if value is None else rules.clean_text(value, name, max_chars=max_chars)


def _secret(value: str, name: str) -> str:
    value = value.strip()
    if not value:
        raise rules.RuleError(f"'{name}' must not be empty")
    return value


# ---- request bodies ----------------------------------------------------------------------


class Signup(Body):
    email: Email
    username: Username
    password: Password
    full_name: FullName = None

    def __post_init__(self) -> None:
        self.email = rules.email(self.email)
        self.username = rules.username(self.username)
        self.password = rules.new_password(self.password)
        self.full_name = _text(self.full_name, "full_name", FULL_NAME_MAX) or None


class Login(Body):
    email: Email
    password: Annotated[str, Meta(max_length=LOGIN_PASSWORD_MAX)]

    def __post_init__(self) -> None:
        self.email = rules.email(self.email)


class EmailOnly(Body):
    email: Email

    def __post_init__(self) -> None:
        self.email = rules.email(self.email)


class ResetPassword(Body):
    token: Secret
    new_password: Password

    def __post_init__(self) -> None:
        self.token = _secret(self.token, "token")
        self.new_password = rules.new_password(self.new_password)


class MailedToken(Body):
    token: Secret

    def __post_init__(self) -> None:
        self.token = _secret(self.token, "token")


class NoFields(Body):
    """A POST that takes no fields: `{}` or nothing; any key is a 400."""


class TwoFactorSwitch(Body):
    enable: bool


class MaybeEmail(Body):
    """The body of POST /auth/2fa/send-code: {email}, or nothing when the query has it."""

    email: Optional[Email] = None

    def __post_init__(self) -> None:
        self.email = None if self.email is None else rules.email(self.email)


class SendCodeQuery(Input, forbid_unknown_fields=True):
    email: Annotated[Optional[Email], Meta(
        description="As the old backend; or the body {email} (authApi.js)")] = None

    def __post_init__(self) -> None:
        self.email = None if self.email is None else rules.email(self.email)


class TwoFactorCode(Body):
    email: Email
    code: Code

    def __post_init__(self) -> None:
        self.email = rules.email(self.email)
        if not _CODE.fullmatch(self.code.strip()):
            raise rules.RuleError("'code' must be the 6-digit code from the email")
        self.code = self.code.strip()


class ProfileUpdate(Body):
    """PATCH /v1/me: the fields sent are changed (null clears a text), at least one."""

    username: Union[Username, UnsetType] = UNSET
    full_name: Union[FullName, UnsetType] = UNSET
    bio: Union[Bio, UnsetType] = UNSET

    def __post_init__(self) -> None:
        if self.username is UNSET and self.full_name is UNSET and self.bio is UNSET:
            raise rules.RuleError("Nothing to change: send username, full_name or bio")
        if self.username is not UNSET:
            self.username = rules.username(self.username)
        if self.full_name is not UNSET:
            self.full_name = _text(self.full_name, "full_name", FULL_NAME_MAX)
        if self.bio is not UNSET:
            self.bio = _text(self.bio, "bio", BIO_MAX)

    def changes(self) -> Dict[str, Optional[str]]:
        return {f: getattr(self, f) for f in self.__struct_fields__ if getattr(self, f) is not UNSET}


class AvatarConfirmation(Body):
    """Cloudinary's upload answer as the browser got it."""

    public_id: Annotated[str, Meta(max_length=200)]
    version: Annotated[int, Meta(ge=1, lt=10**12)]
    signature: Annotated[str, Meta(pattern="^[0-9a-f]{40,64}$")]


# ---- answers -----------------------------------------------------------------------------


class AccountUser(Answer):
    id: Uuid
    email: str
    username: str
    full_name: Optional[str]
    avatar_url: Optional[str]
    role: str
    coin_balance: int
    email_verified: Union[bool, UnsetType] = UNSET
    two_factor_enabled: Union[bool, UnsetType] = UNSET


class AuthTokens(Answer):
    access_token: str
    token_type: Literal["bearer"]
    user: AccountUser


class PublicProfile(Answer):
    id: Uuid
    username: str
    full_name: Optional[str]
    avatar_url: Optional[str]
    bio: Optional[str]
    role: str
    followers_count: Count
    following_count: Count
    created_at: Optional[Timestamp]


class OwnerProfile(PublicProfile):
    """The public profile plus what only its owner sees."""

    email: str
    coin_balance: int
    total_earnings: float
    email_verified: Union[bool, UnsetType] = UNSET
    two_factor_enabled: Union[bool, UnsetType] = UNSET


class Message(Answer):
    message: str


class TwoFactorRequired(Answer):
    """A 6-digit code was mailed: POST /auth/2fa/verify"""

    detail: str
    requires_2fa: Annotated[bool, Meta(extra_json_schema={"const": True})]
    email: Union[str, UnsetType] = UNSET


class SignedOutEverywhere(Answer):
    message: str
    access_token: str
    token_type: Literal["bearer"]


class TwoFactorState(Answer):
    message: str
    two_factor_enabled: bool


class AvatarUploadTicket(Answer):
    upload_url: str
    fields: Dict[str, str]
    expires_at: int
    max_bytes: Union[int, UnsetType] = UNSET

