"""viewer_count and peak_viewers stay exact while sockets join and drop at once: each
connect and disconnect recounts the open sockets under the session row's lock."""
from __future__ import annotations

import threading

import pytest

from tests.support.engagement import run_concurrently
from tests.support.live import connect, eventually, start_session


@pytest.fixture(scope="module")
def gateway(database_url):
    from devtools.ws_gateway import LocalWebSocketGateway

    gw = LocalWebSocketGateway(environments=8).start()
    yield gw
    gw.stop()


def _counts(sql, sid):
    row = sql("SELECT viewer_count, peak_viewers, (SELECT count(DISTINCT user_id) FROM live_connections c"
              " WHERE c.session_id = s.id AND c.user_id <> s.host_id) AS open"
              " FROM live_sessions s WHERE id = %s", (sid,))[0]
    return row["viewer_count"], row["peak_viewers"], row["open"]


def test_concurrent_joins_and_drops_keep_the_counts_exact(gateway, client, make_user, sql):
    host = make_user()
    sid = start_session(client, host["id"])["id"]
    fans = [make_user() for _ in range(16)]
    sockets, lock = {}, threading.Lock()
    hold = threading.Barrier(len(fans))

    def join(fan):
        def work():
            ws = connect(gateway, sid, fan["id"])
            with lock:
                sockets[fan["id"]] = ws
            hold.wait(30)  # everyone in before anyone leaves: the peak is all of them
        return work

    assert run_concurrently([join(f) for f in fans]) == []
    assert eventually(lambda: _counts(sql, sid)[0] == 16)
    assert _counts(sql, sid) == (16, 16, 16)

    # Half drop while six more join, all at once.
    late = [make_user() for _ in range(6)]

    def drop(fan):
        return lambda: sockets.pop(fan["id"]).close()

    def join_late(fan):
        def work():
            ws = connect(gateway, sid, fan["id"])
            with lock:
                sockets[fan["id"]] = ws
        return work

    assert run_concurrently([drop(f) for f in fans[:8]] + [join_late(f) for f in late]) == []
    assert eventually(lambda: _counts(sql, sid)[2] == 14 and _counts(sql, sid)[0] == 14)
    viewers, peak, open_ = _counts(sql, sid)
    assert viewers == open_ == 14 and 16 <= peak <= 22

    # Two tabs of one user are one viewer; closing one leaves them counted.
    second = connect(gateway, sid, late[0]["id"])
    assert eventually(lambda: sql("SELECT count(*) AS n FROM live_connections WHERE user_id = %s",
                                  (late[0]["id"],))[0]["n"] == 2)
    second.close()
    assert eventually(lambda: sql("SELECT count(*) AS n FROM live_connections WHERE user_id = %s",
                                  (late[0]["id"],))[0]["n"] == 1)
    assert _counts(sql, sid)[0] == 14
    for ws in list(sockets.values()):
        ws.close()
    assert eventually(lambda: _counts(sql, sid) == (0, peak, 0))


def test_in_a_big_room_a_viewers_presence_goes_to_the_stage_only(gateway, client, make_user, monkeypatch):
    from chalicelib.live import realtime
    from tests.support.live import say, until

    monkeypatch.setattr(realtime, "PRESENCE_ALL_MAX", 1)
    host, first, second = make_user(), make_user(), make_user()
    sid = start_session(client, host["id"])["id"]
    with connect(gateway, sid, host["id"]) as h, connect(gateway, sid, first["id"]) as v1:
        until(v1, "current_participants")
        until(h, "user_joined", user_id=str(first["id"]))
        with connect(gateway, sid, second["id"]) as v2:
            until(v2, "current_participants")
            assert until(h, "user_joined", user_id=str(second["id"]))["viewer_count"] == 2
            say(v2, action="chat", message="marker")  # v1 sees this, and saw no user_joined first
            import json

            frames = []
            while not frames or frames[-1].get("message") != "marker":
                frames.append(json.loads(v1.recv(timeout=10)))
            assert [f["type"] for f in frames] == ["chat_message"]
