"""Views and shares: events counted at most once per viewer and video (and channel) per
clock hour; views only after the minimum watch time."""
from __future__ import annotations

from typing import Any, Dict, Optional

from .. import db, ratelimit
from ..config import settings
from ..errors import NotFound
from ..repo import counters, views
from . import counters as folding
from .viewer import Viewer

def _limit(conn: Any, viewer: Viewer) -> None:
    """VIEWER_RATE_LIMITS: a signed-in viewer per user; an anonymous one per viewer key and
    per client address (a script minting keys or user agents still has one address: the
    trusted one, see chalice_app/viewer.py). Inside the event's transaction: a 404 or a
    refused event leaves no hit behind."""
    spec = settings().viewer_rate_limits
    what = "views and shares"
    if viewer.user_id:
        ratelimit.check_subject(conn, spec, "event_user", "u:" + viewer.user_id, what)
        return
    ratelimit.check_subject(conn, spec, "event_key", viewer.key, what)
    ratelimit.check_subject(conn, spec, "event_address", "a:" + (viewer.address or "unknown"), what)


def count_view(video_id: str, viewer: Viewer, watch_ms: Optional[int] = None) -> bool:
    """Count one view of a visible video; True when it counted.

    `watch_ms=None` is the frontend's GET /videos/{id}, which counted every open before and
    cannot know the watch time: counted for a signed-in viewer only (an anonymous open is
    one request of a loop away). A watch below VIEW_MIN_WATCH_MS is not counted. An unknown
    or hidden video is NotFound. The limit's hit, the event row and its counter delta commit
    together.
    """
    short = watch_ms is not None and watch_ms < settings().view_min_watch_ms
    if short or (watch_ms is None and not viewer.user_id):
        if not db.run(lambda conn: views.video_is_visible(conn, video_id)):
            raise NotFound("Video not found")
        return False

    def work(conn: Any) -> dict:
        result = views.record_view(conn, video_id, viewer.user_id, viewer.key, watch_ms)
        if not result["found"]:
            raise NotFound("Video not found")
        _limit(conn, viewer)
        return result

    return bool(db.in_transaction(work)["changed"])


def count_share(video_id: str, viewer: Viewer, channel: str) -> Dict[str, Any]:
    def work(conn: Any) -> Dict[str, Any]:
        result = views.record_share(conn, video_id, viewer.user_id, viewer.key, channel)
        if not result["found"]:
            raise NotFound("Video not found")
        _limit(conn, viewer)
        fresh = counters.fresh_video_count(conn, video_id, "shares")
        return {"counted": bool(result["changed"]), "shares_count": fresh["n"],
                "pending": fresh["pending"]}

    answer = db.in_transaction(work)
    folding.fold_backlog(video_id=video_id, pending=answer.pop("pending"))
    return answer
