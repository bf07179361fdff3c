"""Video reads: the feed, one video, its comments, a hashtag; old routes and /v1 cursor pages.

Lists do not depend on who asks, so they are public whatever the request carries. So does
`/v1/videos/{id}`: the edge strips Authorization from its reads (infra/public_reads.js), so it
never reads the caller (auth=anonymous) and every reader shares one cached copy. The owner's
view of a pending or failed video is its own private URL, `/v1/me/videos/{id}`.
"""
from __future__ import annotations

from typing import List

from chalice import Blueprint

from ..lazy import lazy
from .. import feed
from ..schema.common import COMPAT_MAX_LIMIT, CursorPage, FeedOffsetPage, IdPath, Limit, TagPath, VideoIdPath
from ..schema.types import Input
from ..schema.videos import Comment, CommentPage, Video, VideoPage
from . import cache_policies as cache
from .declare import SIGNED_IN, VIEWER, Call, Reply, endpoint
from .viewer import issued_key_headers

views = lazy("chalicelib.engagement.views")

bp = Blueprint(__name__)
OWNER_NOTE = "Owners also see their own pending or failed videos (privately)."
PUBLIC_NOTE = ("Ready videos only, the same answer for everybody (the token is not read): an owner "
               "polls a pending upload at /v1/me/videos/{id}.")


class CommentsQuery(Input):
    __clamp__ = {"limit": COMPAT_MAX_LIMIT}
    limit: Limit = 50


# ---- the old backend's routes (contract section 1) ----------------------------------------


@endpoint(bp, "GET", "/videos/feed", summary="Feed, newest first (offset pages)", tag="feed",
          query=FeedOffsetPage, answer=List[Video], cache=cache.FEED_FIRST_PAGE,
          later_pages=cache.FEED_LATER_PAGE)
def videos_feed(call: Call):
    return feed.feed_offset(call.query.limit, call.query.offset)


@endpoint(bp, "GET", "/videos/{video_id}", summary="One video (counts a view)", tag="feed",
          params=VideoIdPath, auth=VIEWER, answer=Video, errors=(404,), description=OWNER_NOTE)
def video_detail(call: Call):
    """The old backend counted a view on every open of this route; this one counts a signed-in
    viewer's open (once per hour, engagement.views). A count needs the request to reach us, so this route
    answers privately and is never served from the CDN; the /v1 route is cached instead and
    its frontend reports views with POST /v1/videos/{id}/views."""
    view = feed.video_for(call.path.video_id, call.viewer.user_id)
    if view.public and call.viewer.user_id:  # an anonymous open no longer counts (issue 15)
        views.count_view(view.video["id"], call.viewer)
    return Reply(view.video, headers=issued_key_headers(call.viewer))


@endpoint(bp, "GET", "/videos/{video_id}/comments", summary="A video's comments", tag="feed",
          params=VideoIdPath, query=CommentsQuery, answer=List[Comment], cache=cache.COMMENTS,
          errors=(404,))
def video_comments(call: Call):
    return feed.comments_list(call.path.video_id, call.query.limit)


# ---- cursor pages (contract section 3) ----------------------------------------------------


@endpoint(bp, "GET", "/v1/feed", summary="Feed, newest first", tag="feed", query=CursorPage,
          answer=VideoPage, cache=cache.FEED_FIRST_PAGE, later_pages=cache.FEED_LATER_PAGE)
def v1_feed(call: Call):
    return feed.feed_page(call.query.cursor, call.query.limit).as_json()


@endpoint(bp, "GET", "/v1/videos/{id}", summary="One video", tag="feed", params=IdPath,
          answer=Video, cache=cache.VIDEO, errors=(404,), description=PUBLIC_NOTE)
def v1_video(call: Call):
    return feed.video_for(call.path.id, None).video


@endpoint(bp, "GET", "/v1/me/videos/{id}", summary="One of my videos, whatever its status (poll an upload)",
          tag="feed", params=IdPath, auth=SIGNED_IN, answer=Video, errors=(404,))
def v1_my_video(call: Call):
    return feed.my_video(call.path.id, call.user_id)


@endpoint(bp, "GET", "/v1/videos/{id}/comments", summary="A video's comments", tag="feed",
          params=IdPath, query=CursorPage, answer=CommentPage, cache=cache.COMMENTS,
          later_pages=cache.FEED_LATER_PAGE, errors=(404,))
def v1_video_comments(call: Call):
    return feed.comments_page(call.path.id, call.query.cursor, call.query.limit).as_json()


@endpoint(bp, "GET", "/v1/hashtags/{tag}/videos", summary="Videos with a hashtag", tag="feed",
          params=TagPath, query=CursorPage, answer=VideoPage, cache=cache.PEOPLE_LIST,
          later_pages=cache.FEED_LATER_PAGE)
def v1_hashtag_videos(call: Call):
    return feed.hashtag_page(call.path.tag, call.query.cursor, call.query.limit).as_json()
