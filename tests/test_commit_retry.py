"""A write retried after its COMMIT landed but the answer was lost (issue 15, item 7), and a
comment Idempotency-Key reused for another text (item 13).

db.run retries a unit of work once when a warm connection turns out to be lost. When the
loss comes after COMMIT reached Postgres, the first attempt did commit: the retry must not
do the write a second time (a second comment, a toggle flipped back). A loopback proxy
(tests/support/commit_dropper.py) drops the connection right after a COMMIT has landed.
"""
from __future__ import annotations

import json

import pytest

from chalicelib import db
from tests.conftest import auth_headers
from tests.support import commit_dropper
from tests.support.engagement import body, make_video


@pytest.fixture
def dropper(database_url, settings_env):
    gen = commit_dropper.start(database_url)
    proxy, url = next(gen)
    db.close()
    settings_env(DATABASE_URL=url)
    db.fetch_one("SELECT 1")  # a warm connection: the case db.run retries
    yield proxy
    db.close()
    gen.close()


def _headers(user) -> dict:
    return {**auth_headers(user["id"]), "Content-Type": "application/json"}


def test_a_toggle_whose_commit_answer_was_lost_is_not_flipped_back(dropper, client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    dropper.arm()
    answer = client.http.post(f"/videos/{video['id']}/like", headers=_headers(fan))
    assert dropper.dropped == 1  # the COMMIT landed and its answer was lost
    assert answer.status_code == 200, answer.body
    assert body(answer)["liked"] is True
    assert len(sql("SELECT 1 FROM video_likes WHERE video_id = %s", (video["id"],))) == 1
    # An ordinary second toggle still toggles.
    again = client.http.post(f"/videos/{video['id']}/like", headers=_headers(fan))
    assert body(again)["liked"] is False
    assert sql("SELECT 1 FROM video_likes WHERE video_id = %s", (video["id"],)) == []


def test_an_unlike_toggle_whose_commit_answer_was_lost_stays_unliked(dropper, client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    assert body(client.http.post(f"/videos/{video['id']}/like", headers=_headers(fan)))["liked"] is True
    dropper.arm()
    answer = client.http.post(f"/videos/{video['id']}/like", headers=_headers(fan))
    assert dropper.dropped == 1
    assert body(answer)["liked"] is False
    assert sql("SELECT 1 FROM video_likes WHERE video_id = %s", (video["id"],)) == []


def test_a_compat_comment_whose_commit_answer_was_lost_is_stored_once(dropper, client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    dropper.arm()
    answer = client.http.post(f"/videos/{video['id']}/comment", body='{"content": "Poa sana"}',
                              headers=_headers(fan))
    assert dropper.dropped == 1
    assert answer.status_code == 200, answer.body
    rows = sql("SELECT id, comment FROM video_comments WHERE video_id = %s", (video["id"],))
    assert [(str(r["id"]), r["comment"]) for r in rows] == [(body(answer)["id"], "Poa sana")]


def test_a_v1_comment_with_a_client_key_whose_commit_answer_was_lost_is_stored_once(
        dropper, client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    dropper.arm()
    answer = client.http.post(f"/v1/videos/{video['id']}/comments", body='{"content": "Moja"}',
                              headers={**_headers(fan), "Idempotency-Key": "tap-1"})
    assert dropper.dropped == 1
    assert answer.status_code == 201, answer.body
    assert len(sql("SELECT 1 FROM video_comments WHERE video_id = %s", (video["id"],))) == 1


def test_a_comment_key_reused_for_another_text_or_parent_is_a_409(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    url = f"/v1/videos/{video['id']}/comments"
    key = {**_headers(fan), "Idempotency-Key": "k-1"}
    first = client.http.post(url, body='{"content": "first"}', headers=key)
    assert first.status_code == 201
    other_text = client.http.post(url, body='{"content": "second"}', headers=key)
    assert other_text.status_code == 409
    assert "different comment" in json.loads(other_text.body)["detail"]
    as_reply = client.http.post(url, body=json.dumps({"content": "first", "parent_id": body(first)["id"]}),
                                headers=key)
    assert as_reply.status_code == 409
    same = client.http.post(url, body='{"content": "first"}', headers=key)
    assert body(same)["id"] == body(first)["id"]
    compat = client.http.post(f"/videos/{video['id']}/comment", body='{"content": "changed"}', headers=key)
    assert compat.status_code == 409
    rows = sql("SELECT comment FROM video_comments WHERE video_id = %s", (video["id"],))
    assert [r["comment"] for r in rows] == ["first"]
