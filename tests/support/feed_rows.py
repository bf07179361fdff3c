"""Rows for the read-path tests, inserted with plain SQL (outside the code under test)."""
from __future__ import annotations

import datetime as dt
from typing import Callable, Dict, List

BASE_TIME = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone.utc)


def insert_video(sql: Callable, user_id, *, minutes: float = 0, **fields) -> Dict:
    """A video by `user_id`, created `minutes` after BASE_TIME unless created_at is given."""
    row = {
        "user_id": user_id,
        "title": "Sunset over Lake Naivasha",
        "description": "Evening light #kenya",
        "video_url": "https://res.cloudinary.com/demo/video/upload/old.mp4",
        "thumbnail_url": "https://res.cloudinary.com/demo/video/upload/so_1/old.jpg",
        "hashtags": ["kenya", "safari"],
        "created_at": BASE_TIME + dt.timedelta(minutes=minutes),
        **fields,
    }
    cols = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    return sql(f"INSERT INTO videos ({cols}) VALUES ({marks}) RETURNING *", list(row.values()))[0]


def insert_videos(sql: Callable, user_id, count: int, *, same_time: bool = False, **fields) -> List[Dict]:
    """`count` videos in one statement; with same_time they all share one created_at, so
    only the id tells them apart (the keyset's tie-breaker)."""
    return sql(
        """
        INSERT INTO videos (user_id, title, video_url, hashtags, created_at, status)
        SELECT %(user_id)s, 'Video ' || g, 'https://example.test/' || g || '.mp4',
               %(hashtags)s, %(base)s + CASE WHEN %(same)s THEN interval '0' ELSE g * interval '1 minute' END,
               %(status)s
        FROM generate_series(1, %(n)s) g
        RETURNING *
        """,
        {
            "user_id": user_id, "n": count, "base": BASE_TIME, "same": same_time,
            "hashtags": fields.get("hashtags", ["kenya"]), "status": fields.get("status", "ready"),
        },
    )


def insert_comment(sql: Callable, video_id, user_id, content: str = "Hii ni moto!", *,
                   minutes: float = 0, parent_id=None, deleted: bool = False) -> Dict:
    return sql(
        "INSERT INTO video_comments (video_id, user_id, comment, created_at, parent_id, deleted_at)"
        " VALUES (%s, %s, %s, %s, %s, CASE WHEN %s THEN now() END) RETURNING *",
        (video_id, user_id, content, BASE_TIME + dt.timedelta(minutes=minutes), parent_id, deleted),
    )[0]


def follow(sql: Callable, follower_id, following_id, *, minutes: float = 0) -> Dict:
    return sql(
        "INSERT INTO follows (follower_id, following_id, created_at) VALUES (%s, %s, %s) RETURNING *",
        (follower_id, following_id, BASE_TIME + dt.timedelta(minutes=minutes)),
    )[0]


def ids(items: List[Dict]) -> List[str]:
    return [str(i["id"]) for i in items]


def newest_first(rows: List[Dict]) -> List[str]:
    return [str(r["id"]) for r in sorted(rows, key=lambda r: (r["created_at"], str(r["id"])), reverse=True)]


