"""Dismissing reports and reading the audit log: moderators only (401 strangers, 403 anybody
else signed in), private answers, idempotent dismissals, cursor pages of the audit."""
from __future__ import annotations

import json
import uuid

from tests.conftest import auth_headers
from tests.test_moderation import _post, _report, scene  # noqa: F401  (the shared fixture)


def _get(client, path, user=None):
    answer = client.http.get(path, headers=auth_headers(user["id"]) if user else {})
    return answer, json.loads(answer.body)


def _queue(client, admin):
    return [(i["target_type"], i["target_id"]) for i in _get(client, "/v1/admin/reports", admin)[1]["items"]]


def test_a_dismissal_empties_the_queue_once_and_is_audited(client, scene, sql, make_user):  # noqa: F811
    admin, vid, cid = scene["admin"], str(scene["video"]["id"]), str(scene["comment"]["id"])
    for fan in (scene["fan"], make_user()):
        _report(client, fan, "video", vid)
    _report(client, scene["fan"], "comment", cid, reason="hate")
    assert _queue(client, admin) == [("comment", cid), ("video", vid)]
    answer, result = _post(client, f"/v1/admin/videos/{vid}/dismiss", admin, {"reason": "Not spam"})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-store"
    assert result["changed"] is True and result["reports_dismissed"] == 2
    assert result["action"] == "dismiss_reports" and result["audited_at"]
    assert _queue(client, admin) == [("comment", cid)]
    rows = sql("SELECT status, resolved_by FROM reports WHERE target_id = %s", (vid,))
    assert rows == [{"status": "dismissed", "resolved_by": admin["id"]}] * 2
    # The video itself is untouched: still public.
    assert client.http.get(f"/v1/videos/{vid}").status_code == 200
    again = _post(client, f"/v1/admin/videos/{vid}/dismiss", admin, {"reason": "again"})[1]
    assert again["changed"] is False and again["reports_dismissed"] == 0 and again["audited_at"] is None
    audit = sql("SELECT moderator_id, action, target_type, reason FROM moderation_actions")
    assert audit == [{"moderator_id": admin["id"], "action": "dismiss_reports",
                      "target_type": "video", "reason": "Not spam"}]
    # A report filed after the dismissal is a new signal: the target is back in the queue.
    assert _report(client, scene["fan"], "video", vid)[0].status_code == 201
    assert ("video", vid) in _queue(client, admin)


def test_dismissing_is_for_moderators_and_a_loop_changes_nothing(client, scene, sql):  # noqa: F811
    vid, uid = str(scene["video"]["id"]), str(scene["owner"]["id"])
    _report(client, scene["fan"], "video", vid)
    _report(client, scene["fan"], "user", uid)
    for path in (f"/v1/admin/videos/{vid}/dismiss", f"/v1/admin/users/{uid}/dismiss",
                 f"/v1/admin/comments/{scene['comment']['id']}/dismiss"):
        assert _post(client, path, None, {"reason": "x"})[0].status_code == 401
        # The reported owner looping over their own reports: 403 every time.
        codes = {_post(client, path, scene["owner"], {"reason": "x"})[0].status_code for _ in range(20)}
        assert codes == {403}
    assert sql("SELECT count(*) AS n FROM reports WHERE status = 'open'")[0]["n"] == 2
    assert sql("SELECT count(*) AS n FROM moderation_actions")[0]["n"] == 0


def test_bad_dismissals(client, scene):  # noqa: F811
    admin = scene["admin"]
    vid = scene["video"]["id"]
    assert _post(client, f"/v1/admin/videos/{vid}/dismiss", admin, {})[0].status_code == 400
    assert _post(client, f"/v1/admin/videos/{vid}/dismiss", admin, {"reason": "x", "all": True})[0].status_code == 400
    assert _post(client, "/v1/admin/videos/nope/dismiss", admin, {"reason": "x"})[0].status_code == 400
    answer, body = _post(client, f"/v1/admin/comments/{uuid.uuid4()}/dismiss", admin, {"reason": "x"})
    assert answer.status_code == 404 and body["detail"] == "Comment not found"


