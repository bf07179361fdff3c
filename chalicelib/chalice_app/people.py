"""People reads: profiles, who follows whom, a creator's videos, and my following feed.

Answers about a signed-in caller (is-following, the following feeds) are private; the rest
are the same for everybody and cacheable.
"""
from __future__ import annotations

from chalice import Blueprint

from .. import feed, follow_lists, models
from ..errors import NotFound
from ..http import private_json, public_json, uuid_param
from ..repo import users
from . import cache_policies as cache
from . import paging
from .identity import signed_in

bp = Blueprint(__name__)


# ---- the old backend's routes (contract section 1) ----------------------------------------


def _people(user_id: str, listing):
    request = bp.current_request
    user_id = uuid_param(user_id, "user_id")
    limit = paging.limit(request, 20, paging.COMPAT_MAX_LIMIT)
    return public_json(request, listing(user_id, limit, paging.offset(request)), cache.PEOPLE_LIST)


@bp.route("/social/followers/{user_id}", methods=["GET"])
def followers(user_id):
    return _people(user_id, follow_lists.followers)


@bp.route("/social/following/{user_id}", methods=["GET"])
def following(user_id):
    return _people(user_id, follow_lists.following)


@bp.route("/social/is-following/{user_id}", methods=["GET"])
def is_following(user_id):
    principal = signed_in(bp.current_request)
    answer = follow_lists.is_following(principal.user_id, uuid_param(user_id, "user_id"))
    return private_json({"following": answer})


@bp.route("/social/feed/following", methods=["GET"])
def following_feed():
    request = bp.current_request
    principal = signed_in(request)
    limit = paging.limit(request, 20, paging.COMPAT_MAX_LIMIT)
    offset = paging.following_offset(request, limit)
    return private_json(feed.following_offset(principal.user_id, limit, offset))


# ---- cursor pages and profiles (contract section 3) ---------------------------------------


@bp.route("/v1/users/{id}", methods=["GET"])
def v1_user(id):  # noqa: A002 - the path parameter's name
    request = bp.current_request
    profile = users.get_user(uuid_param(id, "id"))
    if profile is None:
        raise NotFound("User not found")
    return public_json(request, models.user(profile), cache.PROFILE)


@bp.route("/v1/users/{id}/videos", methods=["GET"])
def v1_user_videos(id):  # noqa: A002
    request = bp.current_request
    user_id = uuid_param(id, "id")
    cursor = paging.cursor(request)
    page = feed.user_videos_page(user_id, cursor, paging.cursor_limit(request))
    return public_json(request, page.as_json(), cache.for_page(cache.PEOPLE_LIST, cursor is None))


@bp.route("/v1/me/feed", methods=["GET"])
def v1_me_feed():
    request = bp.current_request
    principal = signed_in(request)
    page = feed.following_page(principal.user_id, paging.cursor(request), paging.cursor_limit(request))
    return private_json(page.as_json())
