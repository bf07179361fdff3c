"""Turn outbox events into notifications, a batch at a time, off every write's hot path.

One batch is one transaction: it deletes up to BATCH events (oldest first) and writes what
they mean, so an event is materialised exactly once whatever fails. One materialiser runs at
a time (a transaction advisory lock; another returns at once).

Grouping: events of one kind on one target for one recipient (likes of a video, comments on
a video, replies to a comment, follows of a user) join the group's notification while it is
unread and younger than NOTIFICATION_GROUP_WINDOW_S; after that a new one starts. An undo
(unlike, unfollow, deleted comment) of an event in the open unread group takes it out again,
and a group left with no event is deleted, so a like/unlike storm leaves nothing behind.
Nobody is notified of acting on their own content.

An undo belongs to the open group when its event's time (the like's, comment's or follow's
created_at) is not before the group's earliest event. Known edge: an event whose transaction
was in flight while the previous group was read, or closed by the window, lowers the new
group's start below events of the previous group, so undoing one of those within that
moment's few milliseconds counts against the new group.
"""
from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from .. import db
from ..config import settings
from ..repo import blocks
from ..repo import notification_outbox as outbox
from . import messages

BATCH = 5_000
MAX_BATCHES = 20
NAMED_ACTORS = 3
UTC = dt.timezone.utc


@dataclass
class _Event:
    key: Tuple[str, str, str]  # (recipient, type, target)
    sign: int
    actor: str
    at: Optional[dt.datetime]
    reply: bool
    context: Dict[str, Any]


@dataclass
class _Group:
    key: Tuple[str, str, str]
    notification_id: str
    started_at: Optional[dt.datetime]
    actors: int
    named: List[Dict[str, str]]
    data: Dict[str, Any]
    new: bool
    latest_at: Optional[dt.datetime] = None
    changed: bool = False
    accepts: bool = True  # whether new events may join (unread, within the window)
    context: Dict[str, Any] = field(default_factory=dict)


def _events(row: dict) -> List[_Event]:
    """The grouped notifications one outbox row concerns (none for self-actions)."""
    actor, sign, at = str(row["actor_id"]), row["sign"], row["event_at"]
    video = {"video_id": str(row["video_id"]) if row["video_id"] else None,
             "video_title": row["video_title"]}
    out = []
    if row["kind"] == "like" and row["video_owner"]:
        out.append(_Event((str(row["video_owner"]), "new_like", video["video_id"]), sign, actor, at, False, video))
    elif row["kind"] == "follow":
        followed = str(row["user_id"])
        out.append(_Event((followed, "new_follower", followed), sign, actor, at, False, {}))
    elif row["kind"] == "comment":
        said = {**video, "comment_id": str(row["comment_id"]), "comment_text": row["comment_text"]}
        owner = str(row["video_owner"]) if row["video_owner"] else None
        parent_author = str(row["parent_author"]) if row["parent_author"] else None
        if row["parent_id"] and parent_author:
            parent = str(row["parent_id"])
            out.append(_Event((parent_author, "new_comment", parent), sign, actor, at, True,
                              {**said, "parent_id": parent}))
        # An owner replied to is told once, as a reply (unless replying to themselves).
        if owner and (owner != parent_author or parent_author == actor):
            out.append(_Event((owner, "new_comment", video["video_id"]), sign, actor, at, False, said))
    return [e for e in out if e.key[0] != e.actor and e.key[2]]


def _open(existing: Optional[dict], now: dt.datetime, window_s: int) -> Optional[_Group]:
    if existing is None or existing["is_read"]:
        return None
    data = existing["data"] or {}
    key = (str(existing["recipient_id"]), existing["type"], str(existing["target_id"]))
    return _Group(key, str(existing["notification_id"]), existing["started_at"], existing["actors"],
                  list(data.get("actors") or []), dict(data), new=False,
                  accepts=existing["opened_at"] >= now - dt.timedelta(seconds=window_s))


def _add(group: Optional[_Group], event: _Event, names: Dict[str, str]) -> _Group:
    if group is None or not group.accepts:
        group = _Group(event.key, str(uuid.uuid4()), event.at, 0, [], {}, new=True)
    group.actors += 1
    person = {"id": event.actor, "username": names.get(event.actor) or "someone"}
    group.named = [person] + [p for p in group.named if p.get("id") != event.actor][: NAMED_ACTORS - 1]
    if event.at is not None:
        group.latest_at = event.at if group.latest_at is None else max(group.latest_at, event.at)
        # The earliest event in the group: an undo names its event by that event's time
        # (the like's created_at, its transaction's start), and transactions commit out of
        # start order, so a later-committed like can be older than the group's first one.
        group.started_at = event.at if group.started_at is None else min(group.started_at, event.at)
    group.context.update({k: v for k, v in event.context.items() if v is not None})
    group.data["reply"] = event.reply
    group.changed = True
    return group


def _undo(group: Optional[_Group], event: _Event) -> None:
    """Take an undone event out of the open group, if it is one of its events."""
    if group is None or event.at is None or group.started_at is None or event.at < group.started_at:
        return
    group.actors -= 1
    group.named = [p for p in group.named if p.get("id") != event.actor]
    group.changed = True


