"""Likes: idempotent like / unlike, and the frontend's toggle."""
from __future__ import annotations

from typing import Any, Dict

from .. import db, ratelimit
from ..errors import NotFound
from ..repo import counters, likes
from . import counters as folding

# A toggle whose insert lost a race to a concurrent toggle retries; each round sees the
# other's committed result, so a few rounds always settle.
_TOGGLE_ROUNDS = 4


def _answer(conn: Any, video_id: str, liked: bool) -> Dict[str, Any]:
    # Exact now: folded count + pending deltas, read after our own write in our transaction.
    fresh = counters.fresh_video_count(conn, video_id, "likes")
    return {"liked": liked, "likes_count": fresh["n"], "_pending": fresh["pending"]}


def _done(video_id: str, answer: Dict[str, Any]) -> Dict[str, Any]:
    folding.fold_backlog(video_id=video_id, pending=answer.pop("_pending"))
    return answer


def _set(conn: Any, user_id: str, video_id: str, liked: bool) -> Dict[str, Any]:
    result = (likes.like if liked else likes.unlike)(conn, user_id, video_id)
    if not result["found"]:
        raise NotFound("Video not found")
    return _answer(conn, video_id, liked)


def set_like(user_id: str, video_id: str, liked: bool) -> Dict[str, Any]:
    """PUT (liked=True) / DELETE (liked=False): the same answer however often it is sent."""

    def work(conn: Any) -> Dict[str, Any]:
        ratelimit.check(conn, user_id, "like")
        return _set(conn, user_id, video_id, liked)

    return _done(video_id, db.in_transaction(work))


def toggle(user_id: str, video_id: str) -> Dict[str, Any]:
    """The frontend's POST toggle: like when not liked, else unlike.

    Two concurrent taps end as if they ran one after the other (liked then unliked): the one
    whose insert hits the other's row waits for it, finds nothing inserted and unlikes.
    What the first attempt decided is kept: when db.run retries after a lost connection
    (whose COMMIT may have landed), the retry sets that state again instead of toggling back.
    """
    decided: Dict[str, bool] = {}

    def work(conn: Any) -> Dict[str, Any]:
        ratelimit.check(conn, user_id, "like")
        if "liked" in decided:
            return _set(conn, user_id, video_id, decided["liked"])
        for _ in range(_TOGGLE_ROUNDS):
            removed = likes.unlike(conn, user_id, video_id)
            if not removed["found"]:
                raise NotFound("Video not found")
            if removed["changed"]:
                decided["liked"] = False
                return _answer(conn, video_id, False)
            if likes.like(conn, user_id, video_id)["changed"]:
                decided["liked"] = True
                return _answer(conn, video_id, True)
        raise RuntimeError("like toggle did not settle")  # only under pathological contention

    return _done(video_id, db.in_transaction(work))
