"""The model's inputs: route classes from the frontend mix (loadtest/locustfile.py task
weights) and the cache policies, the traffic model, the platform from .chalice/config.json.
Every figure not measured or priced is stated here, with why."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional

from .model import Platform, RouteClass, TrafficModel

ROOT = Path(__file__).resolve().parent.parent
# Requests of each class one Locust task sends (loadtest/locustfile.py). upload_signing is
# counted as a comment-like write (a few statements in one transaction; not measured alone),
# and so is its rate (uploads per view, from the dataset) in writes_per_view.
TASK_REQUESTS: Dict[str, Dict[str, int]] = {
    "trending": {"trending": 1}, "trending_compat": {"trending": 1},
    "feed_first_page": {"feed_first": 1}, "feed_next_page": {"feed_later": 1},
    "hashtag": {"hashtag": 1}, "detail_and_view": {"video": 1, "view": 1},
    "comments": {"comments": 1}, "login_and_me": {"login": 1, "me": 1},
    "profile": {"video": 1, "profile": 1}, "like": {"like": 1}, "comment": {"comment": 1},
    "follow": {"video": 1, "follow": 1}, "upload_signing": {"comment": 1},
}
CATALOGUE_VIDEOS = 100_000  # the bench database's size: keys of the per-video answers
# Locust's view reports: watch_ms uniform in 1-30 s, so 15.5 s a video on average.
SECONDS_PER_VIEW = (1_000 + 30_000) / 2 / 1000
# The request model's one figure not derivable from this repository: time in the app per daily user.
MINUTES_PER_USER_DAY = 30.0
# One time zone (EAT); share of a day's requests per hour, 00:00-23:00: quiet nights, a
# lunchtime rise and the evening peak (20:00-22:00) of a phone-video app.
HOURLY_SHARES = [1.5, 0.8, 0.5, 0.4, 0.5, 1.2, 2.5, 3.5, 3.8, 3.8, 4.0, 4.3,
                 5.0, 5.0, 4.5, 4.3, 4.5, 5.0, 5.8, 6.8, 8.0, 8.5, 7.5, 4.3]
SIGNED_IN_SHARE = 1 / 3  # the bench dataset's share of signed-in events (bench/dataset.py)
EDGE_LOCATIONS = 2  # CloudFront edge locations serving Kenyan viewers (Nairobi, Mombasa)
DB_RTT_MS = 1.0  # Lambda to Supabase's pooler in the same region, per statement
VIDEO_MBPS = 1.5  # Cloudinary's adaptive mobile rendition, a typical bitrate
# Live rooms (capacity/live_model.py). No live traffic exists yet to derive these from, so
# they are the stated assumptions of the fan-out model, each with its reason; the limits
# they lead to are printed per room size too, which needs none of them.
LIVE_SHARE_OF_MINUTES = 0.10  # a tenth of the app's minutes in live rooms (video first)
LIVE_STAY_S = 300  # five minutes in one room before swiping on
LIVE_LINES_PER_VIEWER_MINUTE = 1.0  # chat lines + reactions; the server allows 40 + 120 a minute
LIVE_ROOM_MESSAGES_PER_S = 5.0  # more than five lines a second is unreadable: slow mode
LIVE_LARGEST_ROOM_SHARE = 0.05  # one star's room holds a twentieth of everyone watching live
LIVE_TYPICAL_ROOM = 20  # everyone else in small rooms


def task_weights() -> Counter:
    """The Viewer's @task(N) weights, read from loadtest/locustfile.py's source (importing it
    would import Locust, which monkey-patches the whole process with gevent)."""
    import ast

    tree = ast.parse((ROOT / "loadtest" / "locustfile.py").read_text())
    viewer = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Viewer")
    weights: Counter = Counter()
    for fn in viewer.body:
        for deco in getattr(fn, "decorator_list", []):
            if isinstance(deco, ast.Call) and getattr(deco.func, "id", "") == "task":
                weights[fn.name] = deco.args[0].value if deco.args else 1
    return weights


def writes_per_view() -> Dict[str, float]:
    """Writes and log-ins per video view, from the project's data, not Locust's load mix
    (whose write and log-in weights are there to exercise them, ~30x a real user's):
    likes, comments, follows and uploads per view as the issues' dataset has them
    (bench/dataset.py: 1M likes, 200k comments, 40k follows, 100k videos to 5M views), and
    a log-in (then /auth/me) once per token lifetime (JWT_TTL_S) per daily user."""
    from bench.dataset import FULL, VIEWS
    from chalicelib.config import settings

    views_per_day = MINUTES_PER_USER_DAY * 60 / SECONDS_PER_VIEW
    logins = 1 / max(1.0, settings().jwt_ttl_s / 86_400) / views_per_day
    return {"like": FULL.likes / VIEWS, "comment": (FULL.comments + FULL.videos) / VIEWS,
            "follow": FULL.follows / VIEWS, "login": logins, "me": logins}


def route_classes(measured: Dict[str, dict]) -> List[RouteClass]:
    from chalicelib.chalice_app import cache_policies as cp
    from chalicelib.config import settings

    weights = task_weights()
    per: Counter = Counter()
    for task, n in weights.items():
        for name, count in TASK_REQUESTS[task].items():
            per[name] += n * count
    views = per["view"]
    # Reads from the frontend mix, in proportion to views; writes from the data.
    for name, rate in writes_per_view().items():
        per[name] = rate * views
    trending_ttl = settings().trending_rate_minutes * 60
    cache = {  # (s-maxage, distinct keys, shared by every caller)
        "trending": (trending_ttl, 2, True), "feed_first": (cp.FEED_FIRST_PAGE.s_maxage, 1, True),
        "feed_later": (cp.FEED_LATER_PAGE.s_maxage, 50, True),
        "hashtag": (cp.PEOPLE_LIST.s_maxage, 20, True),
        # A video and a profile: one entry for every reader (the edge strips or never keys the token).
        "video": (cp.VIDEO.s_maxage, CATALOGUE_VIDEOS, True),
        "comments": (cp.COMMENTS.s_maxage, CATALOGUE_VIDEOS, True),
        "profile": (cp.PROFILE.s_maxage, CATALOGUE_VIDEOS // 20, True),
    }
    out = []
    for name, count in per.items():
        ttl, keys, shared = cache.get(name, (0, 1, False))
        m = measured[name]
        out.append(RouteClass(name=name, per_view=count / views, ttl_s=ttl, keys=keys, shared=shared,
                              cpu_ms=m["cpu_ms"], wall_ms=m["wall_ms"], statements=m["statements"],
                              db_ms=m["db_ms"], bytes=m["bytes"]))
    return out


def traffic_model() -> TrafficModel:
    return TrafficModel(minutes_per_user_day=MINUTES_PER_USER_DAY, seconds_per_view=SECONDS_PER_VIEW,
                        hourly_shares=HOURLY_SHARES, signed_in_share=SIGNED_IN_SHARE,
                        edge_locations=EDGE_LOCATIONS)


def chalice_functions() -> Dict[str, dict]:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    return config["stages"]["prod"]["lambda_functions"]


def live(fanout: dict) -> tuple:
    """The live rooms' assumptions and the measured fan-out (capacity/live_measure.py), with
    websocket_message's memory and reserved concurrency from .chalice/config.json."""
    from .live_model import Fanout, LiveTraffic

    relay = chalice_functions()["websocket_message"]
    return (LiveTraffic(minutes_per_user_day=MINUTES_PER_USER_DAY * LIVE_SHARE_OF_MINUTES, stay_s=LIVE_STAY_S,
                        lines_per_viewer_minute=LIVE_LINES_PER_VIEWER_MINUTE,
                        room_messages_per_s=LIVE_ROOM_MESSAGES_PER_S,
                        largest_room_share=LIVE_LARGEST_ROOM_SHARE, typical_room=LIVE_TYPICAL_ROOM),
            Fanout(cpu_ms=fanout["cpu_ms"], wall_ms=fanout["wall_ms"], workers=fanout["workers"],
                   memory_mb=relay["lambda_memory_size"], reserved_concurrency=relay["reserved_concurrency"]))


def _connects(function: dict) -> bool:
    """A pooler client: its policy may read DATABASE_URL (the trending purge may not, and
    holds no connection)."""
    policy = (ROOT / ".chalice" / function["iam_policy_file"]).read_text()
    return "/DATABASE_URL" in policy


def platform(refresh: dict, fanout: Optional[dict] = None) -> Platform:
    from chalicelib.config import settings

    functions = chalice_functions()
    api = functions["api_handler"]
    jobs = sum(f.get("reserved_concurrency", 0) for n, f in functions.items()
               if n != "api_handler" and _connects(f))
    return Platform(api_memory_mb=api["lambda_memory_size"], reserved_concurrency=api["reserved_concurrency"],
                    jobs_connections=jobs, db_rtt_ms=DB_RTT_MS, refresh_db_ms=refresh["db_ms"],
                    refresh_every_s=settings().trending_rate_minutes * 60,
                    refresh_objects=refresh["objects"], store_revalidate_s=settings().trending_revalidate_s,
                    mb_per_view=SECONDS_PER_VIEW * VIDEO_MBPS / 8,
                    live=live(fanout) if fanout else None)
