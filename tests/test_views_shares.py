"""Views and shares: counted once per viewer per video per hour, views only after the minimum
watch time; anonymous viewers by issued key or client hash."""
from __future__ import annotations

import json

from tests.conftest import auth_headers
from tests.support.engagement import body, fold, make_video

JSON = {"Content-Type": "application/json"}


def _view(client, video_id, payload=None, **headers):
    return client.http.post(f"/v1/videos/{video_id}/views", body=json.dumps(payload or {}),
                            headers={**JSON, **headers})


def _views(sql, video_id):
    return sql("SELECT count(*) AS n FROM video_views WHERE video_id = %s", (video_id,))[0]["n"]


def test_signed_in_view_counts_once_per_hour(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner, views_count=5)
    first = _view(client, video["id"], {"watch_ms": 4000}, **auth_headers(fan["id"]))
    again = _view(client, video["id"], {"watch_ms": 9000}, **auth_headers(fan["id"]))
    assert body(first) == {"counted": True}
    assert body(again) == {"counted": False}
    assert "X-Viewer-Key" not in first.headers
    assert _views(sql, video["id"]) == 1
    fold()
    assert sql("SELECT views_count FROM videos WHERE id = %s", (video["id"],))[0]["views_count"] == 6


def test_short_watch_is_not_counted(client, sql, make_user, settings_env):
    settings_env(VIEW_MIN_WATCH_MS="3000")
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    response = _view(client, video["id"], {"watch_ms": 2999}, **auth_headers(fan["id"]))
    assert body(response) == {"counted": False}
    assert _views(sql, video["id"]) == 0


def test_anonymous_viewer_gets_a_key_and_is_counted_once_with_it(client, sql, make_user):
    owner = make_user()
    video = make_video(sql, owner)
    first = _view(client, video["id"], {"watch_ms": 5000})
    key = first.headers["X-Viewer-Key"]
    assert body(first) == {"counted": True}
    # Same client, now sending its key: a new viewer key, so at most one more view...
    with_key = _view(client, video["id"], {"watch_ms": 5000}, **{"X-Viewer-Key": key})
    repeat = _view(client, video["id"], {"watch_ms": 5000}, **{"X-Viewer-Key": key})
    assert body(with_key) == {"counted": True}
    assert body(repeat) == {"counted": False}
    assert "X-Viewer-Key" not in repeat.headers
    # ...and without it, the client hash still dedups.
    assert body(_view(client, video["id"], {"watch_ms": 5000})) == {"counted": False}
    assert _views(sql, video["id"]) == 2


def test_forged_viewer_key_falls_back_to_the_client_hash(client, sql, make_user):
    owner = make_user()
    video = make_video(sql, owner)
    _view(client, video["id"], {"watch_ms": 5000})
    forged = _view(client, video["id"], {"watch_ms": 5000}, **{"X-Viewer-Key": "v1.abc.def"})
    assert body(forged) == {"counted": False}
    assert _views(sql, video["id"]) == 1


def test_count_view_logic_for_the_detail_route(sql, make_user, database_url):
    """What GET /videos/{id} calls: no watch time known, counted once per viewer per hour."""
    from chalicelib.engagement.viewer import viewer
    from chalicelib.engagement.views import count_view

    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    who = viewer(str(fan["id"]), None, "1.2.3.4", "ua")
    assert count_view(str(video["id"]), who) is True
    assert count_view(str(video["id"]), who) is False
    assert _views(sql, video["id"]) == 1


def test_share_counts_once_per_channel_per_hour(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    path = f"/v1/videos/{video['id']}/shares"
    headers = {**JSON, **auth_headers(fan["id"])}
    first = client.http.post(path, body='{"channel": "WhatsApp"}', headers=headers)
    again = client.http.post(path, body='{"channel": "whatsapp"}', headers=headers)
    other = client.http.post(path, body='{"channel": "telegram"}', headers=headers)
    assert first.status_code == 201
    assert body(first) == {"counted": True, "shares_count": 1}
    assert body(again) == {"counted": False, "shares_count": 1}
    assert body(other) == {"counted": True, "shares_count": 2}
    fold()
    assert sql("SELECT shares_count FROM videos WHERE id = %s", (video["id"],))[0]["shares_count"] == 2
    rows = sql("SELECT channel FROM video_shares ORDER BY channel")
    assert [r["channel"] for r in rows] == ["telegram", "whatsapp"]


def test_behind_cloudfront_viewers_are_told_apart_by_their_own_address():
    from chalicelib.chalice_app.viewer import client_address

    edge = {"sourceIp": "130.176.0.1"}  # what API Gateway sees behind CloudFront
    sent = {"cloudfront-viewer-address": "41.90.64.7:51234"}
    assert client_address(sent, edge, True) == "41.90.64.7"
    assert client_address({"cloudfront-viewer-address": "[2c0f:fe38::1]:443"}, edge, True) == "2c0f:fe38::1"
    assert client_address({}, edge, True) == "130.176.0.1"
    # Not proven to come through CloudFront (no origin secret): the header is anybody's.
    assert client_address(sent, edge, False) == "130.176.0.1"
