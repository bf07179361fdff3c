"""Reports and moderator routes (issue 16). Every answer is private: a report names its
reporter's intent, the queue and the actions are for moderators (users.role = 'admin')."""
from __future__ import annotations

from chalice import Blueprint

from ..lazy import lazy
from ..schema.common import CursorPage, IdPath
from ..schema.moderation import ModerationReason, ModerationResult, NewReport, Report, ReportQueue
from .declare import SIGNED_IN, Call, Reply, endpoint

actions = lazy("chalicelib.moderation.actions")
reports = lazy("chalicelib.moderation.reports")

bp = Blueprint(__name__)


@endpoint(bp, "POST", "/v1/reports", summary="Report a video, comment or user", tag="moderation",
          auth=SIGNED_IN, body=NewReport, answer=Report, status=201, also_ok=(200,), errors=(404,),
          rate_limit="report",
          description="One open report per reporter and target: a repeat answers the open one "
                      "(200). Rate-limited (RATE_LIMITS `report`).")
def create_report(call: Call):
    body = call.body
    report, created = reports.report(call.user_id, body.target_type, body.target_id, body.reason, body.note)
    return Reply(report, status=201 if created else 200)


@endpoint(bp, "GET", "/v1/admin/reports", summary="The moderators' queue: reported targets, "
          "heaviest first", tag="moderation", auth=SIGNED_IN, query=CursorPage, answer=ReportQueue,
          errors=(403,))
def report_queue(call: Call):
    actions.require_admin(call.user_id)
    return reports.queue(call.query.cursor, call.query.limit).as_json()


_HIDE = ("Hidden at once from every list, search, single read and trending (stored lists "
         "rewritten, CDN invalidated); the reason kept and audited; the owner notified; open "
         "reports on it resolved. Repeating it changes nothing (`changed: false`).")
_RESTORE = "Audited; the owner notified."


def _action(path: str, summary: str, description: str):
    return endpoint(bp, "POST", path, summary=summary, tag="moderation", auth=SIGNED_IN,
                    params=IdPath, body=ModerationReason, answer=ModerationResult,
                    errors=(403, 404), description=description)


def _act(call: Call, action: str):
    actions.require_admin(call.user_id)
    return actions.act(call.user_id, action, call.path.id, call.body.reason)


@_action("/v1/admin/videos/{id}/takedown", "Take a video down", _HIDE)
def takedown_video(call: Call):
    return _act(call, "takedown_video")


@_action("/v1/admin/videos/{id}/restore", "Restore a taken-down video", _RESTORE)
def restore_video(call: Call):
    return _act(call, "restore_video")


@_action("/v1/admin/comments/{id}/takedown", "Take a comment down", _HIDE)
def takedown_comment(call: Call):
    return _act(call, "takedown_comment")


@_action("/v1/admin/comments/{id}/restore", "Restore a taken-down comment", _RESTORE)
def restore_comment(call: Call):
    return _act(call, "restore_comment")


@_action("/v1/admin/users/{id}/suspend", "Suspend a user", "Their tokens are refused (401), their "
         "profile, videos and comments hidden, their videos purged from trending. Audited.")
def suspend_user(call: Call):
    return _act(call, "suspend_user")


@_action("/v1/admin/users/{id}/restore", "Restore a suspended user", "Audited.")
def restore_user(call: Call):
    return _act(call, "restore_user")
