"""Notification routes (issue 13): the current backend's four, and /v1/me/notifications.

Every answer is about the signed-in caller: `private, no-store`. API Gateway (and Chalice's
local gateway) strip a trailing slash, so `/notifications/` and `/notifications` both reach
the list route.
"""
from __future__ import annotations

from typing import List

from chalice import Blueprint

from ..lazy import lazy
from ..schema import notifications as shape
from .declare import SIGNED_IN, Call, endpoint

service = lazy("chalicelib.notifications.service")

bp = Blueprint(__name__)
TAG = "notifications"


@endpoint(bp, "GET", "/notifications", tag=TAG, auth=SIGNED_IN, query=shape.NotificationsQuery,
          summary="My notifications, newest first (the current backend's route; `/notifications/` too)",
          answer=List[shape.Notification])
def list_notifications(call: Call):
    return service.recent(call.user_id, call.query.limit, bool(call.query.unread_only))


@endpoint(bp, "GET", "/notifications/unread-count", tag=TAG, auth=SIGNED_IN,
          summary="How many of my notifications are unread (one row read)",
          answer=shape.UnreadCount)
def unread_count(call: Call):
    return {"unread_count": service.unread_count(call.user_id)}


@endpoint(bp, "POST", "/notifications/{notification_id}/read", tag=TAG, auth=SIGNED_IN,
          summary="Mark one of my notifications read (idempotent)",
          params=shape.NotificationIdPath,
          answer=shape.Message, errors=(404,),
          description="404 for an unknown id and for another user's notification alike.")
def mark_read(call: Call):
    service.mark_read(call.user_id, str(call.path.notification_id))
    return {"message": "Notification marked as read"}


@endpoint(bp, "POST", "/notifications/read-all", tag=TAG, auth=SIGNED_IN,
          summary="Mark all my notifications read (idempotent; in batches)",
          answer=shape.Message)
def read_all(call: Call):
    result = service.read_all(call.user_id)
    message = ("All notifications marked as read" if result["finished"]
               else "Marking all notifications as read; the rest follow within seconds")
    return {"message": message}


@endpoint(bp, "GET", "/v1/me/notifications", summary="My notifications as cursor pages", tag=TAG,
          auth=SIGNED_IN, query=shape.NotificationsPage, answer=shape.NotificationPage)
def v1_my_notifications(call: Call):
    q = call.query
    return service.page(call.user_id, q.cursor, q.limit, bool(q.unread_only)).as_json()
