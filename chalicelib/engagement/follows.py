"""Follows: idempotent follow / unfollow."""
from __future__ import annotations

from typing import Any, Dict

from .. import db, ratelimit
from ..errors import BadRequest, NotFound
from ..repo import counters, follows
from ..moderation.blocks import refuse_if_blocked
from . import counters as folding


def set_following(follower_id: str, followed_id: str, following: bool) -> Dict[str, Any]:
    """Follow (True) or unfollow (False); the same answer however often it is sent."""
    if follower_id == followed_id:
        raise BadRequest("You cannot follow yourself")

    def work(conn: Any) -> Dict[str, Any]:
        if following:
            refuse_if_blocked(conn, follower_id, followed_id, "follow")
        ratelimit.check(conn, follower_id, "follow")
        result = (follows.follow if following else follows.unfollow)(conn, follower_id, followed_id)
        if not result["found"]:
            raise NotFound("User not found")
        fresh = counters.fresh_user_count(conn, followed_id, "followers")
        return {"following": following, "changed": bool(result["changed"]),
                "followers_count": fresh["n"], "pending": fresh["pending"]}

    answer = db.in_transaction(work)
    folding.fold_backlog(user_id=followed_id, pending=answer.pop("pending"))
    return answer
