"""Reports and moderator routes (issue 16). Every answer is private: a report names its
reporter's intent, the queue and the actions are for moderators (users.role = 'admin')."""
from __future__ import annotations

from chalice import Blueprint

from ..lazy import lazy
from ..schema.common import CursorPage, IdPath
from ..schema.moderation import (AuditLog, AuditQuery, DismissResult, ModerationReason,
                                 ModerationResult, NewReport, Report, ReportQueue)
from .declare import SIGNED_IN, Call, Reply, endpoint

actions = lazy("chalicelib.moderation.actions")
audit = lazy("chalicelib.moderation.audit")
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


def _action(path: str, summary: str, description: str, answer: type = ModerationResult):
    return endpoint(bp, "POST", path, summary=summary, tag="moderation", auth=SIGNED_IN,
                    params=IdPath, body=ModerationReason, answer=answer,
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


_DISMISS = ("Closes every open report on the target without acting on it (status `dismissed`), "
            "so it leaves the queue; audited (`dismiss_reports`). A repeat changes nothing "
            "(`changed: false`); a report filed later puts the target back in the queue.")


def _dismissal(kind: str):
    return _action(f"/v1/admin/{kind}s/{{id}}/dismiss", f"Dismiss the reports on a {kind}",
                   _DISMISS, answer=DismissResult)


def _dismiss(call: Call, target_type: str):
    actions.require_admin(call.user_id)
    return reports.dismiss(call.user_id, target_type, call.path.id, call.body.reason)


@_dismissal("video")
def dismiss_video_reports(call: Call):
    return _dismiss(call, "video")


@_dismissal("comment")
def dismiss_comment_reports(call: Call):
    return _dismiss(call, "comment")


@_dismissal("user")
def dismiss_user_reports(call: Call):
    return _dismiss(call, "user")


@endpoint(bp, "GET", "/v1/admin/audit", summary="The moderators' audit log, newest first",
          tag="moderation", auth=SIGNED_IN, query=AuditQuery, answer=AuditLog, errors=(403,),
          description="Every moderator action (takedowns, restores, suspensions, dismissals): "
                      "who, what, which target, when, why. Filter by `target_type`, `target_id`, "
                      "`moderator_id`; cursor pages (a cursor belongs to its filters).")
def audit_log(call: Call):
    actions.require_admin(call.user_id)
    q = call.query
    filters = {"target_type": q.target_type, "target_id": q.target_id, "moderator_id": q.moderator_id}
    return audit.log(filters, q.cursor, q.limit).as_json()
