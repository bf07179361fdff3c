"""/auth/*: the frontend's account calls (FRONTEND.md section 1), the mailed flows, 2FA.
Thin: the declarations decode the bodies (chalicelib/schema/accounts.py), chalicelib.accounts
does the work."""
from __future__ import annotations

from typing import Optional

from chalice import Blueprint

from ..lazy import lazy
from ..errors import BadRequest
from ..schema import accounts as shape
from ..schema.common import UserIdPath
from . import cache_policies as cache
from .declare import PROFILE, SIGNED_IN, Call, Reply, endpoint
from .viewer import request_address

flows = lazy("chalicelib.accounts.flows")
service = lazy("chalicelib.accounts.service")

bp = Blueprint(__name__)

MAX_BODY = 4096
TAG = "accounts"
LOGIN_NOTE = (
    "401 `Incorrect email or password` for an unknown email, a wrong password or an unusable "
    "stored hash alike. 429 with Retry-After after repeated failures for the email or the "
    "address (a right password too). With two-factor sign-in on: 403 `{detail, requires_2fa: "
    "true, email}` and a code is mailed; then POST /auth/2fa/verify.")


def _address(call: Call) -> Optional[str]:
    return request_address(call.request)


def _answer(answer: service.Answer) -> Reply:
    return Reply(answer.body, status=answer.status, headers=answer.headers or None)


@endpoint(bp, "POST", "/auth/signup", summary="Sign up (and sign in)", tag=TAG, body=shape.Signup,
          answer=shape.AuthTokens, errors=(429,), max_body=MAX_BODY,
          description="400 `Email already registered` / `Username already taken`. "
          "A verification link is mailed.")
def signup(call: Call):
    fields = {f: getattr(call.body, f) for f in call.body.__struct_fields__}
    return _answer(service.signup(fields, _address(call)))


@endpoint(bp, "POST", "/auth/login", summary="Log in", tag=TAG, body=shape.Login, answer=shape.AuthTokens,
          errors=(401, (403, shape.TwoFactorRequired), 429), max_body=MAX_BODY, description=LOGIN_NOTE)
def login(call: Call):
    return _answer(service.login(call.body.email, call.body.password, _address(call)))


@endpoint(bp, "GET", "/auth/me", summary="My full profile", tag=TAG, auth=PROFILE,
          answer=shape.OwnerProfile)
def auth_me(call: Call):
    return service.owner_profile(call.profile)


@endpoint(bp, "GET", "/auth/user/{user_id}", summary="A user's public profile (no email, coins or earnings)",
          tag=TAG, params=UserIdPath, answer=shape.PublicProfile, cache=cache.PROFILE, errors=(404,),
          description="The same for everybody: a token, if sent, is not read.")
def auth_user(call: Call):
    # Public and the same for everybody: no token is read (edge-cached, one entry for all).
    return service.public(str(call.path.user_id))


@endpoint(bp, "POST", "/auth/logout-all", summary="Revoke every token issued so far; answers a fresh one",
          tag=TAG, auth=SIGNED_IN, body=shape.NoFields, answer=shape.SignedOutEverywhere, errors=(404,),
          max_body=MAX_BODY)
def logout_all(call: Call):
    return service.logout_all(call.user_id)


@endpoint(bp, "POST", "/auth/forgot-password", summary="Mail a password reset link (always the same answer)",
          tag=TAG, body=shape.EmailOnly, answer=shape.Message, errors=(429,), max_body=MAX_BODY)
def forgot_password(call: Call):
    return flows.forgot_password(call.body.email, _address(call))


@endpoint(bp, "POST", "/auth/reset-password", tag=TAG, body=shape.ResetPassword, answer=shape.Message,
          summary="Set a new password with a mailed token; revokes older tokens", errors=(429,),
          max_body=MAX_BODY)
def reset_password(call: Call):
    return flows.reset_password(call.body.token, call.body.new_password, _address(call))


@endpoint(bp, "POST", "/auth/verify-email", summary="Confirm the email address with a mailed token", tag=TAG,
          body=shape.MailedToken, answer=shape.Message, errors=(429,), max_body=MAX_BODY)
def verify_email(call: Call):
    return flows.verify_email(call.body.token, _address(call))


@endpoint(bp, "POST", "/auth/resend-verification", summary="Mail a new verification link", tag=TAG,
          auth=SIGNED_IN, body=shape.NoFields, answer=shape.Message, errors=(429,), max_body=MAX_BODY)
def resend_verification(call: Call):
    return flows.resend_verification(call.user_id)


@endpoint(bp, "POST", "/auth/2fa/enable", tag=TAG, auth=SIGNED_IN, body=shape.TwoFactorSwitch,
          summary="Turn two-factor sign-in by emailed code on or off (needs a verified email)",
          answer=shape.TwoFactorState, max_body=MAX_BODY)
def two_factor_enable(call: Call):
    return flows.set_two_factor(call.user_id, call.body.enable)


@endpoint(bp, "POST", "/auth/2fa/send-code", tag=TAG, query=shape.SendCodeQuery, body=shape.MaybeEmail,
          summary="Mail a new code for a sign-in waiting for one (always the same answer)",
          answer=shape.Message, errors=(429,), max_body=MAX_BODY)
def two_factor_send_code(call: Call):
    # `email` as a query parameter, as the old backend takes it; authApi.js sends it as the
    # body `{email}`: either is accepted (both must then agree).
    emails = {e for e in (call.query.email, call.body.email) if e is not None}
    if len(emails) != 1:
        raise BadRequest("Send one email, as the query parameter `email` or the body {email}")
    return flows.resend_code(emails.pop(), _address(call))


@endpoint(bp, "POST", "/auth/2fa/verify", summary="Finish a two-factor sign-in with the mailed code", tag=TAG,
          body=shape.TwoFactorCode, answer=shape.AuthTokens, errors=(429,), max_body=MAX_BODY)
def two_factor_verify(call: Call):
    return _answer(service.verify_two_factor(call.body.email, call.body.code))
