"""The read path's logic: pages of videos and comments, and who may see a single video.

Knows nothing of HTTP. Keyset pages come back as `Page(items, next_cursor)`; the offset
forms of the old backend's routes come back as plain lists.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

import msgspec

from . import cursors, models
from .errors import NotFound
from .repo import comments as comment_rows
from .repo import video_lists, videos


class Page(msgspec.Struct, frozen=True):
    items: List[Dict[str, Any]]
    next_cursor: Optional[str]

    def as_json(self) -> Dict[str, Any]:
        return {"items": self.items, "next_cursor": self.next_cursor}


def _row_position(row: Dict[str, Any]) -> tuple:
    return row["created_at"], row["id"]


def keyset_page(
    scope: str,
    cursor: Optional[str],
    limit: int,
    fetch: Callable[[Optional[cursors.Position], int], Optional[list]],
    shape: Callable[[Any], Dict[str, Any]],
    not_found: str,
    position: Callable[[Dict[str, Any]], tuple] = _row_position,
) -> Page:
    """Decode the cursor for this list, fetch one row more than asked, sign the next cursor
    at the last row's (created_at, id), which `position` reads from it."""
    after = cursors.decode(scope, cursor) if cursor is not None else None
    rows = fetch(after, limit + 1)
    if rows is None:
        raise NotFound(not_found)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        next_cursor = cursors.encode(scope, *position(rows[-1]))
    return Page([shape(r) for r in rows], next_cursor)


def feed_page(cursor: Optional[str], limit: int) -> Page:
    return keyset_page("feed", cursor, limit, video_lists.feed_page, models.video, "")


def user_videos_page(user_id: str, cursor: Optional[str], limit: int) -> Page:
    return keyset_page(
        f"user:{user_id}", cursor, limit,
        lambda after, n: video_lists.user_page(user_id, after, n), models.video, "User not found",
    )


def hashtag_page(tag: str, cursor: Optional[str], limit: int) -> Page:
    return keyset_page(
        f"tag:{tag}", cursor, limit,
        lambda after, n: video_lists.hashtag_page(tag, after, n), models.video, "",
    )


def following_page(viewer_id: str, cursor: Optional[str], limit: int) -> Page:
    return keyset_page(
        f"me:{viewer_id}", cursor, limit,
        lambda after, n: video_lists.following_page(viewer_id, after, n), models.video, "",
    )


def comments_page(video_id: str, cursor: Optional[str], limit: int) -> Page:
    return keyset_page(
        f"comments:{video_id}", cursor, limit,
        lambda after, n: comment_rows.page(video_id, after, n), models.comment, "Video not found",
    )


def feed_offset(limit: int, offset: int) -> List[Dict[str, Any]]:
    return [models.video(r) for r in video_lists.feed_offset(limit, offset)]


def following_offset(viewer_id: str, limit: int, offset: int) -> List[Dict[str, Any]]:
    return [models.video(r) for r in video_lists.following_offset(viewer_id, limit, offset)]


def comments_list(video_id: str, limit: int) -> List[Dict[str, Any]]:
    return comments_page(video_id, None, limit).items


class VideoView(msgspec.Struct, frozen=True):
    video: Dict[str, Any]
    public: bool  # anyone may see it (ready); else only its owner, privately


def video_for(video_id: str, viewer_id: Optional[str]) -> VideoView:
    """A listed video for anyone; the owner's own pending or failed one for the owner only.

    Deleted and taken-down videos, a suspended user's videos, and videos still pending or failed to anyone but their owner, are 404:
    a stranger cannot even tell they exist.
    """
    row = videos.get_video(video_id)
    if row is None or row["deleted_at"] is not None or row["taken_down_at"] is not None \
            or row["owner_suspended_at"] is not None:
        raise NotFound("Video not found")
    if row["status"] == "ready":
        return VideoView(models.video(row), public=True)
    if viewer_id is not None and str(row["user_id"]) == viewer_id:
        return VideoView(models.video(row), public=False)
    raise NotFound("Video not found")


def my_video(video_id: str, owner_id: str) -> Dict[str, Any]:
    """The owner's own video in any status but deleted or taken down (what an uploader polls
    while Cloudinary works); anyone else's video, even a ready one, is 404 here."""
    view = video_for(video_id, owner_id)
    if view.video["user_id"] != owner_id:
        raise NotFound("Video not found")
    return view.video
