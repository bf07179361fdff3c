"""/auth/*: the frontend's account calls (FRONTEND.md section 1), the mailed flows, 2FA.
Thin: parse, call chalicelib.accounts, shape the answer."""
from __future__ import annotations

from typing import Any, Optional

from chalice import Blueprint

from ..accounts import service, validation as check
from ..accounts import flows
from ..errors import BadRequest
from ..http import json_body, private_json, public_json, query, uuid_param
from . import cache_policies as cache
from .identity import signed_in, signed_in_profile
from .viewer import request_address

bp = Blueprint(__name__)

MAX_BODY = 4096


def _body(request: Any) -> dict:
    return json_body(request, max_bytes=MAX_BODY)


def _address(request: Any) -> Optional[str]:
    return request_address(request)


def _answer(answer: service.Answer):
    return private_json(answer.body, status=answer.status, headers=answer.headers)


@bp.route("/auth/signup", methods=["POST"])
def signup():
    request = bp.current_request
    return _answer(service.signup(check.signup(_body(request)), _address(request)))


@bp.route("/auth/login", methods=["POST"])
def login():
    request = bp.current_request
    fields = check.login(_body(request))
    return _answer(service.login(fields["email"], fields["password"], _address(request)))


@bp.route("/auth/me", methods=["GET"])
def me():
    _, row = signed_in_profile(bp.current_request)
    return private_json(service.owner_profile(row))


@bp.route("/auth/user/{user_id}", methods=["GET"])
def user(user_id):
    # Public and the same for everybody: no token is read (edge-cached, one entry for all).
    request = bp.current_request
    return public_json(request, service.public(uuid_param(user_id, "user_id")), cache.PROFILE)


@bp.route("/auth/logout-all", methods=["POST"])
def logout_all():
    request = bp.current_request
    principal = signed_in(request)
    check.closed(_body(request), ())
    return private_json(service.logout_all(principal.user_id))


@bp.route("/auth/forgot-password", methods=["POST"])
def forgot_password():
    request = bp.current_request
    body = _body(request)
    check.closed(body, ("email",))
    return private_json(flows.forgot_password(check.email(body), _address(request)))


@bp.route("/auth/reset-password", methods=["POST"])
def reset_password():
    request = bp.current_request
    body = _body(request)
    check.closed(body, ("token", "new_password"))
    secret, password = check.token(body), check.new_password(body, "new_password")
    return private_json(flows.reset_password(secret, password, _address(request)))


@bp.route("/auth/verify-email", methods=["POST"])
def verify_email():
    request = bp.current_request
    body = _body(request)
    check.closed(body, ("token",))
    return private_json(flows.verify_email(check.token(body), _address(request)))


@bp.route("/auth/resend-verification", methods=["POST"])
def resend_verification():
    request = bp.current_request
    principal = signed_in(request)
    check.closed(_body(request), ())
    return private_json(flows.resend_verification(principal.user_id))


@bp.route("/auth/2fa/enable", methods=["POST"])
def two_factor_enable():
    request = bp.current_request
    principal = signed_in(request)
    body = _body(request)
    check.closed(body, ("enable",))
    return private_json(flows.set_two_factor(principal.user_id, check.boolean(body, "enable")))


@bp.route("/auth/2fa/send-code", methods=["POST"])
def two_factor_send_code():
    # `email` as a query parameter, as the old backend takes it; authApi.js sends it as the
    # body `{email}`: either is accepted (both must then agree).
    request = bp.current_request
    params = dict(query(request))
    if set(params) - {"email"}:
        raise BadRequest("Unknown query parameter(s): " + ", ".join(sorted(set(params) - {"email"})))
    body = _body(request)
    check.closed(body, (), ("email",))
    emails = {check.email(source) for source in (params, body) if "email" in source}
    if len(emails) != 1:
        raise BadRequest("Send one email, as the query parameter `email` or the body {email}")
    return private_json(flows.resend_code(emails.pop(), _address(request)))


@bp.route("/auth/2fa/verify", methods=["POST"])
def two_factor_verify():
    request = bp.current_request
    body = _body(request)
    check.closed(body, ("email", "code"))
    return _answer(service.verify_two_factor(check.email(body), check.code(body["code"])))
