"""Reports and moderator routes (issue 16). Every answer is private: a report names its
reporter's intent, the queue and the actions are for moderators (users.role = 'admin')."""
from __future__ import annotations

from chalice import Blueprint

from ..http import json_body, private_json, uuid_param
from ..moderation import actions, reports
from . import paging
from .identity import signed_in

bp = Blueprint(__name__)


@bp.route("/v1/reports", methods=["POST"])
def create_report():
    request = bp.current_request
    user = signed_in(request)
    report, created = reports.report(user.user_id, json_body(request))
    return private_json(report, status=201 if created else 200)


def _moderator() -> str:
    user = signed_in(bp.current_request)
    actions.require_admin(user.user_id)
    return user.user_id


@bp.route("/v1/admin/reports", methods=["GET"])
def report_queue():
    request = bp.current_request
    _moderator()
    return private_json(reports.queue(paging.cursor(request), paging.cursor_limit(request)).as_json())


def _act(action: str, raw_id: str):
    moderator = _moderator()
    target_id = uuid_param(raw_id, "id")
    reason = actions.parse_reason(json_body(bp.current_request))
    return private_json(actions.act(moderator, action, target_id, reason))


@bp.route("/v1/admin/videos/{id}/takedown", methods=["POST"])
def takedown_video(id):  # noqa: A002 - the path parameter's name
    return _act("takedown_video", id)


@bp.route("/v1/admin/videos/{id}/restore", methods=["POST"])
def restore_video(id):  # noqa: A002
    return _act("restore_video", id)


@bp.route("/v1/admin/comments/{id}/takedown", methods=["POST"])
def takedown_comment(id):  # noqa: A002
    return _act("takedown_comment", id)


@bp.route("/v1/admin/comments/{id}/restore", methods=["POST"])
def restore_comment(id):  # noqa: A002
    return _act("restore_comment", id)


@bp.route("/v1/admin/users/{id}/suspend", methods=["POST"])
def suspend_user(id):  # noqa: A002
    return _act("suspend_user", id)


@bp.route("/v1/admin/users/{id}/restore", methods=["POST"])
def restore_user(id):  # noqa: A002
    return _act("restore_user", id)
