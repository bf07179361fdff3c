"""Reports and moderator actions: who may call, what strangers see, idempotence, loops, audit."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.conftest import auth_headers
from tests.support.feed_rows import insert_comment, insert_video


def _post(client, path, user=None, body=None):
    headers = {"Content-Type": "application/json", **(auth_headers(user["id"]) if user else {})}
    answer = client.http.post(path, headers=headers, body=json.dumps(body or {}))
    return answer, (json.loads(answer.body) if answer.body else None)


@pytest.fixture
def scene(sql, make_user):
    owner, fan, admin = make_user("owner"), make_user("fan"), make_user("mod", role="admin")
    video = insert_video(sql, owner["id"], title="Reported video")
    comment = insert_comment(sql, video["id"], owner["id"], "Reported comment")
    return {"owner": owner, "fan": fan, "admin": admin, "video": video, "comment": comment}


def _report(client, user, target_type, target_id, reason="spam", **extra):
    return _post(client, "/v1/reports", user,
                 {"target_type": target_type, "target_id": str(target_id), "reason": reason, **extra})


def test_a_report_is_created_once_and_repeats_answer_it(client, scene, sql):
    first, body = _report(client, scene["fan"], "video", scene["video"]["id"], note="  spam link ")
    assert first.status_code == 201 and first.headers["Cache-Control"] == "private, no-store"
    assert body["status"] == "open" and body["note"] == "spam link" and body["reason"] == "spam"
    again, same = _report(client, scene["fan"], "video", scene["video"]["id"], reason="hate")
    assert again.status_code == 200 and same["id"] == body["id"] and same["reason"] == "spam"
    assert sql("SELECT count(*) AS n FROM reports")[0]["n"] == 1
    for target_type, target in (("comment", scene["comment"]), ("user", scene["owner"])):
        assert _report(client, scene["fan"], target_type, target["id"])[0].status_code == 201


def test_bad_reports_are_400_or_404_and_store_nothing(client, scene, sql):
    fan, vid = scene["fan"], str(scene["video"]["id"])
    cases = [
        {"target_type": "song", "target_id": vid, "reason": "spam"},
        {"target_type": "video", "target_id": "nope", "reason": "spam"},
        {"target_type": "video", "target_id": vid, "reason": "i just dislike it"},
        {"target_type": "video", "target_id": vid, "reason": "spam", "note": "x" * 1001},
        {"target_type": "video", "target_id": vid, "reason": "spam", "weight": 100},
        {"target_type": "user", "target_id": str(fan["id"]), "reason": "spam"},
    ]
    for body in cases:
        answer, detail = _post(client, "/v1/reports", fan, body)
        assert answer.status_code == 400 and detail["detail"], body
    answer, _ = _report(client, fan, "video", uuid.uuid4())
    assert answer.status_code == 404
    assert sql("SELECT count(*) AS n FROM reports")[0]["n"] == 0


def test_strangers_are_401_and_a_loop_of_reports_is_429(client, scene, sql, make_user, settings_env):
    assert _report(client, None, "video", scene["video"]["id"])[0].status_code == 401
    settings_env(RATE_LIMITS="report=3/3600")
    targets = [insert_video(sql, scene["owner"]["id"], title=f"v{i}")["id"] for i in range(5)]
    codes = [_report(client, scene["fan"], "video", t)[0].status_code for t in targets]
    assert codes == [201, 201, 201, 429, 429]
    # A repeat of an open report costs nothing from the allowance and still answers.
    assert _report(client, scene["fan"], "video", targets[0])[0].status_code == 200
    assert sql("SELECT count(*) AS n FROM reports")[0]["n"] == 3


def test_the_queue_is_for_moderators_ordered_by_weight(client, scene, make_user):
    fans = [make_user() for _ in range(3)]
    for fan in fans:  # three spam reports on the video: weight 3
        _report(client, fan, "video", scene["video"]["id"])
    _report(client, scene["fan"], "comment", scene["comment"]["id"], reason="child_safety")  # 10
    assert client.http.get("/v1/admin/reports").status_code == 401
    assert client.http.get("/v1/admin/reports", headers=auth_headers(scene["fan"]["id"])).status_code == 403
    answer = client.http.get("/v1/admin/reports?limit=1", headers=auth_headers(scene["admin"]["id"]))
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-store"
    page = json.loads(answer.body)
    assert [(i["target_type"], i["weight"]) for i in page["items"]] == [("comment", 10.0)]
    answer = client.http.get(f"/v1/admin/reports?cursor={page['next_cursor']}",
                             headers=auth_headers(scene["admin"]["id"]))
    rest = json.loads(answer.body)
    assert [(i["target_type"], i["weight"], i["reports_count"]) for i in rest["items"]] == [("video", 3.0, 3)]
    assert rest["next_cursor"] is None


def test_takedown_hides_everywhere_keeps_the_reason_notifies_and_restores(client, scene, sql):
    vid = str(scene["video"]["id"])
    _report(client, scene["fan"], "video", vid)
    assert client.http.get(f"/v1/videos/{vid}").status_code == 200
    answer, result = _post(client, f"/v1/admin/videos/{vid}/takedown", scene["admin"], {"reason": "Spam link"})
    assert answer.status_code == 200 and result["changed"] is True and result["hidden"] is True
    for path in (f"/v1/videos/{vid}", f"/v1/videos/{vid}/comments"):
        assert client.http.get(path).status_code == 404
    # The owner too: taken down is not theirs to show.
    assert client.http.get(f"/v1/videos/{vid}", headers=auth_headers(scene["owner"]["id"])).status_code == 404
    for path in ("/v1/feed", f"/v1/users/{scene['owner']['id']}/videos", "/v1/hashtags/kenya/videos",
                 "/videos/feed", "/v1/search/videos?q=reported"):
        body = json.loads(client.http.get(path).body)
        items = body if isinstance(body, list) else body["items"]
        assert vid not in [i["id"] for i in items], path
    row = sql("SELECT takedown_reason FROM videos WHERE id = %s", (vid,))[0]
    assert row["takedown_reason"] == "Spam link"
    audit = sql("SELECT moderator_id, action, target_id, reason FROM moderation_actions")
    assert audit == [{"moderator_id": scene["admin"]["id"], "action": "takedown_video",
                      "target_id": scene["video"]["id"], "reason": "Spam link"}]
    assert sql("SELECT status FROM reports")[0]["status"] == "actioned"
    outbox = sql("SELECT user_id, payload FROM notification_outbox WHERE kind = 'direct'")
    assert [(o["user_id"], o["payload"]["type"]) for o in outbox] == [
        (scene["owner"]["id"], "content_taken_down")]
    # Again: nothing changes, nothing audited, nobody notified.
    again = _post(client, f"/v1/admin/videos/{vid}/takedown", scene["admin"], {"reason": "x"})[1]
    assert again["changed"] is False
    assert len(sql("SELECT 1 FROM moderation_actions")) == 1
    _, restored = _post(client, f"/v1/admin/videos/{vid}/restore", scene["admin"], {"reason": "Appeal upheld"})
    assert restored["changed"] is True and restored["hidden"] is False
    assert client.http.get(f"/v1/videos/{vid}").status_code == 200
    assert len(sql("SELECT 1 FROM moderation_actions")) == 2


def test_comment_takedown_hides_the_comment(client, scene, sql):
    cid, vid = str(scene["comment"]["id"]), str(scene["video"]["id"])
    _post(client, f"/v1/admin/comments/{cid}/takedown", scene["admin"], {"reason": "Abuse"})
    assert json.loads(client.http.get(f"/v1/videos/{vid}/comments").body)["items"] == []
    _post(client, f"/v1/admin/comments/{cid}/restore", scene["admin"], {"reason": "Mistake"})
    assert [c["id"] for c in json.loads(client.http.get(f"/v1/videos/{vid}/comments").body)["items"]] == [cid]


def test_suspension_refuses_tokens_and_hides_content(client, scene):
    owner = scene["owner"]
    vid = str(scene["video"]["id"])
    assert client.http.get("/auth/me", headers=auth_headers(owner["id"])).status_code == 200
    _post(client, f"/v1/admin/users/{owner['id']}/suspend", scene["admin"], {"reason": "Spam ring"})
    for path in ("/auth/me", "/v1/me/feed", "/notifications/unread-count"):
        answer = client.http.get(path, headers=auth_headers(owner["id"]))
        assert answer.status_code == 401, path
    assert json.loads(client.http.get("/auth/me", headers=auth_headers(owner["id"])).body)["detail"] == \
        "This account is suspended"
    assert client.http.get(f"/v1/users/{owner['id']}").status_code == 404
    assert client.http.get(f"/v1/videos/{vid}").status_code == 404
    _post(client, f"/v1/admin/users/{owner['id']}/restore", scene["admin"], {"reason": "Cleared"})
    assert client.http.get("/auth/me", headers=auth_headers(owner["id"])).status_code == 200
    assert client.http.get(f"/v1/videos/{vid}").status_code == 200


def test_a_suspended_commenter_s_comments_are_hidden(client, scene, sql):
    vid = str(scene["video"]["id"])
    insert_comment(sql, vid, scene["fan"]["id"], "Fan comment", minutes=5)
    _post(client, f"/v1/admin/users/{scene['fan']['id']}/suspend", scene["admin"], {"reason": "Spam"})
    contents = [c["content"] for c in json.loads(client.http.get(f"/v1/videos/{vid}/comments").body)["items"]]
    assert contents == ["Reported comment"]


@pytest.mark.parametrize("path", [
    "/v1/admin/videos/{v}/takedown", "/v1/admin/videos/{v}/restore",
    "/v1/admin/comments/{c}/takedown", "/v1/admin/comments/{c}/restore",
    "/v1/admin/users/{u}/suspend", "/v1/admin/users/{u}/restore",
])
def test_only_moderators_may_act(client, scene, sql, path):
    path = path.format(v=scene["video"]["id"], c=scene["comment"]["id"], u=scene["owner"]["id"])
    assert _post(client, path, None, {"reason": "x"})[0].status_code == 401
    for user in (scene["fan"], scene["owner"]):  # the owner of the content is no moderator
        assert _post(client, path, user, {"reason": "x"})[0].status_code == 403
    assert sql("SELECT count(*) AS n FROM moderation_actions")[0]["n"] == 0


def test_bad_moderator_input(client, scene):
    admin = scene["admin"]
    assert _post(client, f"/v1/admin/videos/{scene['video']['id']}/takedown", admin, {})[0].status_code == 400
    assert _post(client, "/v1/admin/videos/nope/takedown", admin, {"reason": "x"})[0].status_code == 400
    assert _post(client, f"/v1/admin/videos/{uuid.uuid4()}/takedown", admin, {"reason": "x"})[0].status_code == 404
    assert _post(client, f"/v1/admin/users/{admin['id']}/suspend", admin, {"reason": "x"})[0].status_code == 400


def test_report_notes_and_reasons_follow_the_shared_text_rules(client, scene, sql):
    """The bodies' models apply rules.clean_text: no bidi overrides or control characters in
    what a moderator reads; a blank note is stored as none."""
    fan, vid = scene["fan"], str(scene["video"]["id"])
    for note in ("look \u202e here", "bell \x07"):
        answer, detail = _post(client, "/v1/reports", fan,
                               {"target_type": "video", "target_id": vid, "reason": "spam", "note": note})
        assert answer.status_code == 400 and "'note'" in detail["detail"], note
    answer, body = _post(client, "/v1/reports", fan,
                         {"target_type": "video", "target_id": vid, "reason": "spam", "note": "   "})
    assert answer.status_code == 201 and body["note"] is None
    assert sql("SELECT count(*) AS n FROM reports")[0]["n"] == 1
