"""The route declarations (chalice_app/declare.py): what they derive is what the routes do.

Inputs decoded into models with one 400 format naming the field; Cache-Control from the
declared class; a declaration that contradicts itself fails at import; the decoded-input
cache stays bounded whatever an attacker's loop sends.
"""
from __future__ import annotations

import json

import pytest
from chalice import Blueprint

from chalicelib.chalice_app import declare, inputs
from chalicelib.chalice_app import cache_policies as cache
from chalicelib.schema.common import CursorPage, IdPath
from chalicelib.schema.people import User
from tests.conftest import auth_headers
from tests.support.engagement import make_video

JSON = {"Content-Type": "application/json"}


def _detail(response) -> str:
    return json.loads(response.body)["detail"]


@pytest.mark.parametrize("query,detail", [
    ("limit=x", "'limit' must be an integer"),
    ("limit=0", "'limit' must be at least 1"),
    ("limit=-3", "'limit' must be at least 1"),
])
def test_a_bad_query_value_is_a_400_naming_the_field(client, query, detail):
    response = client.http.get(f"/v1/feed?{query}")
    assert response.status_code == 400
    assert _detail(response) == detail
    assert response.headers["Cache-Control"] == "no-store"


def test_a_deep_offset_is_refused_with_the_way_to_go_instead(client):
    response = client.http.get("/videos/feed?offset=1001")
    assert response.status_code == 400
    assert _detail(response) == "'offset' must be at most 1000; page with /v1/feed's cursor"


def test_limits_over_the_maximum_are_clamped_not_refused(client, sql, make_user):
    owner = make_user()
    for _ in range(3):
        make_video(sql, owner)
    response = client.http.get("/v1/feed?limit=5000")
    assert response.status_code == 200
    assert len(json.loads(response.body)["items"]) == 3


def test_a_bad_path_id_is_a_400_before_the_token_is_read(client):
    response = client.http.put("/v1/videos/not-a-uuid/like", headers={"Authorization": "Bearer junk"})
    assert response.status_code == 400
    assert _detail(response) == "'id' must be a UUID"


def test_an_unknown_body_key_on_a_closed_body_is_a_400_and_writes_nothing(client, sql, make_user):
    user = make_user()
    response = client.http.post("/v1/uploads", headers={**JSON, **auth_headers(user["id"])},
                                body=json.dumps({"title": "ok", "public_id": "mine"}))
    assert response.status_code == 400
    assert _detail(response) == "Unknown field(s): public_id; the server chooses upload parameters"
    assert sql("SELECT count(*) AS n FROM videos")[0]["n"] == 0


@pytest.mark.parametrize("text", ["gift\u202egnp.exe", "a\u2066b", "bell\x07", "esc\x1b[31m"])
def test_bidi_overrides_and_controls_are_refused_in_comments(client, sql, make_user, text):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    response = client.http.post(f"/v1/videos/{video['id']}/comments",
                                headers={**JSON, **auth_headers(fan["id"])},
                                body=json.dumps({"content": text}))
    assert response.status_code == 400
    assert "'content' may not contain" in _detail(response)
    assert sql("SELECT count(*) AS n FROM video_comments")[0]["n"] == 0


def test_newlines_and_plain_unicode_stay_allowed_in_comments(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    response = client.http.post(f"/v1/videos/{video['id']}/comments",
                                headers={**JSON, **auth_headers(fan["id"])},
                                body=json.dumps({"content": "Hongera!\nنعم 🇰🇪"}))
    assert response.status_code == 201
    assert json.loads(response.body)["content"] == "Hongera!\nنعم 🇰🇪"


def test_cache_control_comes_from_the_declared_class(client, sql, make_user):
    user = make_user()
    response = client.http.get(f"/v1/users/{user['id']}")
    assert response.headers["Cache-Control"] == cache.PROFILE.header
    mine = client.http.get("/v1/me/feed", headers=auth_headers(user["id"]))
    assert mine.headers["Cache-Control"] == "private, no-store"


def test_a_later_page_gets_the_later_page_class(client, sql, make_user):
    owner = make_user()
    for _ in range(3):
        make_video(sql, owner)
    first = client.http.get("/v1/feed?limit=1")
    cursor = json.loads(first.body)["next_cursor"]
    later = client.http.get(f"/v1/feed?limit=1&cursor={cursor}")
    assert first.headers["Cache-Control"] == cache.FEED_FIRST_PAGE.header
    assert later.headers["Cache-Control"] == cache.FEED_LATER_PAGE.header


def test_a_public_cache_on_a_signed_in_route_fails_at_declaration():
    bp = Blueprint("bad_declarations")
    with pytest.raises(declare.DeclarationError, match="cannot be public"):
        declare.endpoint(bp, "GET", "/x/{id}", summary="x", tag="x", params=IdPath, answer=User,
                         auth=declare.SIGNED_IN, cache=cache.PROFILE)(lambda call: None)


def test_a_path_model_that_misses_a_path_parameter_fails_at_declaration():
    bp = Blueprint("bad_declarations")
    with pytest.raises(declare.DeclarationError, match="path model"):
        declare.endpoint(bp, "GET", "/x/{user_id}", summary="x", tag="x", params=IdPath,
                         answer=User)(lambda call: None)


def test_the_decoded_input_cache_stays_bounded_under_random_queries():
    for n in range(inputs.DECODED_MAX + 50):
        inputs.query(CursorPage, {"limit": "5", "cursor": f"junk-{n}"})
    assert len(inputs._DECODED) <= inputs.DECODED_MAX


def test_one_decoded_query_is_shared_and_clamped():
    first = inputs.query(CursorPage, {"limit": "80"})
    assert first.limit == 50
    assert inputs.query(CursorPage, {"limit": "80"}) is first


def test_a_taken_handler_name_fails_at_declaration():
    """Handler names are the OpenAPI operationIds, unique by the spec."""
    bp = Blueprint("bad_declarations")

    def v1_feed(call):  # the name of the feed's handler
        return None

    with pytest.raises(declare.DeclarationError, match="taken"):
        declare.endpoint(bp, "GET", "/x", summary="x", tag="x", answer=User)(v1_feed)


def test_every_route_the_app_serves_is_declared(chalice_app):
    served = {(method, path) for path, entries in chalice_app.routes.items()
              for method in entries if method != "OPTIONS"}
    declared = {(r.method, r.path) for r in declare.routes()}
    assert served - declared == set(), "routes written around the declarations"
