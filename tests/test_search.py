"""Search: matching, ranking, typo tolerance, visibility, cursor pages, normal-form redirects,
and what the shared cache may hold."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

from chalicelib.search import query as normal_forms
from chalicelib.search import service
from tests.conftest import auth_headers
from tests.support.feed_rows import insert_video


def _get(client, path, headers=None):
    answer = client.http.get(path, headers=headers or {})
    return answer, (json.loads(answer.body) if answer.body else None)


@pytest.fixture
def library(sql, make_user):
    amina = make_user("amina_wanjiku", full_name="Amina Wanjiku", followers_count=500)
    brian = make_user("brian_otieno", full_name="Brian Otieno", followers_count=3)
    v = {
        "safari": insert_video(sql, amina["id"], title="Safari ya Maasai Mara", description="Simba na ndovu",
                               hashtags=["safari", "kenya"], likes_count=50),
        "matatu": insert_video(sql, brian["id"], title="Matatu culture Nairobi", description="Nganya art",
                               hashtags=["nairobi", "matatu"], likes_count=5),
        "mara_desc": insert_video(sql, brian["id"], title="Morning run", description="Through the Mara at dawn",
                                  hashtags=["fitness"]),
        "pending": insert_video(sql, amina["id"], title="Safari pending", status="pending"),
        "deleted": insert_video(sql, amina["id"], title="Safari deleted", deleted_at="2026-11-01"),
    }
    return {"amina": amina, "brian": brian, "videos": v}


def test_normal_forms():
    assert normal_forms.video_query("  #Kenya   SAFARI! ") == "kenya safari"
    assert normal_forms.tsquery("kenya safari") == "kenya & safari:*"
    assert normal_forms.tsquery("x") == "x:*"
    assert normal_forms.name_query("@Wanjiku_K ") == "wanjiku_k"
    assert normal_forms.hashtag_prefix("#Ken") == "ken"
    assert normal_forms.like_prefix("a_b%") == "a\\_b\\%%"
    # Operators cannot reach to_tsquery: only word characters survive.
    assert normal_forms.video_query("a & !b | c:*") == "a b c"


def test_videos_match_title_tags_and_description_listed_only(client, library):
    ids = {k: str(v["id"]) for k, v in library["videos"].items()}
    answer, body = _get(client, "/v1/search/videos?q=mara")
    assert answer.status_code == 200
    found = [i["id"] for i in body["items"]]
    # A title match outranks a description match; pending and deleted videos never appear.
    assert found == [ids["safari"], ids["mara_desc"]]
    assert body["next_cursor"] is None
    assert set(body["items"][0]) >= {"id", "title", "username", "hashtags", "likes_count", "status"}
    _, body = _get(client, "/v1/search/videos?q=nairobi")
    assert [i["id"] for i in body["items"]] == [ids["matatu"]]
    # The last word is a prefix (as you type); every word is required.
    _, body = _get(client, "/v1/search/videos?q=maasai%20ma")
    assert [i["id"] for i in body["items"]] == [ids["safari"]]
    _, body = _get(client, "/v1/search/videos?q=nothing%20here")
    assert body["items"] == []


def test_popularity_and_freshness_blend(sql, make_user, client):
    user = make_user()
    old_popular = insert_video(sql, user["id"], title="Ugali recipe", minutes=0, likes_count=1000)
    new_quiet = insert_video(sql, user["id"], title="Ugali recipe", minutes=60 * 24 * 7 * 20, likes_count=0)
    same_day_quiet = insert_video(sql, user["id"], title="Ugali recipe", minutes=1, likes_count=0)
    _, body = _get(client, "/v1/search/videos?q=ugali")
    order = [i["id"] for i in body["items"]]
    # 20 weeks newer (x2 per week) beats 1000 likes; 1000 likes beat the same age with none.
    assert order == [str(new_quiet["id"]), str(old_popular["id"]), str(same_day_quiet["id"])]


def test_cursor_pages_walk_all_matches_once(sql, make_user, client):
    user = make_user()
    made = {str(insert_video(sql, user["id"], title=f"Chapati {i}", minutes=i)["id"]) for i in range(7)}
    seen, cursor = [], None
    while True:
        path = "/v1/search/videos?q=chapati&limit=3" + (f"&cursor={cursor}" if cursor else "")
        answer, body = _get(client, path)
        assert answer.status_code == 200
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and set(seen) == made
    # A cursor belongs to its query: another query's cursor, or an edited one, is a 400.
    first = _get(client, "/v1/search/videos?q=chapati&limit=3")[1]["next_cursor"]
    assert _get(client, f"/v1/search/videos?q=ugali&cursor={first}")[0].status_code == 400
    assert _get(client, f"/v1/search/videos?q=chapati&cursor={first[:-2]}AA")[0].status_code == 400


def test_users_tolerate_typos_and_prefixes(client, library):
    amina, brian = str(library["amina"]["id"]), str(library["brian"]["id"])
    for q in ("amina_wanjku", "wanjiku", "amin", "brian%20otieno", "otieno"):
        answer, body = _get(client, f"/v1/search/users?q={q}")
        assert answer.status_code == 200, q
        assert body["items"], q
        assert body["items"][0]["id"] == (brian if "otieno" in q else amina), q
    assert set(body["items"][0]) == {"id", "username", "full_name", "avatar_url", "bio",
                                     "followers_count", "following_count"}
    # `_` in a prefix is literal, not LIKE's any-character.
    assert _get(client, "/v1/search/users?q=amina_w")[1]["items"][0]["id"] == amina
    assert _get(client, "/v1/search/users?q=zzzzqqq")[1]["items"] == []


def test_suspended_users_are_not_found(sql, client, library):
    sql("UPDATE users SET suspended_at = now() WHERE id = %s", (library["amina"]["id"],))
    assert _get(client, "/v1/search/users?q=amina")[1]["items"] == []
    assert [i["username"] for i in _get(client, "/v1/search/videos?q=mara")[1]["items"]] == ["brian_otieno"]


def test_hashtag_completion(client, library, sql):
    service.refresh_hashtags()
    _, body = _get(client, "/v1/search/hashtags?q=n")
    assert body == {"items": [{"hashtag": "nairobi", "videos_count": 1}], "next_cursor": None}
    insert_video(sql, library["brian"]["id"], title="More", hashtags=["kenya", "Kenyan", "kericho"])
    service.refresh_hashtags()
    _, first = _get(client, "/v1/search/hashtags?q=ke&limit=2")
    assert first["items"] == [{"hashtag": "kenya", "videos_count": 2},
                              {"hashtag": "kenyan", "videos_count": 1}]
    _, second = _get(client, f"/v1/search/hashtags?q=ke&limit=2&cursor={first['next_cursor']}")
    assert second == {"items": [{"hashtag": "kericho", "videos_count": 1}], "next_cursor": None}


@pytest.mark.parametrize("path, normal", [
    ("/v1/search/videos?q=%20Mara%21", "mara"),
    ("/v1/search/videos?q=%23Kenya%20%20Safari", "kenya safari"),
    ("/v1/search/users?q=%40Amina", "amina"),
    ("/v1/search/hashtags?q=%23KE", "ke"),
])
def test_other_spellings_redirect_to_the_normal_form(client, library, path, normal):
    answer = client.http.get(path + "&limit=5")
    assert answer.status_code == 308
    location = answer.headers["Location"]
    assert location.startswith("?")
    assert parse_qs(urlparse(location).query) == {"q": [normal], "limit": ["5"]}
    assert answer.headers["Cache-Control"].startswith("public, max-age=86400")
    # The normal form answers 200 itself (no loop).
    base = path.split("?")[0]
    assert client.http.get(base + location).status_code == 200


@pytest.mark.parametrize("q", ["", "%20%20", "%21%21%21", "x" * 300])
def test_bad_queries_are_400(client, q):
    for kind in ("videos", "users", "hashtags"):
        answer, body = _get(client, f"/v1/search/{kind}?q={q}")
        assert answer.status_code == 400 and body["detail"], (kind, q)
    assert _get(client, "/v1/search/videos")[0].status_code == 400


def test_answers_are_public_and_the_same_for_everybody(client, library, make_user):
    """A shared cache may hold a search answer: it depends on nothing but the URL, not on a
    token (no viewer state in it, and a token changes nothing)."""
    stranger, _ = _get(client, "/v1/search/videos?q=mara")
    signed, _ = _get(client, "/v1/search/videos?q=mara", auth_headers(make_user()["id"]))
    assert stranger.headers["Cache-Control"].startswith("public, max-age=30, s-maxage=60")
    assert stranger.body == signed.body and stranger.headers["ETag"] == signed.headers["ETag"]
    etag = stranger.headers["ETag"]
    assert client.http.get("/v1/search/videos?q=mara", headers={"If-None-Match": etag}).status_code == 304
    text = stranger.body.decode()
    assert "email" not in text and "password" not in text and "role" not in text


def test_the_document_declares_the_redirect_and_the_cache_key():
    """The 308 is part of each search route's contract (schemathesis checks answers against
    it), and the declared query names are what the edge keys on."""
    from chalicelib.chalice_app import declare
    from chalicelib.openapi.document import document

    for kind in ("videos", "users", "hashtags"):
        operation = document()["paths"][f"/v1/search/{kind}"]["get"]
        assert operation["responses"]["308"]["headers"]["Location"]["required"] is True
        assert {p["name"]: p["required"] for p in operation["parameters"]} == \
            {"q": True, "cursor": False, "limit": False}
    rows = {r["path"]: r["query"] for r in declare.edge_table() if r["path"].startswith("/v1/search/")}
    assert rows == {f"/v1/search/{k}": ["cursor", "limit", "q"] for k in ("videos", "users", "hashtags")}
