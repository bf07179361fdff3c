"""No N+1: every list page is one statement, whatever its length, counted by Postgres itself
(pg_stat_statements), not by the code under test."""
from __future__ import annotations

import json

import pytest

from tests.conftest import auth_headers
from tests.support.feed_rows import follow, insert_comment, insert_video, insert_videos
from tests.support.pg_stats import count_statements


@pytest.fixture
def busy(make_user, sql):
    """Many authors, so a per-row author lookup would show as many statements."""
    me = make_user()
    authors = [make_user() for _ in range(8)]
    for n, author in enumerate(authors):
        insert_videos(sql, author["id"], 6, hashtags=["kenya"])
        follow(sql, me["id"], author["id"], minutes=n)
        follow(sql, author["id"], me["id"], minutes=n)
    video = insert_video(sql, authors[0]["id"], minutes=10_000)
    for n, author in enumerate(authors):
        insert_comment(sql, video["id"], author["id"], minutes=n)
    return {"me": me, "author": authors[0], "video": video}


def _paths(b):
    v, a = b["video"]["id"], b["author"]["id"]
    return [
        "/videos/feed?limit=40", "/videos/feed?limit=20&offset=20",
        f"/videos/{v}/comments", f"/social/followers/{a}", f"/social/following/{a}",
        "/v1/feed?limit=40", f"/v1/videos/{v}", f"/v1/videos/{v}/comments",
        f"/v1/users/{a}", f"/v1/users/{a}/videos", "/v1/hashtags/kenya/videos?limit=40",
        f"/v1/users/{a}/followers", f"/v1/users/{a}/following",
    ]


def _one_statement(client, database_url, path, headers=None):
    with count_statements(database_url) as counted:
        response = client.http.get(path, headers=headers or {})
    assert response.status_code == 200, (path, response.body)
    assert counted.count == 1, (path, counted.queries)
    return json.loads(response.body)


def test_every_anonymous_read_is_one_statement(client, database_url, busy):
    for path in _paths(busy):
        _one_statement(client, database_url, path)


def test_the_old_detail_route_is_one_read_and_one_view_write(client, database_url, busy):
    """Anonymous: the read alone (an anonymous open counts no view, issue 15). Signed in: the
    token version, the read, and the view with its rate-limit hit in one transaction."""
    with count_statements(database_url) as counted:
        response = client.http.get(f"/videos/{busy['video']['id']}")
    assert response.status_code == 200
    assert counted.count == 1, counted.queries
    assert not any("video_views" in q for q in counted.queries)
    headers = auth_headers(busy["me"]["id"])
    client.http.get("/v1/me", headers=headers)
    with count_statements(database_url) as counted:
        response = client.http.get(f"/videos/{busy['video']['id']}", headers=headers)
    assert response.status_code == 200
    assert sum("video_views" in q for q in counted.queries) == 1, counted.queries
    assert sum("rate_limits" in q for q in counted.queries) == 1, counted.queries


def test_later_cursor_pages_are_one_statement_too(client, database_url, busy):
    first = _one_statement(client, database_url, "/v1/feed?limit=5")
    later = _one_statement(client, database_url, f"/v1/feed?limit=5&cursor={first['next_cursor']}")
    assert len(later["items"]) == 5


def test_signed_in_lists_are_one_statement_plus_the_token_version_check(client, database_url, busy):
    """Each verified call reads the user's token version (revocation, issue 11): one
    primary-key read, then the list's own single statement."""
    headers = auth_headers(busy["me"]["id"])
    client.http.get("/v1/me", headers=headers)
    for path in ("/v1/me/feed?limit=40", "/social/feed/following?limit=40",
                 f"/social/is-following/{busy['author']['id']}"):
        with count_statements(database_url) as counted:
            response = client.http.get(path, headers=headers)
        assert response.status_code == 200, (path, response.body)
        assert counted.count == 2, (path, counted.queries)
        assert sum("token_version FROM users WHERE id" in q for q in counted.queries) == 1, counted.queries
        assert json.loads(response.body)


def test_my_profile_reads_the_token_version_with_the_row_in_one_statement(client, database_url, busy):
    headers = auth_headers(busy["me"]["id"])
    client.http.get("/v1/me", headers=headers)
    for path in ("/v1/me", "/auth/me"):
        _one_statement(client, database_url, path, headers)
