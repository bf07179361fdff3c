"""Follow routes (issue 6): /v1 idempotent PUT/DELETE and the frontend's follow/unfollow."""
from __future__ import annotations

from chalice import Blueprint

from ..engagement import follows
from ..http import private_json, uuid_param
from .identity import signed_in

bp = Blueprint(__name__)


def _set(raw_user_id: str, following: bool) -> dict:
    followed_id = uuid_param(raw_user_id, "user_id")
    user = signed_in(bp.current_request)
    return follows.set_following(user.user_id, followed_id, following)


@bp.route("/v1/users/{id}/follow", methods=["PUT", "DELETE"])
def v1_follow(id: str):
    answer = _set(id, bp.current_request.method == "PUT")
    return private_json({"following": answer["following"], "followers_count": answer["followers_count"]})


@bp.route("/social/follow/{user_id}", methods=["POST"])
def follow(user_id: str):
    answer = _set(user_id, True)
    message = "Now following" if answer["changed"] else "Already following"
    return private_json({"message": message, "following": True})


@bp.route("/social/unfollow/{user_id}", methods=["DELETE"])
def unfollow(user_id: str):
    answer = _set(user_id, False)
    message = "Unfollowed" if answer["changed"] else "Not following"
    return private_json({"message": message, "following": False})