def test_the_audit_log_pages_newest_first_and_filters(client, scene, make_user):  # noqa: F811
    admin, other = scene["admin"], make_user("mod2", role="admin")
    vid, cid, uid = str(scene["video"]["id"]), str(scene["comment"]["id"]), str(scene["owner"]["id"])
    _post(client, f"/v1/admin/videos/{vid}/takedown", admin, {"reason": "one"})
    _post(client, f"/v1/admin/comments/{cid}/takedown", other, {"reason": "two"})
    _post(client, f"/v1/admin/videos/{vid}/restore", admin, {"reason": "three"})
    _report(client, scene["fan"], "user", uid)
    _post(client, f"/v1/admin/users/{uid}/dismiss", other, {"reason": "four"})
    answer, page = _get(client, "/v1/admin/audit", admin)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-store"
    assert [i["reason"] for i in page["items"]] == ["four", "three", "two", "one"]
    first = page["items"][-1]
    assert (first["moderator_id"], first["moderator_username"], first["action"], first["target_type"],
            first["target_id"]) == (str(admin["id"]), admin["username"], "takedown_video", "video", vid)
    assert first["created_at"].endswith("+00:00")
    # Cursor pages walk the same list, one entry each.
    seen, cursor = [], None
    while True:
        query = "/v1/admin/audit?limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = _get(client, query, admin)[1]
        seen += [i["reason"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ["four", "three", "two", "one"]
    reasons = lambda q: [i["reason"] for i in _get(client, "/v1/admin/audit?" + q, admin)[1]["items"]]  # noqa: E731
    assert reasons(f"target_id={vid}") == ["three", "one"]
    assert reasons(f"target_type=video&target_id={vid}&moderator_id={admin['id']}") == ["three", "one"]
    assert reasons(f"moderator_id={other['id']}") == ["four", "two"]
    assert reasons("target_type=user") == ["four"]
    assert reasons(f"target_id={uuid.uuid4()}") == []


def test_the_audit_log_is_for_moderators_and_its_cursors_are_its_own(client, scene):  # noqa: F811
    admin, vid = scene["admin"], str(scene["video"]["id"])
    for reason in ("a", "b"):
        _post(client, f"/v1/admin/videos/{vid}/{'takedown' if reason == 'a' else 'restore'}", admin,
              {"reason": reason})
    assert _get(client, "/v1/admin/audit")[0].status_code == 401
    for user in (scene["fan"], scene["owner"]):
        answer, body = _get(client, "/v1/admin/audit", user)
        assert answer.status_code == 403 and "items" not in body
    cursor = _get(client, "/v1/admin/audit?limit=1", admin)[1]["next_cursor"]
    assert cursor
    # The cursor of the whole log is not one of a filtered log, nor is a forged one.
    for query in (f"target_id={vid}&cursor={cursor}", "cursor=AAAA" + cursor[4:], "cursor=x"):
        answer, body = _get(client, "/v1/admin/audit?" + query, admin)
        assert answer.status_code == 400 and body["detail"] == "Invalid cursor", query
    for query in ("target_type=song", "target_id=nope", "moderator_id=1", "limit=0"):
        assert _get(client, "/v1/admin/audit?" + query, admin)[0].status_code == 400, query


def test_concurrent_dismissals_audit_once(client, scene, sql, make_user):  # noqa: F811
    from chalicelib.moderation import reports
    from tests.support.engagement import run_concurrently

    vid = str(scene["video"]["id"])
    for _ in range(3):
        _report(client, make_user(), "video", vid)
    admins = [str(make_user(role="admin")["id"]) for _ in range(6)]
    results = []
    errors = run_concurrently([lambda a=a: results.append(reports.dismiss(a, "video", vid, "r"))
                               for a in admins])
    assert errors == []
    assert sorted(r["reports_dismissed"] for r in results) == [0, 0, 0, 0, 0, 3]
    assert sql("SELECT count(*) AS n FROM moderation_actions")[0]["n"] == 1
