"""One video: public when ready; its owner's own pending or failed video shown only to the
owner, privately; deleted ones to nobody."""
from __future__ import annotations

import json

import pytest

from tests.conftest import auth_headers
from tests.support.feed_rows import BASE_TIME, insert_video

ROUTES = ["/videos/{}", "/v1/videos/{}"]


@pytest.mark.parametrize("route", ROUTES)
def test_ready_video_is_the_same_public_answer_with_or_without_a_token(client, make_user, sql, route):
    """Issue 15 item 4: a token does not make a public video private (signed-in readers share
    the cached copy); the answer says it varies by Authorization, as the edge's key does."""
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
            assert answer.headers["Vary"] == "Accept-Encoding, Authorization"
    else:
        assert signed_in.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("route", ROUTES)
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

    for headers in ({}, auth_headers(stranger["id"])):
        response = client.http.get(path, headers=headers)
        assert response.status_code == 404
        assert json.loads(response.body) == {"detail": "Video not found"}
        assert "public" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("route", ROUTES)
def test_deleted_video_is_404_even_to_its_owner(client, make_user, sql, route):
    owner = make_user()
    video = insert_video(sql, owner["id"], deleted_at=BASE_TIME)
    assert client.http.get(route.format(video["id"])).status_code == 404
    assert client.http.get(route.format(video["id"]), headers=auth_headers(owner["id"])).status_code == 404


def test_a_bad_token_on_a_single_video_is_401(client, make_user, sql):
    video = insert_video(sql, make_user()["id"])
    response = client.http.get(f"/v1/videos/{video['id']}", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
