"""Notification routes (issue 13): the current backend's four, and /v1/me/notifications.

Every answer is about the signed-in caller: `private, no-store`. API Gateway (and Chalice's
local gateway) strip a trailing slash, so `/notifications/` and `/notifications` both reach
the list route.
"""
from __future__ import annotations

from chalice import Blueprint

from ..errors import BadRequest
from ..http import int_param, private_json, query, uuid_param
from ..notifications import service
from . import paging
from .identity import signed_in

bp = Blueprint(__name__)

COMPAT_MAX_LIMIT = 100


def _limit(default: int, maximum: int) -> int:
    value = int_param(bp.current_request, "limit", default, minimum=1)
    if value > maximum:
        raise BadRequest(f"'limit' must be at most {maximum}")
    return value


def _unread_only() -> bool:
    return service.parse_bool(query(bp.current_request).get("unread_only"), "unread_only")


@bp.route("/notifications", methods=["GET"])
def list_notifications():
    principal = signed_in(bp.current_request)
    limit, unread_only = _limit(20, COMPAT_MAX_LIMIT), _unread_only()
    return private_json(service.recent(principal.user_id, limit, unread_only))


@bp.route("/notifications/unread-count", methods=["GET"])
def unread_count():
    principal = signed_in(bp.current_request)
    return private_json({"unread_count": service.unread_count(principal.user_id)})


@bp.route("/notifications/{notification_id}/read", methods=["POST"])
def mark_read(notification_id: str):
    notification_id = uuid_param(notification_id, "notification_id")
    principal = signed_in(bp.current_request)
    service.mark_read(principal.user_id, notification_id)
    return private_json({"message": "Notification marked as read"})


@bp.route("/notifications/read-all", methods=["POST"])
def read_all():
    principal = signed_in(bp.current_request)
    result = service.read_all(principal.user_id)
    message = ("All notifications marked as read" if result["finished"]
               else "Marking all notifications as read; the rest follow within seconds")
    return private_json({"message": message})


@bp.route("/v1/me/notifications", methods=["GET"])
def v1_my_notifications():
    request = bp.current_request
    principal = signed_in(request)
    limit, unread_only = _limit(paging.CURSOR_DEFAULT_LIMIT, paging.CURSOR_MAX_LIMIT), _unread_only()
    page = service.page(principal.user_id, paging.cursor(request), limit, unread_only)
    return private_json(page.as_json())
