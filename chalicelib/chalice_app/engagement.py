"""Engagement routes: likes, comments, views and shares (issue 6), the /v1 API and the
frontend's existing paths. Thin: parse, call chalicelib.engagement, answer privately."""
from __future__ import annotations

from typing import Any, Dict

from chalice import Blueprint

from ..engagement import comments, likes, views
from ..errors import BadRequest
from ..http import json_body, private_json, uuid_param
from .identity import signed_in
from .viewer import issued_key_headers, viewer_of

bp = Blueprint(__name__)


def _video_id(raw: str) -> str:
    return uuid_param(raw, "video_id")


# ---- likes -------------------------------------------------------------------------------


@bp.route("/v1/videos/{id}/like", methods=["PUT", "DELETE"])
def v1_like(id: str):
    video_id = _video_id(id)
    user = signed_in(bp.current_request)
    liked = bp.current_request.method == "PUT"
    return private_json(likes.set_like(user.user_id, video_id, liked))


@bp.route("/videos/{video_id}/like", methods=["POST"])
def toggle_like(video_id: str):
    video_id = _video_id(video_id)
    user = signed_in(bp.current_request)
    # VideoPlayer.jsx reads `liked` and `likes_count` (the old backend sent only `liked`).
    return private_json(likes.toggle(user.user_id, video_id))


# ---- comments ----------------------------------------------------------------------------


def _post_comment(video_id: str, allow_parent: bool) -> Dict[str, Any]:
    request = bp.current_request
    video_id = _video_id(video_id)
    user = signed_in(request)
    body = json_body(request)
    content = comments.clean_content(body.get("content"))
    parent = body.get("parent_id") if allow_parent else None
    if parent is not None and not isinstance(parent, str):
        raise BadRequest("'parent_id' must be a UUID")
    parent_id = uuid_param(parent, "parent_id") if parent is not None else None
    key = comments.clean_idempotency_key(request.headers.get("idempotency-key"))
    return comments.post(user.user_id, video_id, content, parent_id, key)


@bp.route("/v1/videos/{id}/comments", methods=["POST"])
def v1_post_comment(id: str):
    return private_json(_post_comment(id, allow_parent=True), status=201)


@bp.route("/videos/{video_id}/comment", methods=["POST"])
def post_comment(video_id: str):
    return private_json(_post_comment(video_id, allow_parent=False))


@bp.route("/v1/comments/{id}", methods=["DELETE"])
def v1_delete_comment(id: str):
    comment_id = uuid_param(id, "comment_id")
    user = signed_in(bp.current_request)
    return private_json(comments.delete(user.user_id, comment_id))


# ---- views and shares --------------------------------------------------------------------


@bp.route("/v1/videos/{id}/views", methods=["POST"])
def v1_view(id: str):
    request = bp.current_request
    video_id = _video_id(id)
    watch_ms = views.clean_watch_ms(json_body(request).get("watch_ms"))
    viewer = viewer_of(request)
    counted = views.count_view(video_id, viewer, watch_ms)
    return private_json({"counted": counted}, headers=issued_key_headers(viewer))


@bp.route("/v1/videos/{id}/shares", methods=["POST"])
def v1_share(id: str):
    request = bp.current_request
    video_id = _video_id(id)
    channel = views.clean_channel(json_body(request).get("channel"))
    viewer = viewer_of(request)
    answer = views.count_share(video_id, viewer, channel)
    return private_json(answer, status=201 if answer["counted"] else 200,
                        headers=issued_key_headers(viewer))
