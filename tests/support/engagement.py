"""Helpers for the engagement tests: videos to engage with, a fold, and snapshots of every
row the engagement routes could change."""
from __future__ import annotations

import json
from typing import Any, Dict

SNAPSHOT_TABLES = (
    "users", "videos", "video_likes", "video_comments", "follows", "video_views",
    "video_shares", "video_count_deltas", "user_count_deltas", "rate_limits",
)


def make_video(sql, owner: Dict[str, Any], **fields) -> Dict[str, Any]:
    row = {"user_id": owner["id"], "title": "Nairobi sunset", "video_url": "https://x/v.mp4", **fields}
    cols = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    return sql(f"INSERT INTO videos ({cols}) VALUES ({marks}) RETURNING *", list(row.values()))[0]


def snapshot(sql) -> Dict[str, list]:
    """Every row of every table an engagement write touches, in a comparable form."""
    return {
        table: sql(f"SELECT to_jsonb(t)::text AS row FROM {table} t ORDER BY 1")
        for table in SNAPSHOT_TABLES
    }


def fold() -> dict:
    from chalicelib.engagement import counters

    return counters.fold()


def body(response) -> Any:
    return json.loads(response.body)
