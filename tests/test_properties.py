"""Property tests (issue 15, "Also"): counters and cursors.

Counters: any sequence of likes, toggles, comments, deletions and follows, with folds at
random points, ends (after a last fold) with every stored counter equal to a recount of the
event rows, and every answer's count equal to the recount at that moment.
Cursors: encode/decode is a round trip for any position and list; any tampered, truncated,
foreign or random cursor is a 400, never a wrong page or a 500.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from chalicelib import cursors
from chalicelib.errors import BadRequest, NotFound
from tests.support.engagement import fold, make_video

# Each example makes its own users and videos; the fixtures are only the database and the
# test's configuration, the same for every example.
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

USERS, VIDEOS = 3, 2
_event = st.one_of(
    st.tuples(st.just("like"), st.integers(0, USERS - 1), st.integers(0, VIDEOS - 1), st.booleans()),
    st.tuples(st.just("toggle"), st.integers(0, USERS - 1), st.integers(0, VIDEOS - 1)),
    st.tuples(st.just("comment"), st.integers(0, USERS - 1), st.integers(0, VIDEOS - 1), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("follow"), st.integers(0, USERS - 1), st.integers(0, USERS - 1), st.booleans()),
    st.tuples(st.just("fold")),
)


def _recount(sql, videos, users) -> dict:
    v = {str(r["id"]): (r["likes_count"] or 0, r["comments_count"] or 0) for r in sql(
        "SELECT id, likes_count, comments_count FROM videos WHERE id = ANY(%s)", (videos,))}
    u = {str(r["id"]): (r["followers_count"] or 0, r["following_count"] or 0) for r in sql(
        "SELECT id, followers_count, following_count FROM users WHERE id = ANY(%s)", (users,))}
    expected_v = {vid: (
        sql("SELECT count(*) AS n FROM video_likes WHERE video_id = %s", (vid,))[0]["n"],
        sql("SELECT count(*) AS n FROM video_comments WHERE video_id = %s AND deleted_at IS NULL", (vid,))[0]["n"],
    ) for vid in videos}
    expected_u = {uid: (
        sql("SELECT count(*) AS n FROM follows WHERE following_id = %s", (uid,))[0]["n"],
        sql("SELECT count(*) AS n FROM follows WHERE follower_id = %s", (uid,))[0]["n"],
    ) for uid in users}
    return {"stored": (v, u), "recount": (expected_v, expected_u)}


@EXAMPLES
@given(events=st.lists(_event, max_size=30))
def test_folding_any_event_sequence_equals_a_recount(sql, make_user, settings_env, events):
    from chalicelib.engagement import comments, follows, likes

    settings_env(RATE_LIMITS="comment=1000/60,like=1000/60,follow=1000/60")
    users = [str(make_user()["id"]) for _ in range(USERS)]
    videos = [str(make_video(sql, {"id": users[0]})["id"]) for _ in range(VIDEOS)]
    posted: list = []
    deleted: set = set()
    for event in events:
        kind = event[0]
        if kind in ("like", "toggle"):
            user, video = users[event[1]], videos[event[2]]
            answer = likes.set_like(user, video, event[3]) if kind == "like" else likes.toggle(user, video)
            live = sql("SELECT count(*) AS n FROM video_likes WHERE video_id = %s", (video,))[0]["n"]
            assert answer["likes_count"] == live
        elif kind == "comment":
            parent = posted[-1]["id"] if event[3] and posted and posted[-1]["parent_id"] is None else None
            if parent and posted[-1]["video_id"] != videos[event[2]]:
                parent = None
            if parent in deleted:  # a reply to a deleted comment is refused, and changes nothing
                with pytest.raises(NotFound):
                    comments.post(users[event[1]], videos[event[2]], "hujambo", parent)
                continue
            posted.append(comments.post(users[event[1]], videos[event[2]], "hujambo", parent))
        elif kind == "delete" and posted:
            row = posted[event[1] % len(posted)]
            comments.delete(row["user_id"], row["id"])
            deleted.add(row["id"])
        elif kind == "follow" and event[1] != event[2]:
            answer = follows.set_following(users[event[1]], users[event[2]], event[3])
            live = sql("SELECT count(*) AS n FROM follows WHERE following_id = %s", (users[event[2]],))[0]["n"]
            assert answer["followers_count"] == live
        elif kind == "fold":
            fold()
    fold()
    counts = _recount(sql, videos, users)
    assert counts["stored"] == counts["recount"]


_scope = st.one_of(st.just("feed"), st.builds(lambda u: f"user:{u}", st.uuids()), st.text(max_size=40))
_when = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2200, 1, 1))


@given(scope=_scope, when=_when, row_id=st.uuids())
def test_a_cursor_decodes_to_the_position_it_encodes(scope, when, row_id):
    cursor = cursors.encode(scope, when, row_id)
    assert len(cursor) <= cursors.MAX_CURSOR_CHARS
    assert cursors.decode(scope, cursor) == cursors.Position(created_at=when, id=str(row_id))


def _raw(cursor: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def _text(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@settings(deadline=None)
@given(scope=_scope, when=_when, row_id=st.uuids(), data=st.data())
def test_a_tampered_cursor_is_refused(scope, when, row_id, data):
    raw = _raw(cursors.encode(scope, when, row_id))
    i = data.draw(st.integers(0, len(raw) - 1))
    flip = data.draw(st.integers(1, 255))
    tampered = raw[:i] + bytes([raw[i] ^ flip]) + raw[i + 1:]
    cut = data.draw(st.integers(0, len(raw) - 1))
    other_scope = data.draw(_scope.filter(lambda s: s != scope))
    for bad, in_scope in ((tampered, scope), (raw[:cut], scope), (raw + b"\x00", scope), (raw, other_scope)):
        with pytest.raises(BadRequest):
            cursors.decode(in_scope, _text(bad))


@given(text=st.text(max_size=200))
def test_any_text_is_a_cursor_or_a_400(text):
    with pytest.raises(BadRequest):
        cursors.decode("feed", text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cursor=st.one_of(st.text(min_size=1, max_size=150),
                        st.builds(lambda u: cursors.encode(f"user:{u}", dt.datetime(2026, 1, 1), u), st.uuids())))
def test_the_feed_answers_400_to_any_cursor_it_did_not_sign(client, cursor):
    from urllib.parse import quote

    answer = client.http.get("/v1/feed?cursor=" + quote(cursor, safe=""))
    assert answer.status_code == 400, answer.body
    assert json.loads(answer.body)["detail"]
