"""Video reads: the feed, one video, its comments, a hashtag; old routes and /v1 cursor pages.

Lists do not depend on who asks, so they are public whatever the request carries. A single
listed video is the same public answer with or without a token (signed-in readers share the
cached copy); only the owner's view of a pending or failed video is private. The token can
change the answer on that URL, so it says `Vary: Authorization`, as the edge keys it.
"""
from __future__ import annotations

from chalice import Blueprint

from .. import feed
from ..engagement import views
from ..http import private_json, public_json, uuid_param
from . import cache_policies as cache
from . import paging
from .identity import maybe_signed_in
from .viewer import issued_key_headers, viewer_of

bp = Blueprint(__name__)


def _video(video_id: str):
    request = bp.current_request
    principal = maybe_signed_in(request)
    view = feed.video_for(uuid_param(video_id, "video_id"), principal.user_id if principal else None)
    if view.public:
        return public_json(request, view.video, cache.VIDEO, vary_authorization=True)
    return private_json(view.video)


# ---- the old backend's routes (contract section 1) ----------------------------------------


@bp.route("/videos/feed", methods=["GET"])
def videos_feed():
    request = bp.current_request
    limit = paging.limit(request, 20, paging.COMPAT_MAX_LIMIT)
    offset = paging.offset(request, "/v1/feed's cursor")
    items = feed.feed_offset(limit, offset)
    return public_json(request, items, cache.for_page(cache.FEED_FIRST_PAGE, offset == 0))


@bp.route("/videos/{video_id}", methods=["GET"])
def video_detail(video_id):
    """The old backend counted a view on every open of this route; this one counts a signed-in
    viewer's open (once per hour, engagement.views). A count needs the request to reach us, so this route
    answers privately and is never served from the CDN; the /v1 route is cached instead and
    its frontend reports views with POST /v1/videos/{id}/views."""
    request = bp.current_request
    viewer = viewer_of(request)
    view = feed.video_for(uuid_param(video_id, "video_id"), viewer.user_id)
    if view.public and viewer.user_id:  # an anonymous open no longer counts (issue 15)
        views.count_view(view.video["id"], viewer)
    return private_json(view.video, headers=issued_key_headers(viewer))


@bp.route("/videos/{video_id}/comments", methods=["GET"])
def video_comments(video_id):
    request = bp.current_request
    video_id = uuid_param(video_id, "video_id")
    limit = paging.limit(request, 50, paging.COMPAT_MAX_LIMIT)
    return public_json(request, feed.comments_list(video_id, limit), cache.COMMENTS)


# ---- cursor pages (contract section 3) ----------------------------------------------------


@bp.route("/v1/feed", methods=["GET"])
def v1_feed():
    request = bp.current_request
    cursor = paging.cursor(request)
    page = feed.feed_page(cursor, paging.cursor_limit(request))
    return public_json(request, page.as_json(), cache.for_page(cache.FEED_FIRST_PAGE, cursor is None))


@bp.route("/v1/videos/{id}", methods=["GET"])
def v1_video(id):  # noqa: A002 - the path parameter's name, shared with DELETE /v1/videos/{id}
    return _video(id)


@bp.route("/v1/videos/{id}/comments", methods=["GET"])
def v1_video_comments(id):  # noqa: A002
    request = bp.current_request
    video_id = uuid_param(id, "id")
    cursor = paging.cursor(request)
    page = feed.comments_page(video_id, cursor, paging.cursor_limit(request))
    return public_json(request, page.as_json(), cache.for_page(cache.COMMENTS, cursor is None))


@bp.route("/v1/hashtags/{tag}/videos", methods=["GET"])
def v1_hashtag_videos(tag):
    request = bp.current_request
    tag = paging.hashtag(tag)
    cursor = paging.cursor(request)
    page = feed.hashtag_page(tag, cursor, paging.cursor_limit(request))
    return public_json(request, page.as_json(), cache.for_page(cache.PEOPLE_LIST, cursor is None))
