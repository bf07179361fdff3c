"""Fixtures of the uploads tests: the dev Cloudinary account signing with SHA-256, this API's
public address, and a Cloudinary stand-in on loopback that the SDK talks to."""
from __future__ import annotations

import json
from typing import Dict, Iterator

import pytest

from tests.conftest import auth_headers
from tests.support.cloudinary_kit import CloudinaryStandIn

PUBLIC_BASE_URL = "https://api.trendke.test"


@pytest.fixture
def cloudinary_standin() -> Iterator[CloudinaryStandIn]:
    stand_in = CloudinaryStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def uploads_env(settings_env, cloudinary_standin):
    """SHA-256 signing (as configured on the account), the SDK pointed at the stand-in."""
    return settings_env(
        CLOUDINARY_SIGNATURE_ALGORITHM="sha256",
        CLOUDINARY_UPLOAD_PREFIX=cloudinary_standin.prefix,
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
    )


@pytest.fixture
def start_upload(client, uploads_env):
    """POST /v1/uploads as `user`; answers (status, body, headers)."""

    def post(user, body: Dict, headers: Dict = None):
        response = client.http.post(
            "/v1/uploads",
            headers={"Content-Type": "application/json", **auth_headers(user["id"]), **(headers or {})},
            body=json.dumps(body),
        )
        return response.status_code, json.loads(response.body or "null"), response.headers

    return post


@pytest.fixture
def post_notification(client):
    def post(body: str, headers: Dict):
        response = client.http.post("/v1/webhooks/cloudinary", headers=headers, body=body)
        return response.status_code, json.loads(response.body or "null")

    return post
