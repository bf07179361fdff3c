"""JSON bodies: a NUL character (legal in JSON, refused by Postgres text) is a 400, not a 500."""
from __future__ import annotations

import json

from tests.conftest import auth_headers
from tests.support.engagement import make_video


def test_a_nul_character_anywhere_in_a_body_is_a_400_and_changes_nothing(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    for payload in ({"content": "sawa\u0000sawa"}, {"content": "ok", "extra": ["\u0000"]},
                    {"content": "ok", "k\u0000": 1}):
        answer = client.http.post(
            f"/v1/videos/{video['id']}/comments", body=json.dumps(payload),
            headers={**auth_headers(fan["id"]), "Content-Type": "application/json"})
        assert answer.status_code == 400, payload
        assert "NUL" in json.loads(answer.body)["detail"]
    assert sql("SELECT count(*) AS n FROM video_comments")[0]["n"] == 0
    # The text "\u0000" itself (backslash, u, zeros) is ordinary content.
    answer = client.http.post(
        f"/v1/videos/{video['id']}/comments", body=json.dumps({"content": "\\u0000"}),
        headers={**auth_headers(fan["id"]), "Content-Type": "application/json"})
    assert answer.status_code == 201
