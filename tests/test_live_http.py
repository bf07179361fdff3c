"""The live HTTP routes (FRONTEND.md section 6): who may call them, what a stranger sees,
and what a shared cache may hold."""
from __future__ import annotations

import json

from tests.conftest import auth_headers
from tests.support.live import start_session

JSON = {"Content-Type": "application/json"}


def _post(client, path, user_id=None, body=None):
    headers = {**JSON, **(auth_headers(user_id) if user_id else {})}
    return client.http.post(path, body=json.dumps(body or {}), headers=headers)


def test_start_list_and_read_answer_what_the_frontend_reads(client, make_user):
    host = make_user("amina", email="amina@private.test")
    session = start_session(client, host["id"])
    assert session["host_id"] == str(host["id"]) and session["status"] == "active"
    assert session["username"] == session["host_username"] == "amina"
    assert session["access_token"] is None and session["viewer_count"] == 0
    assert session["started_at"].endswith("+00:00")

    listed = client.http.get("/live/list?status=active")
    assert listed.status_code == 200
    assert listed.headers["Cache-Control"].startswith("public")
    rows = json.loads(listed.body)
    assert [r["id"] for r in rows] == [session["id"]]
    for key in ("viewer_count", "host_id", "session_type", "title", "username", "host_username"):
        assert key in rows[0]
    # Nothing private in an answer the CDN may keep: no token, no e-mail, no hash.
    assert rows[0]["access_token"] is None
    assert "private.test" not in listed.body.decode() and "password" not in listed.body.decode()

    one = client.http.get(f"/live/{session['id']}")
    assert one.status_code == 200 and json.loads(one.body)["id"] == session["id"]
    assert client.http.get("/live/3b7ee8a2-61f5-4a4b-9b1b-6f3e3a1f0c55").status_code == 404
    assert client.http.get("/live/list?status=nonsense").status_code == 400


def test_start_refuses_bad_input_and_strangers(client, make_user, sql):
    host = make_user()
    assert _post(client, "/live/start", None, {"title": "x"}).status_code == 401
    for body in ({"title": ""}, {"title": "x", "session_type": "radio"},
                 {"title": "x", "max_participants": 0}, {"title": "x" * 256}):
        answer = _post(client, "/live/start", host["id"], body)
        assert answer.status_code == 400 and "detail" in json.loads(answer.body)
    assert sql("SELECT count(*) AS n FROM live_sessions")[0]["n"] == 0


def test_a_new_session_ends_the_hosts_older_one(client, make_user, sql):
    host = make_user()
    first = start_session(client, host["id"])
    second = start_session(client, host["id"])
    rows = {str(r["id"]): r["status"] for r in sql("SELECT id, status FROM live_sessions")}
    assert rows == {first["id"]: "ended", second["id"]: "active"}


def test_join_is_idempotent_and_only_the_host_ends(client, make_user, sql):
    host, fan, stranger = make_user(), make_user(), make_user()
    sid = start_session(client, host["id"])["id"]
    for _ in range(2):
        joined = _post(client, "/live/join", fan["id"], {"session_id": sid})
        assert joined.status_code == 200 and joined.headers["Cache-Control"] == "private, no-store"
        body = json.loads(joined.body)
        assert body["session"]["id"] == sid and body["access_token"] is None
    seats = sql("SELECT user_id, role FROM live_participants WHERE session_id = %s ORDER BY role", (sid,))
    assert {(str(r["user_id"]), r["role"]) for r in seats} == {(str(host["id"]), "host"), (str(fan["id"]), "viewer")}
    assert _post(client, "/live/join", fan["id"], {"session_id": "nope"}).status_code == 400

    refused = _post(client, f"/live/{sid}/end", stranger["id"])
    assert refused.status_code == 403
    assert sql("SELECT status FROM live_sessions WHERE id = %s", (sid,))[0]["status"] == "active"
    assert _post(client, f"/live/{sid}/end").status_code == 401
    ended = _post(client, f"/live/{sid}/end", host["id"])
    assert ended.status_code == 200 and json.loads(ended.body) == {"message": "Live session ended"}
    assert json.loads(client.http.get("/live/list?status=active").body) == []
    assert _post(client, "/live/join", fan["id"], {"session_id": sid}).status_code == 410


