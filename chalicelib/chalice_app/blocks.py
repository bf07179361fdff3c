"""Block routes (issue 16): PUT/DELETE /v1/users/{id}/block, GET /v1/me/blocks. Private."""
from __future__ import annotations

from chalice import Blueprint

from ..lazy import lazy
from ..schema.common import IdPath
from ..schema.moderation import BlockList, BlockState
from .declare import SIGNED_IN, Call, endpoint

blocks = lazy("chalicelib.moderation.blocks")

bp = Blueprint(__name__)

_BLOCK = ("A block removes the follows both ways; while it lasts neither may follow, comment on "
          "the other's videos, gift or notify the other, and the blocker's private lists "
          "(following feed, notifications) leave the other out. Idempotent.")


@endpoint(bp, "PUT", "/v1/users/{id}/block", summary="Block a user", tag="blocks", auth=SIGNED_IN,
          params=IdPath, answer=BlockState, errors=(404,), rate_limit="block", description=_BLOCK)
def block_user(call: Call):
    return blocks.set_blocked(call.user_id, call.path.id, True)


@endpoint(bp, "DELETE", "/v1/users/{id}/block", summary="Unblock a user", tag="blocks",
          auth=SIGNED_IN, params=IdPath, answer=BlockState, description=_BLOCK)
def unblock_user(call: Call):
    return blocks.set_blocked(call.user_id, call.path.id, False)


@endpoint(bp, "GET", "/v1/me/blocks", summary="The ids I block (to filter public, cached lists "
          "on the client)", tag="blocks", auth=SIGNED_IN, answer=BlockList)
def my_blocks(call: Call):
    return {"ids": blocks.my_blocks(call.user_id)}
