"""One video: public when ready, the same answer for every reader (issue 15 item 4: the edge
strips the token from `/v1/videos/{id}` reads, so the route never reads it); its owner's own
pending or failed video shown only to the owner, privately (`/v1/me/videos/{id}`, and the old
`/videos/{id}`); deleted ones to nobody."""
from __future__ import annotations

import json

import pytest

from tests.conftest import auth_headers
from tests.support.feed_rows import BASE_TIME, insert_video

ROUTES = ["/videos/{}", "/v1/videos/{}"]
OWNER_ROUTES = ["/videos/{}", "/v1/me/videos/{}"]


@pytest.mark.parametrize("route", ROUTES)
def test_ready_video_is_the_same_public_answer_with_or_without_a_token(client, make_user, sql, route):
    """Issue 15 item 4: a token does not make a public video private, nor another cache entry:
    /v1/videos/{id} does not vary by Authorization (signed-in readers share the edge's copy)."""
    author, viewer = make_user(), make_user()
    video = insert_video(sql, author["id"])
    anonymous = client.http.get(route.format(video["id"]))
    assert anonymous.status_code == 200
    if route.startswith("/v1/"):
        assert anonymous.headers["Cache-Control"].startswith("public, ")
    else:  # the old route counts a view per open: it must reach the API every time
        assert anonymous.headers["Cache-Control"] == "private, no-store"
    assert json.loads(anonymous.body)["status"] == "ready"
    signed_in = client.http.get(route.format(video["id"]), headers=auth_headers(viewer["id"]))
    assert signed_in.status_code == 200
    assert json.loads(signed_in.body) == json.loads(anonymous.body)
    if route.startswith("/v1/"):
        assert signed_in.headers["Cache-Control"] == anonymous.headers["Cache-Control"]
        assert signed_in.headers["ETag"] == anonymous.headers["ETag"]
        for answer in (anonymous, signed_in):
            assert answer.headers["Vary"] == "Accept-Encoding"
    else:
        assert signed_in.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("route", OWNER_ROUTES)
@pytest.mark.parametrize("status", ["pending", "failed"])
def test_owner_sees_an_unready_video_privately_and_nobody_else_does(client, make_user, sql, route, status):
    owner, stranger = make_user(), make_user()
    video = insert_video(sql, owner["id"], status=status, cloudinary_public_id=f"trendke/{status}")
    path = route.format(video["id"])

    mine = client.http.get(path, headers=auth_headers(owner["id"]))
    assert mine.status_code == 200
    assert json.loads(mine.body)["status"] == status
    assert mine.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in mine.headers

    if route.startswith("/v1/me/"):
        assert client.http.get(path).status_code == 401
    for headers in ({}, auth_headers(stranger["id"])) if route == "/videos/{}" else (auth_headers(stranger["id"]),):
        response = client.http.get(path, headers=headers)
        assert response.status_code == 404
        assert json.loads(response.body) == {"detail": "Video not found"}
        assert "public" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("status", ["pending", "failed"])
def test_the_public_route_hides_an_unready_video_even_from_its_owner(client, make_user, sql, status):
    """What the shared cache may hold: /v1/videos/{id} answers the same to every token, so it
    can never put the owner's private view in a shared entry."""
    owner = make_user()
    video = insert_video(sql, owner["id"], status=status)
    for headers in ({}, auth_headers(owner["id"])):
        response = client.http.get(f"/v1/videos/{video['id']}", headers=headers)
        assert response.status_code == 404
        assert "public" not in response.headers["Cache-Control"]


def test_my_video_route_shows_only_my_own_ready_video(client, make_user, sql):
    owner, stranger = make_user(), make_user()
    video = insert_video(sql, owner["id"])
    mine = client.http.get(f"/v1/me/videos/{video['id']}", headers=auth_headers(owner["id"]))
    assert mine.status_code == 200 and json.loads(mine.body)["status"] == "ready"
    assert mine.headers["Cache-Control"] == "private, no-store"
    # Someone else's video, even a public one, is not "mine": a stranger learns nothing here.
    theirs = client.http.get(f"/v1/me/videos/{video['id']}", headers=auth_headers(stranger["id"]))
    assert theirs.status_code == 404


@pytest.mark.parametrize("route", ROUTES + ["/v1/me/videos/{}"])
def test_deleted_video_is_404_even_to_its_owner(client, make_user, sql, route):
    owner = make_user()
    video = insert_video(sql, owner["id"], deleted_at=BASE_TIME)
    assert client.http.get(route.format(video["id"])).status_code in (401, 404)
    assert client.http.get(route.format(video["id"]), headers=auth_headers(owner["id"])).status_code == 404


def test_a_bad_token_is_not_read_on_the_public_route_and_is_401_on_mine(client, make_user, sql):
    """The edge strips the token from /v1/videos/{id}; the API does not read one either, so a
    bad one cannot make a different answer (or an error) that a cache could keep."""
    video = insert_video(sql, make_user()["id"])
    bad = {"Authorization": "Bearer nope"}
    public = client.http.get(f"/v1/videos/{video['id']}", headers=bad)
    assert public.status_code == 200
    assert public.body == client.http.get(f"/v1/videos/{video['id']}").body
    assert client.http.get(f"/v1/me/videos/{video['id']}", headers=bad).status_code == 401
