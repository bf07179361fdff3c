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


def run_concurrently(workers, background=()) -> list:
    """Run each `workers` callable once in its own thread while each `background` callable
    runs over and over in its own; answers the exceptions any of them raised. Every thread
    closes its connection, as an execution environment would at its end."""
    import threading

    from chalicelib import db

    stop, errors = threading.Event(), []

    def guarded(job, repeat):
        try:
            job()
            while repeat and not stop.is_set():
                job()
        except Exception as exc:
            errors.append(exc)
        finally:
            db.close()

    loops = [threading.Thread(target=guarded, args=(job, True)) for job in background]
    once = [threading.Thread(target=guarded, args=(job, False)) for job in workers]
    for t in loops + once:
        t.start()
    for t in once:
        t.join()
    stop.set()
    for t in loops:
        t.join()
    return errors
