"""The trending read routes: shapes, cache headers, 304s, and no Postgres per read."""
from __future__ import annotations

import json

from chalicelib import db
from chalicelib.trending import reader, writer
from tests.support.pg_stats import count_statements
from tests.support.trending import add_likes, add_video, make_users, trending_env  # noqa: F401

REFUSED = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"


def seed(sql, make_user, n=6):
    author = make_user()["id"]
    fans = make_users(sql, n)
    videos = []
    for i in range(n):
        tags = ["Kenya", "nairobi"] if i % 2 == 0 else ["kenya"]
        video = add_video(sql, author, age_h=5 + i, hashtags=tags, title=f"Video {i}")
        add_likes(sql, video, fans[: n - i], age_h=1)
        videos.append(video)
    return videos


def test_compat_route_answers_an_array_of_videos_best_first(client, sql, make_user, trending_env):
    videos = seed(sql, make_user)
    writer.refresh()
    answer = client.http.get("/videos/trending/videos?limit=3")
    assert answer.status_code == 200
    body = json.loads(answer.body)
    assert [v["id"] for v in body] == videos[:3]
    assert body[0]["username"] and body[0]["likes_count"] == 0  # counters as stored on the row
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Cache-Control"] == (
        "public, max-age=60, s-maxage=300, stale-while-revalidate=300, stale-if-error=86400")
    assert answer.headers["ETag"].startswith('"')
    assert "X-Trending-Source" not in answer.headers
    assert len(json.loads(client.http.get("/videos/trending/videos").body)) == len(videos)


def test_v1_routes_answer_items_and_generated_at(client, sql, make_user, trending_env):
    videos = seed(sql, make_user)
    result = writer.refresh()
    body = json.loads(client.http.get("/v1/trending?limit=2").body)
    assert [v["id"] for v in body["items"]] == videos[:2]
    assert body["next_cursor"] is None
    assert body["generated_at"] == result.generated_at

    tagged = client.http.get("/v1/trending/hashtags/%23KENYA?limit=50")
    assert tagged.status_code == 200
    assert json.loads(tagged.body)["hashtag"] == "kenya"
    assert [v["id"] for v in json.loads(tagged.body)["items"]] == videos
    nairobi = json.loads(client.http.get("/v1/trending/hashtags/nairobi").body)
    assert [v["id"] for v in nairobi["items"]] == videos[0::2]


