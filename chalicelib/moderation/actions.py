"""Moderator actions: take down or restore a video or comment, suspend or restore a user.

Each is one transaction: the hidden mark (every read already filters on it, so the content
is gone from every Postgres-backed list and read at commit), the audit row, the open reports
resolved, the owner notified through the outbox. Then, after commit, trending's stored lists
and the CDN drop the videos concerned (trending.purge_call). Idempotent: repeating an action
changes nothing, audits nothing and notifies nobody.
"""
from __future__ import annotations

from typing import Any, Dict

from .. import db, timestamps
from ..errors import BadRequest, Forbidden, NotFound
from ..notifications.outbox import notify
from ..repo import moderation as repo

# action name -> (target type, hide?)
ACTIONS = {
    "takedown_video": ("video", True), "restore_video": ("video", False),
    "takedown_comment": ("comment", True), "restore_comment": ("comment", False),
    "suspend_user": ("user", True), "restore_user": ("user", False),
}


def require_admin(user_id: str) -> None:
    if not repo.is_admin(user_id):
        raise Forbidden("Moderators only")


def _notify_owner(conn: Any, target_type: str, hide: bool, changed: dict, target_id: str,
                  reason: str) -> None:
    if target_type == "user":
        return  # a suspended user cannot read notifications; a restored one sees their content back
    what = "video" if target_type == "video" else "comment"
    if hide:
        notify(conn, changed["owner_id"], "content_taken_down", f"Your {what} was taken down",
               f"Reason: {reason}"[:1000], {f"{what}_id": target_id, "reason": reason})
    else:
        notify(conn, changed["owner_id"], "content_restored", f"Your {what} is visible again",
               None, {f"{what}_id": target_id})


def act(moderator_id: str, action: str, target_id: str, reason: str) -> Dict[str, Any]:
    target_type, hide = ACTIONS[action]
    if target_type == "user" and target_id == moderator_id:
        raise BadRequest("You cannot suspend yourself")
    purge: list = []

    def work(conn: Any) -> Dict[str, Any]:
        changed = repo.set_hidden(conn, target_type, target_id, hide, reason)
        if changed is None:
            state = repo.hidden_state(conn, target_type, target_id)
            if state is None:
                raise NotFound(f"{target_type.title()} not found")
            return {"changed": False, "hidden": state["hidden"], "audited_at": None}
        if target_type == "user":  # their comments leave (or rejoin) comments_count
            repo.shift_author_comments(conn, target_id, hide)
        entry = repo.audit(conn, moderator_id, action, target_type, target_id, reason)
        if hide:
            repo.resolve_reports(conn, target_type, target_id, moderator_id)
        _notify_owner(conn, target_type, hide, changed, target_id, reason)
        if target_type == "video":
            purge.append(target_id)
        elif target_type == "user":
            purge.extend(repo.listed_video_ids_of(conn, target_id))
        return {"changed": True, "hidden": hide, "audited_at": timestamps.iso(entry["created_at"])}

    outcome = db.in_transaction(work)
    if purge and hide:
        from ..trending import purge_call

        purge_call.request(purge)
    elif purge:  # restored: this environment stops filtering them; the next refresh lists them
        from ..trending import hidden

        hidden.unhide(purge)
    return {"target_type": target_type, "target_id": target_id, "action": action,
            "reason": reason, **outcome}
