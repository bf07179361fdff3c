"""Avatars: server-signed direct image uploads to Cloudinary; the URL is built by the SDK from
a public id whose Cloudinary signature checks out and which is the caller's own."""
from __future__ import annotations

import json

from cloudinary.utils import api_sign_request

from tests.support.accounts import body, signup, snapshot, outbox  # noqa: F401
from tests.support.cloudinary_kit import DEV_API_SECRET


def _call(client, method, token, payload=None):
    return client.http.request(method, "/v1/me/avatar", body="" if payload is None else json.dumps(payload),
                               headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})


def _cloudinary_signature(public_id: str, version: int, secret: str = DEV_API_SECRET) -> str:
    """What Cloudinary's upload answer carries (sha1, signature version 1, per the SDK)."""
    from chalicelib.config import settings

    return api_sign_request({"public_id": public_id, "version": version}, secret,
                            settings().cloudinary_signature_algorithm, signature_version=1)


def test_the_upload_is_signed_with_server_chosen_params(client, outbox):
    token = signup(client)["access_token"]
    user_id = body(client.http.get("/auth/me", headers={"Authorization": "Bearer " + token}))["id"]
    answer = _call(client, "POST", token)
    assert answer.status_code == 200, answer.body
    signed = body(answer)
    assert signed["upload_url"].endswith("/image/upload")
    fields = signed["fields"]
    assert fields["public_id"] == user_id and fields["folder"] == "trendke/avatars"
    assert fields["allowed_formats"] == "jpg,jpeg,png,webp" and fields["signature"]
    assert answer.headers["Cache-Control"] == "private, no-store"


def test_a_verified_upload_sets_the_avatar_url(client, outbox, sql):
    created = signup(client)
    token, user_id = created["access_token"], created["user"]["id"]
    public_id = f"trendke/avatars/{user_id}"
    ok = _call(client, "PUT", token, {"public_id": public_id, "version": 1733000000,
                                      "signature": _cloudinary_signature(public_id, 1733000000)})
    assert ok.status_code == 200, ok.body
    url = body(ok)["avatar_url"]
    assert url.startswith("https://res.cloudinary.com/trendke-dev/image/upload/")
    assert "v1733000000" in url and url.endswith(public_id)
    assert sql("SELECT avatar_url FROM users WHERE id = %s", (user_id,))[0]["avatar_url"] == url


def test_a_forged_or_foreign_upload_changes_nothing(client, outbox, sql, make_user):
    token = signup(client)["access_token"]
    other = make_user()
    foreign = f"trendke/avatars/{other['id']}"
    mine = f"trendke/avatars/{body(client.http.get('/auth/me', headers={'Authorization': 'Bearer ' + token}))['id']}"
    before = snapshot(sql)
    for payload in (
        {"public_id": foreign, "version": 5, "signature": _cloudinary_signature(foreign, 5)},
        {"public_id": mine, "version": 5, "signature": _cloudinary_signature(mine, 6)},
        {"public_id": mine, "version": 5, "signature": _cloudinary_signature(mine, 5, "not-our-secret")},
        {"public_id": mine, "version": "5", "signature": _cloudinary_signature(mine, 5)},
        {"public_id": mine, "version": 5, "signature": "zz"},
        {"public_id": mine, "version": 5},
        {"public_id": mine, "version": 5, "signature": _cloudinary_signature(mine, 5), "url": "https://x"},
    ):
        answer = _call(client, "PUT", token, payload)
        assert answer.status_code == 400 and "detail" in body(answer), payload
    assert snapshot(sql) == before
