"""The JSON shapes the frontend renders (contract section 1), built from database rows."""
from __future__ import annotations

from typing import Any, Dict, Mapping

from . import timestamps
from .media import urls_for


def video(row: Mapping[str, Any]) -> Dict[str, Any]:
    """A Video: the contract's fields, plus hls_url, duration, width, height and status.

    Rows with a Cloudinary public id get URLs built from it; rows of the old backend keep the
    video_url and thumbnail_url they were stored with.
    """
    public_id = row.get("cloudinary_public_id")
    if public_id:
        urls = urls_for(public_id)
        video_url, hls_url, thumbnail_url = urls.video_url, urls.hls_url, urls.thumbnail_url
    else:
        video_url, hls_url, thumbnail_url = row["video_url"], None, row["thumbnail_url"]
    return {
        "id": str(row["id"]),
        "user_id": str(row["user_id"]),
        "title": row["title"],
        "description": row["description"],
        "video_url": video_url,
        "thumbnail_url": thumbnail_url,
        "hashtags": list(row["hashtags"] or []),
        "views_count": row["views_count"],
        "likes_count": row["likes_count"],
        "comments_count": row["comments_count"],
        "shares_count": row["shares_count"],
        "created_at": timestamps.iso(row["created_at"]),
        "username": row["username"],
        "avatar_url": row["avatar_url"],
        "hls_url": hls_url,
        "duration": row.get("duration_seconds"),
        "width": row.get("width"),
        "height": row.get("height"),
        "status": row.get("status", "ready"),
    }


def user(row: Mapping[str, Any]) -> Dict[str, Any]:
    """A User as the frontend renders it."""
    return {
        "id": str(row["id"]),
        "username": row["username"],
        "full_name": row["full_name"],
        "avatar_url": row["avatar_url"],
        "bio": row["bio"],
        "followers_count": row["followers_count"],
        "following_count": row["following_count"],
    }


def comment(row: Mapping[str, Any]) -> Dict[str, Any]:
    """A Comment: the contract's fields, plus parent_id (None for a top-level comment)."""
    parent_id = row.get("parent_id")
    return {
        "id": str(row["id"]),
        "video_id": str(row["video_id"]),
        "user_id": str(row["user_id"]),
        "username": row["username"],
        "avatar_url": row["avatar_url"],
        "content": row["content"],
        "created_at": timestamps.iso(row["created_at"]),
        "parent_id": str(parent_id) if parent_id is not None else None,
    }