def test_if_none_match_gets_a_304_and_a_change_gets_a_new_etag(client, sql, make_user, trending_env, settings_env):
    settings_env(TRENDING_REVALIDATE_S="0")  # every read asks the store
    videos = seed(sql, make_user)
    writer.refresh()
    first = client.http.get("/v1/trending")
    etag = first.headers["ETag"]
    again = client.http.get("/v1/trending", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.body == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"].startswith("public")

    sql("UPDATE videos SET title = 'Renamed' WHERE id = %s", (videos[0],))
    writer.refresh()
    changed = client.http.get("/v1/trending", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert json.loads(changed.body)["items"][0]["title"] == "Renamed"


def test_bad_input_is_a_400_and_an_unknown_hashtag_a_404(client, sql, make_user, trending_env):
    seed(sql, make_user)
    writer.refresh()
    for path in ("/v1/trending?limit=0", "/v1/trending?limit=ten", "/videos/trending/videos?limit=-1",
                 "/v1/trending/hashtags/%23%23?limit=5", "/v1/trending/hashtags/" + "x" * 101):
        answer = client.http.get(path)
        assert answer.status_code == 400, path
        assert "detail" in json.loads(answer.body)
    missing = client.http.get("/v1/trending/hashtags/unknowntag")
    assert missing.status_code == 404
    assert json.loads(missing.body) == {"detail": "No trending list for #unknowntag"}
    big = json.loads(client.http.get("/v1/trending?limit=100000").body)  # clamped, not refused
    assert len(big["items"]) == 6


def test_a_thousand_reads_run_no_statement_on_postgres(client, sql, make_user, trending_env, database_url):
    seed(sql, make_user)
    writer.refresh()
    db.close()
    paths = ["/videos/trending/videos?limit=5", "/v1/trending", "/v1/trending/hashtags/kenya?limit=3",
             "/v1/trending/hashtags/nairobi"]
    with count_statements(database_url) as counter:
        for i in range(1000):
            assert client.http.get(paths[i % len(paths)]).status_code == 200
    assert counter.count == 0, counter.queries


def test_trending_answers_when_the_database_is_unreachable_after_a_refresh(
        client, sql, make_user, trending_env, settings_env):
    videos = seed(sql, make_user)
    writer.refresh()
    settings_env(DATABASE_URL=REFUSED, TRENDING_REVALIDATE_S="0")
    db.close()
    reader.reset()  # a new execution environment, with no copy in memory yet
    assert client.http.get("/health").status_code == 200  # degraded, to show the db is gone
    assert json.loads(client.http.get("/health").body)["database"] == "disconnected"
    for path in ("/videos/trending/videos", "/v1/trending", "/v1/trending/hashtags/kenya"):
        answer = client.http.get(path)
        assert answer.status_code == 200, path
    assert [v["id"] for v in json.loads(client.http.get("/videos/trending/videos").body)] == videos


def test_with_no_stored_lists_a_read_computes_from_postgres_once(
        client, sql, make_user, trending_env, database_url):
    videos = seed(sql, make_user)
    first = client.http.get("/videos/trending/videos")
    assert first.status_code == 200
    assert first.headers["X-Trending-Source"] == "database"
    assert [v["id"] for v in json.loads(first.body)] == videos
    db.close()
    with count_statements(database_url) as counter:
        for path in ("/v1/trending", "/v1/trending/hashtags/kenya", "/videos/trending/videos?limit=2"):
            answer = client.http.get(path)
            assert answer.status_code == 200 and answer.headers["X-Trending-Source"] == "database"
    assert counter.count == 0, counter.queries
    assert not trending_env.exists()  # a read never writes the store


def test_no_stored_lists_and_no_database_is_a_503(client, trending_env, settings_env):
    settings_env(DATABASE_URL=REFUSED)
    db.close()
    answer = client.http.get("/v1/trending")
    assert answer.status_code == 503
    assert "detail" in json.loads(answer.body)


def test_a_new_index_keeps_unchanged_lists_and_fetches_changed_ones(
        client, sql, make_user, trending_env, settings_env):
    settings_env(TRENDING_REVALIDATE_S="0")
    author = make_user()["id"]
    fans = make_users(sql, 2)
    matatu = add_video(sql, author, age_h=3, hashtags=["matatu"], title="Matatu")
    safari = add_video(sql, author, age_h=3, hashtags=["safari"], title="Safari")
    add_likes(sql, matatu, fans, age_h=1)
    add_likes(sql, safari, fans[:1], age_h=1)
    writer.refresh()
    assert client.http.get("/v1/trending/hashtags/safari").status_code == 200
    assert client.http.get("/v1/trending/hashtags/matatu").status_code == 200

    sql("UPDATE videos SET title = 'Matatu art' WHERE id = %s", (matatu,))
    result = writer.refresh()
    assert "hashtags/safari.json" in result.unchanged and "hashtags/matatu.json" in result.written
    # The unchanged list is not read again: the copy held goes on serving even without its file.
    (trending_env / "trending" / "hashtags" / "safari.json").unlink()
    safari_list = json.loads(client.http.get("/v1/trending/hashtags/safari").body)
    assert [v["title"] for v in safari_list["items"]] == ["Safari"]
    matatu_list = json.loads(client.http.get("/v1/trending/hashtags/matatu").body)
    assert [v["title"] for v in matatu_list["items"]] == ["Matatu art"]


def test_a_corrupt_index_keeps_the_copy_held(client, sql, make_user, trending_env, settings_env):
    settings_env(TRENDING_REVALIDATE_S="0")
    videos = seed(sql, make_user)
    writer.refresh()
    held = client.http.get("/v1/trending")
    (trending_env / "trending" / "index.json").write_text('{"generated_at": ')  # truncated
    answer = client.http.get("/v1/trending")
    assert answer.status_code == 200 and answer.body == held.body
    assert [v["id"] for v in json.loads(answer.body)["items"]] == videos
    reader.reset()  # a new environment with nothing held: no good copy to serve
    assert client.http.get("/v1/trending").status_code == 503


def test_store_revalidations_are_counted_by_outcome(client, sql, make_user, trending_env, settings_env, capsys):
    settings_env(TRENDING_REVALIDATE_S="0")  # every read asks the store
    seed(sql, make_user)
    writer.refresh()
    reader.reset()
    capsys.readouterr()
    client.http.get("/v1/trending")  # nothing held: fetched
    client.http.get("/v1/trending")  # held, unchanged: not modified
    outcomes = []
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            doc = json.loads(line)
            if "TrendingStoreRevalidation" in doc:
                outcomes.append(doc["outcome"])
    assert outcomes == ["fetched", "not_modified"]
