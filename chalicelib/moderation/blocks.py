"""Blocks: either side of a block can no longer follow, comment on, gift or notify the other.

Blocking removes the follows both ways (the counters move through the follows triggers, as
for an unfollow). Public, cached lists cannot depend on the viewer, so clients filter them
with the blocker's own list (GET /v1/me/blocks); private lists filter server-side. Whom
someone blocked is theirs alone: a blocked user is never told, beyond the refusals.
"""
from __future__ import annotations

from typing import Any, Dict, List

from .. import db, ratelimit
from ..errors import BadRequest, Forbidden, NotFound
from ..repo import blocks, follows


def set_blocked(blocker_id: str, blocked_id: str, blocked: bool) -> Dict[str, Any]:
    if blocker_id == blocked_id:
        raise BadRequest("You cannot block yourself")

    def work(conn: Any) -> Dict[str, Any]:
        if not blocked:
            return {"blocked": False, "changed": blocks.unblock(conn, blocker_id, blocked_id)}
        ratelimit.check(conn, blocker_id, "block")
        result = blocks.block(conn, blocker_id, blocked_id)
        if not result["found"]:
            raise NotFound("User not found")
        follows.unfollow(conn, blocker_id, blocked_id)
        follows.unfollow(conn, blocked_id, blocker_id)
        return {"blocked": True, "changed": bool(result["changed"])}

    return db.in_transaction(work)


def my_blocks(user_id: str) -> List[str]:
    return blocks.blocked_by(user_id)


def refuse_if_blocked(conn: Any, a: str, b: str, what: str) -> None:
    """Raise 403 when either of the two has blocked the other."""
    if blocks.either_blocked(conn, a, b):
        raise Forbidden(f"You cannot {what} this user")
