"""Seeding helpers for the trending tests: videos and engagement at chosen ages."""
from __future__ import annotations

import datetime as _dt
from typing import Iterable, List, Optional, Sequence

import pytest

# The suite runs in minutes: every helper measures ages from this one instant.
NOW = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def ago(hours: float, now: _dt.datetime = NOW) -> _dt.datetime:
    return now - _dt.timedelta(hours=hours)


def make_users(sql, n: int) -> List[str]:
    rows = sql(
        "INSERT INTO users (email, username, password_hash)"
        " SELECT 'fan' || g || '-' || gen_random_uuid() || '@example.test',"
        "        'fan_' || replace(gen_random_uuid()::text, '-', ''), '!'"
        " FROM generate_series(1, %s) g RETURNING id",
        (n,),
    )
    return [str(r["id"]) for r in rows]


def add_video(sql, author: str, *, age_h: float = 10.0, hashtags: Sequence[str] = ("kenya",),
              title: str = "A video", status: str = "ready", deleted: bool = False,
              now: _dt.datetime = NOW) -> str:
    row = sql(
        "INSERT INTO videos (user_id, title, description, video_url, thumbnail_url, hashtags,"
        " status, deleted_at, created_at)"
        " VALUES (%s, %s, 'desc', 'https://example.test/v.mp4', 'https://example.test/v.jpg',"
        " %s, %s, %s, %s) RETURNING id",
        (author, title, list(hashtags), status, ago(age_h, now) if deleted else None, ago(age_h, now)),
    )
    return str(row[0]["id"])


def add_likes(sql, video_id: str, fans: Iterable[str], age_h: float, now: _dt.datetime = NOW) -> None:
    fans = list(fans)
    sql(
        "INSERT INTO video_likes (user_id, video_id, created_at)"
        " SELECT unnest(%s::uuid[]), %s, %s",
        (fans, video_id, ago(age_h, now)),
    )


def add_comments(sql, video_id: str, author: str, n: int, age_h: float,
                 now: _dt.datetime = NOW, deleted: bool = False) -> None:
    sql(
        "INSERT INTO video_comments (user_id, video_id, comment, created_at, deleted_at)"
        " SELECT %s, %s, 'Hii ni moto!', %s, %s FROM generate_series(1, %s)",
        (author, video_id, ago(age_h, now), ago(age_h / 2, now) if deleted else None, n),
    )


def _viewer(sql, signed_in: bool) -> Optional[str]:
    """A signed-in fan (only signed-in views and shares move trending), or None: anonymous."""
    return make_users(sql, 1)[0] if signed_in else None


def add_views(sql, video_id: str, n: int, age_h: float, now: _dt.datetime = NOW,
              signed_in: bool = True) -> None:
    """n views, each from its own viewer key (one view per viewer and hour)."""
    sql(
        "INSERT INTO video_views (video_id, user_id, viewer_key, hour, watch_ms, created_at)"
        " SELECT %(v)s, %(u)s, 'viewer-' || gen_random_uuid(),"
        "        date_trunc('hour', %(at)s::timestamptz), 5000, %(at)s FROM generate_series(1, %(n)s)",
        {"v": video_id, "u": _viewer(sql, signed_in), "at": ago(age_h, now), "n": n},
    )


def add_shares(sql, video_id: str, n: int, age_h: float, channel: str = "whatsapp",
               now: _dt.datetime = NOW, signed_in: bool = True) -> None:
    sql(
        "INSERT INTO video_shares (video_id, user_id, viewer_key, channel, hour, created_at)"
        " SELECT %(v)s, %(u)s, 'viewer-' || gen_random_uuid(), %(channel)s,"
        "        date_trunc('hour', %(at)s::timestamptz), %(at)s FROM generate_series(1, %(n)s)",
        {"v": video_id, "u": _viewer(sql, signed_in), "at": ago(age_h, now), "n": n,
         "channel": channel},
    )


def order_of(rows, tag: Optional[str] = None) -> List[str]:
    return [str(r["id"]) for r in rows if r["list_tag"] == tag]


@pytest.fixture
def trending_env(settings_env, tmp_path):
    """A fresh local store and a fresh in-memory copy for each test (no bucket)."""
    from chalicelib.trending import reader, store

    settings_env(TRENDING_BUCKET=None, TRENDING_LOCAL_DIR=str(tmp_path / "store"),
                 TRENDING_REVALIDATE_S="5")
    store.forget()
    reader.reset()
    yield tmp_path / "store"
    store.forget()
    reader.reset()
