"""Issue 15, items 3 and 11: anonymous views and shares cannot be bought with a loop.

What an attacker with a loop can do: mint user agents (a fresh client hash each time), drop
or forge the viewer key, type a CloudFront-Viewer-Address header, skip the watch time. Each
is refused, limited per address and key, or weighs nothing in trending.
"""
from __future__ import annotations

import hashlib
import hmac
import json

from chalicelib import config
from tests.conftest import auth_headers
from tests.support.engagement import body, make_video
from tests.support.trending import (NOW, add_comments, add_likes, add_shares, add_video,
                                    make_users, order_of)

JSON = {"Content-Type": "application/json"}
THROUGH_CLOUDFRONT = {"X-Origin-Verify": "test-origin-secret"}


def _post(client, path, payload, **headers):
    return client.http.post(path, body=json.dumps(payload), headers={**JSON, **headers})


def _count(sql, table, video_id):
    return sql(f"SELECT count(*) AS n FROM {table} WHERE video_id = %s", (video_id,))[0]["n"]


def test_a_view_without_watch_time_is_refused_and_changes_nothing(client, sql, make_user):
    video = make_video(sql, make_user())
    response = _post(client, f"/v1/videos/{video['id']}/views", {})
    assert response.status_code == 400
    assert "watch_ms" in body(response)["detail"]
    assert _count(sql, "video_views", video["id"]) == 0
    assert sql("SELECT count(*) AS n FROM rate_limits")[0]["n"] == 0


