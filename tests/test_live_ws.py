"""The live WebSocket end to end: real socket clients, the local gateway (devtools/ws_gateway.py)
turning them into API Gateway events for app.py's Chalice handlers, post_to_connection
through boto3 against the gateway's management API."""
from __future__ import annotations

import pytest

from tests.support.live import connect, eventually, say, start_session, until


@pytest.fixture(scope="module")
def gateway(database_url):
    from devtools.ws_gateway import LocalWebSocketGateway

    gw = LocalWebSocketGateway(environments=6).start()
    yield gw
    gw.stop()


def test_two_clients_chat_and_relay_an_offer_and_answer(gateway, client, make_user, sql):
    host, viewer = make_user("amina"), make_user("baraka")
    session = start_session(client, host["id"])
    sid = session["id"]

    with connect(gateway, sid, host["id"], username="amina") as h:
        first = until(h, "current_participants")
        assert [p["role"] for p in first["participants"]] == ["host"]
        with connect(gateway, sid, viewer["id"], username="baraka") as v:
            joined = until(h, "user_joined")
            assert joined["user_id"] == str(viewer["id"]) and joined["role"] == "viewer"
            assert joined["viewer_count"] == 1
            room = until(v, "current_participants")
            assert {p["username"] for p in room["participants"]} == {"amina", "baraka"}

            say(v, action="chat", message="  Habari!  ")
            for ws in (h, v):  # everyone, sender included
                msg = until(ws, "chat_message")
                assert (msg["username"], msg["message"], msg["user_id"]) == ("baraka", "Habari!", str(viewer["id"]))

            offer = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}
            say(h, action="webrtc_signal", to_user_id=str(viewer["id"]), signal_type="offer", signal_data=offer)
            got = until(v, "webrtc_signal")
            assert got == {"type": "webrtc_signal", "signal_type": "offer", "from_user_id": str(host["id"]),
                           "signal_data": offer}
            answer = {"type": "answer", "sdp": "v=0\r\n"}
            say(v, action="webrtc_signal", to_user_id=str(host["id"]), signal_type="answer", signal_data=answer)
            assert until(h, "webrtc_signal")["signal_data"] == answer

            say(v, action="reaction", reaction="🔥")
            assert until(h, "reaction") ["reaction"] == "🔥"
            say(v, action="update_media_status", audio_enabled=False)
            changed = until(h, "participant_media_changed")
            assert changed["user_id"] == str(viewer["id"]) and changed["audio_enabled"] is False
        left = until(h, "user_left")
        assert left["user_id"] == str(viewer["id"]) and left["viewer_count"] == 0

    stored = sql("SELECT message FROM live_chat_messages WHERE session_id = %s", (sid,))
    assert [r["message"] for r in stored] == ["Habari!"]
    assert eventually(lambda: sql("SELECT count(*) AS n FROM live_connections")[0]["n"] == 0)
    row = sql("SELECT viewer_count, peak_viewers FROM live_sessions WHERE id = %s", (sid,))[0]
    assert (row["viewer_count"], row["peak_viewers"]) == (0, 1)


def test_bad_tokens_are_refused_at_the_handshake(gateway, client, make_user, sql):
    from websockets.exceptions import InvalidStatus

    from chalicelib.auth import mint_token

    host = make_user()
    sid = start_session(client, host["id"])["id"]
    forged = mint_token(str(host["id"]), "not-the-secret-but-long-enough-for-hs256!")
    expired = mint_token(str(host["id"]), "trendke-dev-secret-do-not-use-in-prod", ttl_s=-3600)
    for token, status, detail in ((forged, 401, "Invalid token"), (expired, 401, "Token has expired"),
                                  ("", 401, "A token is required")):
        with pytest.raises(InvalidStatus) as refused:
            connect(gateway, sid, host["id"], token=token)
        assert refused.value.response.status_code == status
        assert detail in refused.value.response.body.decode()
    # A revoked token (logout-all bumps token_version) is refused like on every HTTP route.
    sql("UPDATE users SET token_version = token_version + 1 WHERE id = %s", (host["id"],))
    with pytest.raises(InvalidStatus) as refused:
        connect(gateway, sid, host["id"])
    assert refused.value.response.status_code == 401 and b"revoked" in refused.value.response.body
    assert sql("SELECT count(*) AS n FROM live_connections")[0]["n"] == 0


def test_a_gift_during_the_session_appears_in_its_chat(gateway, client, make_user, sql):
    import json

    from tests.conftest import auth_headers
    from tests.support.gift_kit import seed_catalogue

    types = seed_catalogue(sql)
    host, fan = make_user("host_g"), make_user("fan_g", coin_balance=500)
    sid = start_session(client, host["id"])["id"]
    rose = next(iter(types["gifts"].values()))
    with connect(gateway, sid, host["id"]) as h:
        until(h, "current_participants")
        body = {"recipient_id": str(host["id"]), "gift_type_id": rose, "live_session_id": sid, "amount": 2}
        answer = client.http.post("/gifts/send", body=json.dumps(body),
                                  headers={**auth_headers(fan["id"]), "Content-Type": "application/json"})
        assert answer.status_code == 200, answer.body
        line = until(h, "chat_message", message_type="gift")
        assert line["username"] == "fan_g" and line["gift"]["amount"] == 2 and "x2" in line["message"]
    rows = sql("SELECT message_type, metadata FROM live_chat_messages WHERE session_id = %s", (sid,))
    assert [(r["message_type"], r["metadata"]["amount"]) for r in rows] == [("gift", 2)]
