"""The retired POST /videos/upload (issue #19): 410 with its message whatever an old client
posts, multipart through API Gateway's binary handling, and a route table `chalice deploy`
accepts (it refuses a route mixing binary and text content types)."""
from __future__ import annotations

import base64
import json

import pytest

from tests.conftest import auth_headers
from tests.support.lambda_events import LambdaContext, api_gateway_event

MULTIPART = "multipart/form-data"
BOUNDARY = "----trendkeOldClient"
# What the old frontend posted: a title field and a file whose bytes are not UTF-8.
VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42\xff\xfe\x80\x81" * 64
BODY = (
    f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMatatu\r\n"
    f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\n"
    "Content-Type: video/mp4\r\n\r\n"
).encode() + VIDEO_BYTES + f"\r\n--{BOUNDARY}--\r\n".encode()


def _detail(body) -> str:
    return json.loads(body)["detail"]


def test_a_multipart_file_upload_through_the_test_client_is_gone(client, make_user, sql):
    response = client.http.post(
        "/videos/upload",
        headers={"Content-Type": f"{MULTIPART}; boundary={BOUNDARY}", **auth_headers(make_user()["id"])},
        body=BODY,
    )
    assert response.status_code == 410
    assert "POST /v1/uploads" in _detail(response.body)
    assert sql("SELECT id FROM videos") == []


@pytest.mark.parametrize("content_type, body", [
    ("application/json", b'{"title": "hi"}'),
    ("application/x-www-form-urlencoded", b"title=hi"),
    ("application/octet-stream", VIDEO_BYTES),
    (None, None),
])
def test_any_other_body_is_gone_too_not_415(client, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.http.post("/videos/upload", headers=headers, body=body)
    assert response.status_code == 410, response.body
    assert "POST /v1/uploads" in _detail(response.body)


def test_a_base64_multipart_event_as_api_gateway_sends_it_answers_410(chalice_app):
    """With multipart/form-data a binary media type, API Gateway base64-encodes the body and
    says so; the answer is plain JSON (not base64), so it reaches the client as text."""
    event = api_gateway_event("POST", "/videos/upload",
                              headers={"Content-Type": f"{MULTIPART}; boundary={BOUNDARY}"})
    event["body"] = base64.b64encode(BODY).decode("ascii")
    event["isBase64Encoded"] = True
    answer = chalice_app(event, LambdaContext())
    assert answer["statusCode"] == 410
    assert not answer.get("isBase64Encoded")
    assert answer["headers"]["Content-Type"] == "application/json"
    assert "POST /v1/uploads" in _detail(answer["body"])


def test_multipart_is_a_binary_type_in_the_api_definition_and_json_is_not(chalice_app):
    from chalice.deploy.swagger import TemplatedSwaggerGenerator

    swagger = TemplatedSwaggerGenerator().generate_swagger(chalice_app)
    binary = swagger["x-amazon-apigateway-binary-media-types"]
    assert MULTIPART in binary and MULTIPART in chalice_app.api.binary_types
    # JSON and form posts stay text for API Gateway, so every JSON route reads them as before.
    assert not {"application/json", "application/x-www-form-urlencoded", "*/*"} & set(binary)
    assert swagger["paths"]["/videos/upload"]["post"]["consumes"] == ["*/*"]


def test_no_route_declares_a_binary_type_so_json_bodies_stay_text(chalice_app):
    """binary_types are app-wide: a JSON route declaring multipart would get base64 bodies.
    The retired route takes */* (every type, binary or not) and reads no body."""
    binary = set(chalice_app.api.binary_types)
    takers = {(path, method) for path, methods in chalice_app.routes.items()
              for method, entry in methods.items() if binary & set(entry.content_types)}
    assert takers == set()
    json_routes = [entry for methods in chalice_app.routes.values() for entry in methods.values()
                   if entry.content_types == ["application/json"]]
    assert len(json_routes) > 10  # the rest of the API: JSON only, untouched


def test_the_route_table_passes_chalice_deploys_content_type_check(chalice_app):
    from chalice.deploy.validate import validate_route_content_types

    validate_route_content_types(chalice_app.routes, chalice_app.api.binary_types)  # raises if not
    assert chalice_app.routes["/videos/upload"]["POST"].content_types == ["*/*"]
