"""Engagement routes: likes, comments, views and shares (issue 6), the /v1 API and the
frontend's existing paths. Thin: the declarations decode and check, chalicelib.engagement
does the work, every answer is private."""
from __future__ import annotations

from chalice import Blueprint

from ..lazy import lazy
from ..schema.common import IdPath, VideoIdPath
from ..schema.engagement import (CommentText, Counted, Deleted, LikeState, NewComment, ShareReport,
                                 ShareState, ViewReport)
from ..schema.videos import Comment
from .declare import SIGNED_IN, VIEWER, Call, Header, Reply, endpoint
from .viewer import VIEWER_KEY_HEADER, issued_key_headers

comments = lazy("chalicelib.engagement.comments")
likes = lazy("chalicelib.engagement.likes")
views = lazy("chalicelib.engagement.views")

bp = Blueprint(__name__)

IDEMPOTENCY_KEY = Header("Idempotency-Key", {"type": "string", "minLength": 1, "maxLength": 200},
                         description="A retried POST with the same key answers the first comment.")
VIEWER_KEY = Header(VIEWER_KEY_HEADER, description="The key an earlier answer issued to an anonymous viewer.")
LIKE_ERRORS = (404,)


# ---- likes -------------------------------------------------------------------------------


@endpoint(bp, "PUT", "/v1/videos/{id}/like", summary="Like a video (idempotent)", tag="engagement",
          params=IdPath, auth=SIGNED_IN, answer=LikeState, rate_limit="like", errors=LIKE_ERRORS)
def v1_like(call: Call):
    return likes.set_like(call.user_id, call.path.id, True)


@endpoint(bp, "DELETE", "/v1/videos/{id}/like", summary="Unlike a video (idempotent)", tag="engagement",
          params=IdPath, auth=SIGNED_IN, answer=LikeState, rate_limit="like", errors=LIKE_ERRORS)
def v1_unlike(call: Call):
    return likes.set_like(call.user_id, call.path.id, False)


@endpoint(bp, "POST", "/videos/{video_id}/like", summary="Toggle my like (the current frontend's route)",
          tag="engagement", params=VideoIdPath, auth=SIGNED_IN, answer=LikeState, rate_limit="like",
          errors=LIKE_ERRORS)
def toggle_like(call: Call):
    # VideoPlayer.jsx reads `liked` and `likes_count` (the old backend sent only `liked`).
    return likes.toggle(call.user_id, call.path.video_id)


# ---- comments ----------------------------------------------------------------------------


def _post_comment(call: Call, video_id: str, parent_id=None):
    return comments.post(call.user_id, video_id, call.body.content, parent_id, call.idempotency_key())


@endpoint(bp, "POST", "/v1/videos/{id}/comments", summary="Comment on a video, or reply to a top-level comment",
          tag="engagement", params=IdPath, auth=SIGNED_IN, body=NewComment, answer=Comment, status=201,
          rate_limit="comment", errors=(403, 404, 409), headers=(IDEMPOTENCY_KEY,))
def v1_post_comment(call: Call):
    return _post_comment(call, call.path.id, call.body.parent_id)


@endpoint(bp, "POST", "/videos/{video_id}/comment", summary="Comment on a video (the current frontend's route)",
          tag="engagement", params=VideoIdPath, auth=SIGNED_IN, body=CommentText, answer=Comment,
          rate_limit="comment", errors=(403, 404, 409), headers=(IDEMPOTENCY_KEY,))
def post_comment(call: Call):
    return _post_comment(call, call.path.video_id)


@endpoint(bp, "DELETE", "/v1/comments/{id}", summary="Delete a comment (its author or the video's owner)",
          tag="engagement", params=IdPath, auth=SIGNED_IN, answer=Deleted, errors=(403, 404))
def v1_delete_comment(call: Call):
    return comments.delete(call.user_id, call.path.id)


# ---- views and shares --------------------------------------------------------------------


@endpoint(bp, "POST", "/v1/videos/{id}/views", summary="Report a view (counted once per viewer per video per hour)",
          tag="engagement", params=IdPath, auth=VIEWER, body=ViewReport, answer=Counted, errors=(404, 429),
          headers=(VIEWER_KEY,))
def v1_view(call: Call):
    counted = views.count_view(call.path.id, call.viewer, call.body.watch_ms)
    return Reply({"counted": counted}, headers=issued_key_headers(call.viewer))


@endpoint(bp, "POST", "/v1/videos/{id}/shares", summary="Report a share", tag="engagement",
          params=IdPath, auth=VIEWER, body=ShareReport, answer=ShareState, status=201, also_ok=(200,),
          errors=(404, 429), headers=(VIEWER_KEY,),
          description="201 when counted; 200 when the same viewer already shared there this hour.")
def v1_share(call: Call):
    answer = views.count_share(call.path.id, call.viewer, call.body.channel)
    return Reply(answer, status=201 if answer["counted"] else 200, headers=issued_key_headers(call.viewer))