def test_guest_requests_are_for_the_host_and_cohosts(client, make_user, sql):
    host, fan, stranger = make_user(), make_user("fan"), make_user()
    sid = start_session(client, host["id"])["id"]
    asked = _post(client, "/live/request-guest", fan["id"], {"session_id": sid, "message": "Niko!"})
    assert asked.status_code == 200 and json.loads(asked.body)["status"] == "pending"
    assert _post(client, "/live/request-guest", host["id"], {"session_id": sid}).status_code == 400

    path = f"/live/guest-requests/{sid}?status=pending"
    assert client.http.get(path).status_code == 401
    assert client.http.get(path, headers=auth_headers(stranger["id"])).status_code == 403
    assert client.http.get(path, headers=auth_headers(fan["id"])).status_code == 403
    mine = client.http.get(path, headers=auth_headers(host["id"]))
    assert mine.status_code == 200 and mine.headers["Cache-Control"] == "private, no-store"
    assert [r["username"] for r in json.loads(mine.body)] == ["fan"]

    sql("UPDATE live_participants SET role = 'cohost' WHERE session_id = %s AND user_id = %s",
        (sid, stranger["id"]))  # not seated: still a stranger
    assert client.http.get(path, headers=auth_headers(stranger["id"])).status_code == 403
    people = client.http.get(f"/live/participants/{sid}")
    assert people.status_code == 200 and [p["role"] for p in json.loads(people.body)] == ["host"]


def test_the_sweep_ends_sessions_whose_host_is_gone(client, make_user, sql, settings_env, monkeypatch):
    from chalicelib.live import sweep

    gone_host, present_host = make_user(), make_user()
    stale = start_session(client, gone_host["id"])["id"]
    fresh = start_session(client, present_host["id"])["id"]
    monkeypatch.setenv("LIVE_HOST_GRACE_S", "60")
    assert sweep.end_hostless() == []  # both within the grace period
    sql("UPDATE live_sessions SET host_seen_at = host_seen_at - interval '5 minutes',"
        " started_at = started_at - interval '5 minutes' WHERE id = %s", (stale,))
    assert sweep.end_hostless() == [stale]
    rows = {str(r["id"]): r["status"] for r in sql("SELECT id, status FROM live_sessions")}
    assert rows == {stale: "ended", fresh: "active"}
    assert sweep.end_hostless() == []  # idempotent


def test_a_user_the_host_blocked_or_who_blocked_the_host_cannot_join(client, make_user, sql):
    host, blocked, blocker, stranger = make_user(), make_user(), make_user(), make_user()
    session = start_session(client, host["id"])
    assert client.http.put(f"/v1/users/{blocked['id']}/block", headers=auth_headers(host["id"])).status_code == 200
    assert client.http.put(f"/v1/users/{host['id']}/block", headers=auth_headers(blocker["id"])).status_code == 200
    for user in (blocked, blocker):
        for path, body in (("/live/join", {"session_id": session["id"]}),
                           ("/live/request-guest", {"session_id": session["id"]})):
            answer = _post(client, path, user["id"], body)
            assert answer.status_code == 403, (path, answer.body)
    assert _post(client, "/live/join", stranger["id"], {"session_id": session["id"]}).status_code == 200
    seated = {str(r["user_id"]) for r in sql("SELECT user_id FROM live_participants")}
    assert str(blocked["id"]) not in seated and str(blocker["id"]) not in seated


def test_the_public_reads_are_the_same_answer_for_every_reader(client, make_user):
    """Issue 15 item 4: the edge strips Authorization from GET /live/list, /live/{id} and
    /live/participants/{id} (infra/public_reads.js) so signed-in viewers share one cached entry;
    that is only safe because the answers never depend on the caller: the host, a viewer, a
    stranger with a bad token and nobody get the same bytes, ETag and public Cache-Control."""
    host, viewer = make_user(), make_user()
    sid = start_session(client, host["id"])["id"]
    assert _post(client, "/live/join", viewer["id"], {"session_id": sid}).status_code == 200
    for path in ("/live/list?status=active", f"/live/{sid}", f"/live/participants/{sid}"):
        anonymous = client.http.get(path)
        assert anonymous.status_code == 200 and anonymous.headers["Cache-Control"].startswith("public")
        for headers in (auth_headers(host["id"]), auth_headers(viewer["id"]), {"Authorization": "Bearer nope"}):
            answer = client.http.get(path, headers=headers)
            assert answer.body == anonymous.body, path
            assert answer.headers["ETag"] == anonymous.headers["ETag"], path
            assert "Authorization" not in answer.headers.get("Vary", ""), path