def test_the_old_detail_route_counts_only_signed_in_opens(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    for n in range(5):  # a loop with a fresh user agent each time: nothing counted
        assert client.http.get(f"/videos/{video['id']}", headers={"User-Agent": f"bot/{n}"}).status_code == 200
    assert _count(sql, "video_views", video["id"]) == 0
    client.http.get(f"/videos/{video['id']}", headers=auth_headers(fan["id"]))
    assert _count(sql, "video_views", video["id"]) == 1


def test_a_loop_minting_user_agents_is_limited_per_address(client, sql, make_user, settings_env):
    settings_env(VIEWER_RATE_LIMITS="event_address=5/3600,event_key=100/3600,event_user=100/3600")
    video = make_video(sql, make_user())
    answers = [_post(client, f"/v1/videos/{video['id']}/shares", {"channel": "whatsapp"},
                     **{"User-Agent": f"bot/{n}"}) for n in range(8)]
    assert [a.status_code for a in answers] == [201] * 5 + [429] * 3
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert _count(sql, "video_shares", video["id"]) == 5


def test_a_forged_viewer_address_does_not_make_a_new_address(client, sql, make_user, settings_env):
    """Without CloudFront's origin secret the header is the caller's own words: ignored."""
    settings_env(VIEWER_RATE_LIMITS="event_address=3/3600,event_key=100/3600")
    video = make_video(sql, make_user())
    forged = [_post(client, f"/v1/videos/{video['id']}/views", {"watch_ms": 5000},
                    **{"User-Agent": f"bot/{n}", "CloudFront-Viewer-Address": f"41.90.64.{n}:443"})
              for n in range(5)]
    assert [a.status_code for a in forged] == [200] * 3 + [429] * 2
    # The same header from CloudFront (origin secret verified) is the viewer's real address.
    real = _post(client, f"/v1/videos/{video['id']}/views", {"watch_ms": 5000},
                 **THROUGH_CLOUDFRONT, **{"CloudFront-Viewer-Address": "41.90.64.200:443"})
    assert real.status_code == 200 and body(real) == {"counted": True}


def test_one_viewer_key_is_limited_and_a_refused_event_leaves_no_row(client, sql, make_user, settings_env):
    settings_env(VIEWER_RATE_LIMITS="event_address=100/3600,event_key=1/3600")
    videos = [make_video(sql, make_user()) for _ in range(3)]
    first = _post(client, f"/v1/videos/{videos[0]['id']}/views", {"watch_ms": 5000})
    key = {"X-Viewer-Key": first.headers["X-Viewer-Key"]}
    second = _post(client, f"/v1/videos/{videos[1]['id']}/views", {"watch_ms": 5000}, **key)
    third = _post(client, f"/v1/videos/{videos[2]['id']}/views", {"watch_ms": 5000}, **key)
    assert (second.status_code, third.status_code) == (200, 429)
    assert _count(sql, "video_views", videos[2]["id"]) == 0


def test_signed_in_viewers_are_limited_per_user(client, sql, make_user, settings_env):
    settings_env(VIEWER_RATE_LIMITS="event_user=2/3600")
    fan = make_user()
    videos = [make_video(sql, make_user()) for _ in range(3)]
    codes = [_post(client, f"/v1/videos/{v['id']}/shares", {"channel": "sms"},
                   **auth_headers(fan["id"])).status_code for v in videos]
    assert codes == [201, 201, 429]


def test_ten_thousand_scripted_anonymous_shares_do_not_move_trending(sql, make_user):
    """Genuinely engaged videos in a known order; then what a script that beat every limit
    (10,000 addresses) leaves: 10,000 anonymous shares on the last one. The order holds."""
    from chalicelib.repo import trending as ranking

    author = make_user()["id"]
    fans = make_users(sql, 12)
    first, second, third = (add_video(sql, author, age_h=10) for _ in range(3))
    add_likes(sql, first, fans, age_h=1)
    add_comments(sql, first, fans[0], 4, age_h=1)
    add_likes(sql, second, fans[:6], age_h=1)
    add_shares(sql, second, 1, age_h=1)  # a signed-in share does count
    add_likes(sql, third, fans[:3], age_h=1)
    before = order_of(ranking.ranked_rows(now=NOW))
    assert before == [first, second, third]

    add_shares(sql, third, 10_000, age_h=0.5, signed_in=False)
    add_shares(sql, second, 1, age_h=0.5, channel="x", signed_in=False)
    assert _count(sql, "video_shares", third) == 10_000  # counted on the video...
    after = ranking.ranked_rows(now=NOW)
    assert order_of(after) == before  # ...but weighing nothing in the ranking
    scores = {str(r["id"]): r["score"] for r in after if r["list_tag"] is None}
    assert scores[third] < scores[second] < scores[first]


def test_viewer_keys_are_signed_with_a_sub_key_not_the_jwt_secret(client, sql, make_user):
    from chalicelib.engagement import viewer

    video = make_video(sql, make_user())
    key = _post(client, f"/v1/videos/{video['id']}/views", {"watch_ms": 5000}).headers["X-Viewer-Key"]
    _, token, tag = key.split(".")
    raw = config.settings().jwt_secret.encode()
    assert tag != hmac.new(raw, token.encode(), hashlib.sha256).hexdigest()[:32]
    derived = hmac.new(raw, b"trendke viewer key v1", hashlib.sha256).digest()
    assert tag == hmac.new(derived, token.encode(), hashlib.sha256).hexdigest()[:32]
    assert viewer.verified_token(key) == token


def test_a_key_issued_before_the_sub_key_keeps_its_viewer_and_is_re_signed(client, sql, make_user):
    """The transition: a key signed with the raw JWT secret is still this viewer (the same
    once-per-hour key), and the answer hands over the same token signed the new way."""
    from chalicelib.engagement import viewer

    video = make_video(sql, make_user())
    token = "ab" * 16
    old_tag = hmac.new(config.settings().jwt_secret.encode(), token.encode(), hashlib.sha256).hexdigest()[:32]
    old_key = f"v1.{token}.{old_tag}"
    first = _post(client, f"/v1/videos/{video['id']}/views", {"watch_ms": 5000}, **{"X-Viewer-Key": old_key})
    assert body(first) == {"counted": True}
    new_key = first.headers["X-Viewer-Key"]
    assert new_key != old_key and viewer.verified_token(new_key) == token
    again = _post(client, f"/v1/videos/{video['id']}/views", {"watch_ms": 5000}, **{"X-Viewer-Key": new_key})
    assert body(again) == {"counted": False}  # the same viewer: not a second view
    assert sql("SELECT viewer_key FROM video_views")[0]["viewer_key"] == "k:" + token


def test_the_window_reads_signed_in_events_through_the_partial_indexes(sql, database_url):
    """Migration 0022's indexes carry the sources' predicate: the planner can answer the
    views and shares of the window from them alone (seq scans off: the test tables are tiny)."""
    import datetime as dt
    import json as _json

    import psycopg

    from chalicelib.repo import trending as ranking

    now = dt.datetime.now(dt.timezone.utc)
    since = now - dt.timedelta(hours=ranking.WINDOW_HOURS)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = conn.execute("EXPLAIN (FORMAT JSON) " + ranking.rank_sql(), {
            "now": now, "since": since, "now_utc": now.replace(tzinfo=None),
            "since_utc": since.replace(tzinfo=None), "half_life_h": 6.0, "gravity": 0.5,
            "global_size": 1, "hashtag_size": 1, "hashtag_lists": 1}).fetchone()[0]
    indexes = set()

    def walk(node):  # index scans name the index; a bitmap scan's child does
        if node.get("Index Name", "").startswith(("video_views", "video_shares")):
            indexes.add(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk((plan if isinstance(plan, list) else _json.loads(plan))[0]["Plan"])
    assert indexes == {"video_views_signed_in_created_at", "video_shares_signed_in_created_at"}
