"""Comments: post (with replies one level deep and an Idempotency-Key), soft delete."""
from __future__ import annotations

import uuid
from typing import Any, Dict, Optional

from .. import db, models, ratelimit
from ..errors import BadRequest, Conflict, Forbidden, NotFound
from ..moderation.blocks import refuse_if_blocked
from ..repo import comments

# Keys this API makes for calls that bring none (a client that sends such a key meets only
# its own comments).
AUTO_KEY_PREFIX = "auto:"


def _replayed(row: Dict[str, Any], video_id: str, content: str, parent_id: Optional[str]) -> Dict[str, Any]:
    """The first comment of a repeated key, when the request is the same; else 409 (as
    uploads and gifts answer), never the old comment passed off as the new one."""
    if str(row["video_id"]) != video_id:
        raise Conflict("Idempotency-Key was already used for a comment on another video")
    parent = None if row["parent_id"] is None else str(row["parent_id"])
    if row["content"] != content or parent != parent_id:
        raise Conflict("Idempotency-Key was already used for a different comment")
    return models.comment(row)


def post(
    user_id: str, video_id: str, content: str, parent_id: Optional[str] = None,
    idempotency_key: Optional[str] = None,
) -> Dict[str, Any]:
    """Add a comment (or a reply to a top-level comment); a retried key answers the first.

    Without a client key, one is made for this call: when db.run retries after a lost
    connection whose COMMIT may have landed, the retry finds that comment instead of adding
    it twice.
    """
    key = idempotency_key or AUTO_KEY_PREFIX + uuid.uuid4().hex

    def work(conn: Any) -> Dict[str, Any]:
        earlier = comments.comment_by_idempotency_key(conn, user_id, key)
        if earlier:
            return _replayed(earlier, video_id, content, parent_id)
        owner = comments.visible_video_owner(conn, video_id)
        if owner is None:
            raise NotFound("Video not found")
        refuse_if_blocked(conn, user_id, owner, "comment on the videos of")
        if parent_id:
            parent = comments.lock_live_parent(conn, parent_id)
            if parent is None:
                raise NotFound("Comment not found")
            if str(parent["video_id"]) != video_id:
                raise BadRequest("'parent_id' is a comment on another video")
            if parent["parent_id"] is not None:
                raise BadRequest("Replies are one level deep: reply to the top-level comment")
        ratelimit.check(conn, user_id, "comment")
        new_id = comments.insert_comment(conn, user_id, video_id, content, parent_id, key)
        if new_id is None:  # a concurrent retry with the same key committed first
            raise _LostRace()
        return models.comment(comments.comment_by_id(conn, new_id))

    try:
        return db.in_transaction(work)
    except _LostRace:
        def replay(conn: Any) -> Dict[str, Any]:
            return _replayed(comments.comment_by_idempotency_key(conn, user_id, key), video_id, content, parent_id)

        return db.run(replay)


class _LostRace(Exception):
    """Rolls back a post whose Idempotency-Key another request used at the same moment."""


def delete(user_id: str, comment_id: str) -> Dict[str, Any]:
    """Soft-delete a comment (and its replies) by its author or the video's owner.

    Deleting an already deleted comment answers the same (a retried DELETE)."""

    def work(conn: Any) -> Dict[str, Any]:
        row = comments.lock_for_delete(conn, comment_id)
        if row is None:
            raise NotFound("Comment not found")
        if user_id not in (str(row["user_id"]), str(row["video_owner"])):
            raise Forbidden("Only the comment's author or the video's owner may delete it")
        if row["deleted_at"] is None:
            # The trigger takes each marked row off comments_count.
            comments.soft_delete_with_replies(conn, comment_id)
        return {"id": comment_id, "deleted": True}

    return db.in_transaction(work)
