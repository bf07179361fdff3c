"""Who may do what on the live socket: roles from the session row, a stranger's moderation
refused, a kicked user kept out, and a loop of chat messages cut off by the rate limit."""
from __future__ import annotations

import pytest

from tests.support.live import connect, eventually, say, start_session, until


@pytest.fixture(scope="module")
def gateway(database_url):
    from devtools.ws_gateway import LocalWebSocketGateway

    gw = LocalWebSocketGateway(environments=6).start()
    yield gw
    gw.stop()


def _room(gateway, client, make_user):
    host, a, b = make_user("host"), make_user("aisha"), make_user("brian")
    sid = start_session(client, host["id"])["id"]
    sockets = [connect(gateway, sid, u["id"]) for u in (host, a, b)]
    for ws in sockets:
        until(ws, "current_participants")
    return sid, (host, a, b), sockets


def test_a_viewer_cannot_moderate_but_the_host_can(gateway, client, make_user, sql):
    sid, (host, a, b), (h, va, vb) = _room(gateway, client, make_user)
    try:
        for frame in ({"action": "participant_action", "target_user_id": str(b["id"]), "action_type": "kick"},
                      {"action": "participant_action", "target_user_id": str(host["id"]), "action_type": "mute_audio"},
                      {"action": "respond_guest", "target_user_id": str(b["id"]), "approved": True}):
            say(va, **frame)
            error = until(va, "error")
            assert error["status"] == 403 and "host" in error["detail"]
        assert sql("SELECT status FROM live_participants WHERE session_id = %s AND user_id = %s",
                   (sid, b["id"]))[0]["status"] == "active"

        # A guest request reaches the host only; the host approves it.
        say(vb, action="request_guest")
        asked = until(h, "guest_request")
        assert asked["user_id"] == str(b["id"])
        say(h, action="respond_guest", target_user_id=str(b["id"]), approved=True)
        assert until(vb, "guest_approved")["approved_by"] == "host"
        assert until(va, "guest_joined")["username"] == "brian"

        say(h, action="participant_action", target_user_id=str(a["id"]), action_type="mute_audio")
        assert until(va, "force_mute_audio")["by"] == "host"
        say(h, action="participant_action", target_user_id=str(a["id"]), action_type="kick")
        assert until(va, "kicked")["by"] == "host"
        assert until(h, "user_left", user_id=str(a["id"]))
        kicked = sql("SELECT status FROM live_participants WHERE session_id = %s AND user_id = %s", (sid, a["id"]))
        assert kicked[0]["status"] == "kicked"
        # ... and stays out: the handshake is refused, and so is /live/join.
        from websockets.exceptions import InvalidStatus

        with pytest.raises(InvalidStatus) as refused:
            connect(gateway, sid, a["id"])
        assert refused.value.response.status_code == 403

        # A co-host made by the host may moderate, but not make co-hosts.
        say(h, action="participant_action", target_user_id=str(b["id"]), action_type="promote", new_role="cohost")
        assert until(vb, "promoted")["new_role"] == "cohost"
        say(vb, action="participant_action", target_user_id=str(host["id"]), action_type="kick")
        assert until(vb, "error")["status"] == 403
    finally:
        for ws in (h, va, vb):
            ws.close()


def test_a_loop_of_chat_is_rate_limited(gateway, client, make_user, sql):
    sid, (host, a, b), sockets = _room(gateway, client, make_user)
    h, va, vb = sockets
    try:
        for i in range(25):
            say(va, action="chat", message=f"spam {i}")
        error = until(va, "error", status=429)
        assert error["retry_after"] >= 1 and "live_chat" in error["detail"]
        stored = eventually(lambda: sql("SELECT count(*) AS n FROM live_chat_messages WHERE user_id = %s",
                                        (a["id"],))[0]["n"] >= 20)
        assert stored
        assert sql("SELECT count(*) AS n FROM live_chat_messages WHERE user_id = %s", (a["id"],))[0]["n"] == 20

        say(vb, action="chat", message="x" * 501)
        assert until(vb, "error")["status"] == 400
        sql("UPDATE live_session_settings SET chat_slow_mode = 60 WHERE session_id = %s", (sid,))
        say(vb, action="chat", message="first")
        until(vb, "chat_message", message="first")
        say(vb, action="chat", message="second")
        slow = until(vb, "error", status=429)
        assert "Slow mode" in slow["detail"]
        say(h, action="chat", message="the host is not slowed")
        until(h, "chat_message", message="the host is not slowed")
        say(h, action="chat", message="twice")
        until(h, "chat_message", message="twice")
        say(vb, action="webrtc_signal", to_user_id="all", signal_type="offer", signal_data="not an object")
        assert until(vb, "error")["status"] == 400
        say(vb, action="nonsense")
        assert "Unknown action" in until(vb, "error")["detail"]
    finally:
        for ws in sockets:
            ws.close()


def test_ending_the_session_tells_every_socket(gateway, client, make_user, sql):
    import json

    from tests.conftest import auth_headers

    sid, (host, a, b), sockets = _room(gateway, client, make_user)
    answer = client.http.post(f"/live/{sid}/end", headers=auth_headers(host["id"]))
    assert answer.status_code == 200
    for ws in sockets:
        assert until(ws, "session_ended")["session_id"] == sid
        ws.close()
    assert sql("SELECT count(*) AS n FROM live_connections")[0]["n"] == 0
    assert json.loads(client.http.get(f"/live/{sid}").body)["viewer_count"] == 0
