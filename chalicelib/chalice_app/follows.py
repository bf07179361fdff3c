"""Follow routes (issue 6): /v1 idempotent PUT/DELETE and the frontend's follow/unfollow."""
from __future__ import annotations

from chalice import Blueprint

from ..lazy import lazy
from ..schema.common import IdPath, UserIdPath
from ..schema.people import FollowMessage, FollowState
from .declare import SIGNED_IN, Call, endpoint

follows = lazy("chalicelib.engagement.follows")

bp = Blueprint(__name__)
ERRORS = (403, 404)  # 403 across a block


def _state(call: Call, following: bool) -> dict:
    answer = follows.set_following(call.user_id, call.path.id, following)
    return {"following": answer["following"], "followers_count": answer["followers_count"]}


@endpoint(bp, "PUT", "/v1/users/{id}/follow", summary="Follow a user (idempotent)", tag="people",
          params=IdPath, auth=SIGNED_IN, answer=FollowState, rate_limit="follow", errors=ERRORS)
def v1_follow(call: Call):
    return _state(call, True)


@endpoint(bp, "DELETE", "/v1/users/{id}/follow", summary="Unfollow a user (idempotent)", tag="people",
          params=IdPath, auth=SIGNED_IN, answer=FollowState, rate_limit="follow", errors=ERRORS)
def v1_unfollow(call: Call):
    return _state(call, False)


@endpoint(bp, "POST", "/social/follow/{user_id}", summary="Follow a user (the current frontend's route)",
          tag="people", params=UserIdPath, auth=SIGNED_IN, answer=FollowMessage, rate_limit="follow",
          errors=ERRORS)
def follow(call: Call):
    answer = follows.set_following(call.user_id, call.path.user_id, True)
    return {"message": "Now following" if answer["changed"] else "Already following", "following": True}


@endpoint(bp, "DELETE", "/social/unfollow/{user_id}", summary="Unfollow a user (the current frontend's route)",
          tag="people", params=UserIdPath, auth=SIGNED_IN, answer=FollowMessage, rate_limit="follow",
          errors=ERRORS)
def unfollow(call: Call):
    answer = follows.set_following(call.user_id, call.path.user_id, False)
    return {"message": "Unfollowed" if answer["changed"] else "Not following", "following": False}
