"""GET and PATCH /v1/me: the signed-in user's own profile."""
from __future__ import annotations

from chalice import Blueprint

from .. import models
from ..accounts import avatars, service, validation
from ..http import json_body, private_json
from .identity import signed_in_profile

bp = Blueprint(__name__)


@bp.route("/v1/me", methods=["GET"])
def me():
    _, row = signed_in_profile(bp.current_request)  # the token check reads the row itself
    return private_json(models.user(row))


@bp.route("/v1/me", methods=["PATCH"])
def update_me():
    request = bp.current_request
    principal, _ = signed_in_profile(request)
    fields = validation.profile_update(json_body(request, max_bytes=4096))
    return private_json(models.user(service.update_profile(principal.user_id, fields)))


@bp.route("/v1/me/avatar", methods=["POST"])
def sign_avatar_upload():
    """Signed fields for the browser's direct image upload to Cloudinary."""
    request = bp.current_request
    principal, _ = signed_in_profile(request)
    validation.closed(json_body(request, max_bytes=1024), ())
    return private_json(avatars.sign(principal.user_id))


@bp.route("/v1/me/avatar", methods=["PUT"])
def confirm_avatar():
    """Cloudinary's signed upload answer; avatar_url is built from the verified public id."""
    request = bp.current_request
    principal, _ = signed_in_profile(request)
    upload = validation.avatar_confirmation(json_body(request, max_bytes=2048))
    avatars.confirm(principal.user_id, upload["public_id"], upload["version"], upload["signature"])
    _, row = signed_in_profile(request)
    return private_json(models.user(row))
