"""People reads: profiles, who follows whom, a creator's videos, and my following feed.

Answers about a signed-in caller (is-following, the following feeds) are private; the rest
are the same for everybody and cacheable.
"""
from __future__ import annotations

from typing import Annotated, List

import msgspec
from chalice import Blueprint

from .. import feed, follow_lists, models, rules
from ..errors import NotFound
from ..repo import users
from ..schema.common import (COMPAT_MAX_LIMIT, FOLLOWING_MAX_ROWS, CursorPage, FollowersOffsetPage,
                             FollowingOffsetPeoplePage, IdPath, Limit, UserIdPath)
from ..schema.people import IsFollowing, PeoplePage, User
from ..schema.types import Input
from ..schema.videos import Video, VideoPage
from . import cache_policies as cache
from .declare import SIGNED_IN, Call, endpoint

bp = Blueprint(__name__)


class FollowingOffsetPage(Input):
    """The following feed reads limit+offset rows of each followed user: limit + offset at
    most FOLLOWING_MAX_ROWS (the largest page 1); deeper, /v1/me/feed's cursor pages."""

    __clamp__ = {"limit": COMPAT_MAX_LIMIT}
    limit: Limit = 20
    offset: Annotated[int, msgspec.Meta(ge=0, extra_json_schema={"maximum": FOLLOWING_MAX_ROWS - 1},
                                        description="limit + offset at most 100; deeper: /v1/me/feed's cursor")] = 0

    def __post_init__(self) -> None:
        if self.offset + min(self.limit, COMPAT_MAX_LIMIT) > FOLLOWING_MAX_ROWS:
            raise rules.RuleError(f"'offset' + 'limit' must be at most {FOLLOWING_MAX_ROWS}; "
                                  "page with /v1/me/feed's cursor")


# ---- the old backend's routes (contract section 1) ----------------------------------------


@endpoint(bp, "GET", "/social/followers/{user_id}", summary="A user's followers", tag="people",
          params=UserIdPath, query=FollowersOffsetPage, answer=List[User], cache=cache.PEOPLE_LIST,
          errors=(404,))
def followers(call: Call):
    return follow_lists.followers(call.path.user_id, call.query.limit, call.query.offset)


@endpoint(bp, "GET", "/social/following/{user_id}", summary="Whom a user follows", tag="people",
          params=UserIdPath, query=FollowingOffsetPeoplePage, answer=List[User], cache=cache.PEOPLE_LIST,
          errors=(404,))
def following(call: Call):
    return follow_lists.following(call.path.user_id, call.query.limit, call.query.offset)


@endpoint(bp, "GET", "/social/is-following/{user_id}", summary="Whether I follow a user", tag="people",
          params=UserIdPath, auth=SIGNED_IN, answer=IsFollowing, errors=(404,))
def is_following(call: Call):
    return {"following": follow_lists.is_following(call.user_id, call.path.user_id)}


@endpoint(bp, "GET", "/social/feed/following", summary="Videos of the people I follow (offset pages)",
          tag="people", query=FollowingOffsetPage, auth=SIGNED_IN, answer=List[Video])
def following_feed(call: Call):
    return feed.following_offset(call.user_id, call.query.limit, call.query.offset)


# ---- cursor pages and profiles (contract section 3) ---------------------------------------


@endpoint(bp, "GET", "/v1/users/{id}", summary="A user's profile", tag="people", params=IdPath,
          answer=User, cache=cache.PROFILE, errors=(404,))
def v1_user(call: Call):
    profile = users.get_user(call.path.id)
    if profile is None:
        raise NotFound("User not found")
    return models.user(profile)


@endpoint(bp, "GET", "/v1/users/{id}/videos", summary="A user's videos", tag="people", params=IdPath,
          query=CursorPage, answer=VideoPage, cache=cache.PEOPLE_LIST, later_pages=cache.FEED_LATER_PAGE,
          errors=(404,))
def v1_user_videos(call: Call):
    return feed.user_videos_page(call.path.id, call.query.cursor, call.query.limit).as_json()


@endpoint(bp, "GET", "/v1/users/{id}/followers", summary="A user's followers, newest follow first",
          tag="people", params=IdPath, query=CursorPage, answer=PeoplePage, cache=cache.PEOPLE_LIST,
          later_pages=cache.FEED_LATER_PAGE, errors=(404,))
def v1_user_followers(call: Call):
    return follow_lists.people_page("followers", call.path.id, call.query.cursor, call.query.limit).as_json()


@endpoint(bp, "GET", "/v1/users/{id}/following", summary="Whom a user follows, newest follow first",
          tag="people", params=IdPath, query=CursorPage, answer=PeoplePage, cache=cache.PEOPLE_LIST,
          later_pages=cache.FEED_LATER_PAGE, errors=(404,))
def v1_user_following(call: Call):
    return follow_lists.people_page("following", call.path.id, call.query.cursor, call.query.limit).as_json()


@endpoint(bp, "GET", "/v1/me/feed", summary="Videos of the people I follow", tag="people",
          query=CursorPage, auth=SIGNED_IN, answer=VideoPage)
def v1_me_feed(call: Call):
    return feed.following_page(call.user_id, call.query.cursor, call.query.limit).as_json()
