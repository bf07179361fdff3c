"""GET /v1/me: the signed-in user's own profile."""
from __future__ import annotations

from chalice import Blueprint

from .. import models
from ..errors import NotFound
from ..http import private_json
from ..repo import users
from .identity import signed_in

bp = Blueprint(__name__)


@bp.route("/v1/me", methods=["GET"])
def me():
    principal = signed_in(bp.current_request)
    profile = users.get_user(principal.user_id)
    if profile is None:  # deleted between the token check and now
        raise NotFound("User not found")
    return private_json(models.user(profile))