def _shape(group: _Group) -> dict:
    data = {**group.data, **group.context, "actor_count": group.actors, "actors": group.named}
    latest = group.named[0] if group.named else {}
    data["actor_id"], data["actor_username"] = latest.get("id"), latest.get("username")
    data.pop("comment_text", None)
    title, message = messages.render(group.key[1], bool(data.get("reply")), group.actors,
                                     group.named, {**group.data, **group.context})
    return {"id": group.notification_id, "user_id": group.key[0], "type": group.key[1],
            "title": title, "message": message, "data": data, "created_at": group.latest_at}


def _direct(row: dict) -> Optional[dict]:
    payload = row["payload"] or {}
    if row["actor_id"] is not None and str(row["actor_id"]) == str(row["user_id"]):
        return None
    return {"id": str(uuid.uuid4()), "user_id": str(row["user_id"]), "type": payload["type"],
            "title": payload["title"], "message": payload.get("message"),
            "data": payload.get("data") or {}, "created_at": row["event_at"]}


def _batch(conn: Any, batch: int, window_s: int) -> Optional[Dict[str, Any]]:
    if not outbox.try_lock(conn):
        return None
    rows = outbox.take_batch(conn, batch)
    events = [e for r in rows if r["kind"] != "direct" for e in _events(r)]
    direct = [r for r in rows if r["kind"] == "direct"]
    # Nothing passes between two users when either has blocked the other (issue 16).
    blocked = blocks.blocked_pairs(conn, [(e.key[0], e.actor) for e in events] + [
        (r["user_id"], r["actor_id"]) for r in direct if r["actor_id"] is not None])
    if blocked:
        events = [e for e in events if frozenset((e.key[0], e.actor)) not in blocked]
        direct = [r for r in direct if frozenset((str(r["user_id"]), str(r["actor_id"]))) not in blocked]
    new_rows = [d for d in (_direct(r) for r in direct) if d]
    now = dt.datetime.now(UTC)
    existing = outbox.lock_groups(conn, {e.key for e in events})
    names = outbox.usernames(conn, {e.actor for e in events if e.sign > 0})
    groups: Dict[Tuple[str, str, str], Optional[_Group]] = {}
    replaced: List[_Group] = []
    for event in events:
        if event.key not in groups:
            groups[event.key] = _open(existing.get(event.key), now, window_s)
        open_group = groups[event.key]
        if event.sign > 0:
            group = _add(open_group, event, names)
            if open_group is not None and group is not open_group and open_group.changed:
                replaced.append(open_group)
            groups[event.key] = group
        else:
            _undo(open_group, event)
    current = [g for g in groups.values() if g is not None and g.changed]
    written = replaced + current
    gone = [g.notification_id for g in written if not g.new and g.actors <= 0]
    kept = [g for g in written if g.actors > 0]
    new_rows += [_shape(g) for g in kept if g.new]
    outbox.delete_unread(conn, gone)
    outbox.insert_notifications(conn, new_rows)
    outbox.update_notifications(conn, [_shape(g) for g in kept if not g.new])
    outbox.save_groups(conn, [
        {"recipient_id": g.key[0], "type": g.key[1], "target_id": g.key[2],
         "notification_id": g.notification_id, "started_at": g.started_at, "actors": g.actors}
        for g in current if g.actors > 0 and g.started_at is not None])
    return {"events": len(rows), "created": len(new_rows),
            "updated": sum(1 for g in kept if not g.new), "deleted": len(gone),
            "enqueued_at": [r["created_at"] for r in rows]}


def materialise(batch: int = BATCH, max_batches: int = MAX_BATCHES, keep_times: bool = False) -> Dict[str, Any]:
    """Materialise pending events until none are left (or max_batches); answers totals."""
    window_s = settings().notification_group_window_s
    totals: Dict[str, Any] = {"events": 0, "created": 0, "updated": 0, "deleted": 0, "skipped": False}
    lags: List[float] = []
    for _ in range(max_batches):
        done = db.in_transaction(lambda conn: _batch(conn, batch, window_s))
        if done is None:
            totals["skipped"] = True  # another materialiser holds the lock
            break
        committed = dt.datetime.now(UTC)
        if keep_times:
            lags += [(committed - at).total_seconds() for at in done["enqueued_at"]]
        for name in ("events", "created", "updated", "deleted"):
            totals[name] += done[name]
        if done["events"] < batch:
            break
    if keep_times:
        totals["lags_s"] = lags
    return totals


def backlog() -> Dict[str, Any]:
    """Events waiting (a healthy materialiser keeps this near 0) and the oldest one's age."""
    row = db.run(outbox.backlog)
    oldest = row["oldest"]
    age = (dt.datetime.now(UTC) - oldest).total_seconds() if oldest is not None else 0.0
    return {"events": row["n"], "oldest_s": round(max(0.0, age), 3)}


def run_for(time_left_s: float, every_s: float, margin_s: float = 5.0,
            work: Optional[Callable[[], Any]] = None, sleep: Callable[[float], None] = time.sleep) -> List[Any]:
    """Materialise every `every_s` seconds until `time_left_s` (less a margin) is spent: the
    scheduled minute keeps notifications at most about `every_s` behind the writes."""
    work = work or materialise
    deadline = time.monotonic() + time_left_s - margin_s
    results = []
    while True:
        started = time.monotonic()
        results.append(work())
        next_start = started + every_s
        if next_start + every_s > deadline:
            return results
        sleep(max(0.0, next_start - time.monotonic()))
