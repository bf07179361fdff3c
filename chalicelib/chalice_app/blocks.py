"""Block routes (issue 16): PUT/DELETE /v1/users/{id}/block, GET /v1/me/blocks. Private."""
from __future__ import annotations

from chalice import Blueprint

from ..http import private_json, uuid_param
from ..moderation import blocks
from .identity import signed_in

bp = Blueprint(__name__)


@bp.route("/v1/users/{id}/block", methods=["PUT", "DELETE"])
def block(id):  # noqa: A002 - the path parameter's name
    request = bp.current_request
    target = uuid_param(id, "id")
    user = signed_in(request)
    return private_json(blocks.set_blocked(user.user_id, target, request.method == "PUT"))


@bp.route("/v1/me/blocks", methods=["GET"])
def my_blocks():
    user = signed_in(bp.current_request)
    return private_json({"ids": blocks.my_blocks(user.user_id)})
