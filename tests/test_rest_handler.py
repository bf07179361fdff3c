"""Our REST handler (chalice_app/rest_handler.py) answers every request as Chalice's own does:
the same app's routes run through both, side by side, over the cases Chalice distinguishes
(JSON, 405, 415, binary answers with and without a matching Accept, header spellings, a
dict body, an unknown request). The one intended difference: an actual answer carries only
the CORS headers a browser reads on it."""
from __future__ import annotations

import base64
import uuid

import pytest
from chalice import Chalice, CORSConfig, Response

from chalicelib.chalice_app import rest_handler
from chalicelib.chalice_app.threadsafe import ThreadLocalRequestChalice
from tests.support.lambda_events import LambdaContext, api_gateway_event

PREFLIGHT_ONLY = {"Access-Control-Allow-Headers", "Access-Control-Max-Age"}


def _build(app_class):
    app = app_class(app_name="side-by-side")
    app.api.binary_types.append("multipart/form-data")
    cors = CORSConfig(allow_origin="https://trendke.example", allow_headers=["Idempotency-Key"],
                      expose_headers=["ETag"], max_age=600)

    @app.route("/json", methods=["GET", "POST"], cors=cors)
    def json_answer():
        return Response(body='{"a":1}', headers={"Content-Type": "application/json", "ETag": '"x"'})

    @app.route("/dict")
    def dict_answer():
        return {"items": [1, 2], "next_cursor": None}

    @app.route("/lower")
    def lower_spelling():
        return Response(body="plain", headers={"content-type": "text/plain"})

    @app.route("/png")
    def binary_answer():
        return Response(body=b"\x89PNG\r\n", headers={"Content-Type": "image/png"})

    @app.route("/upload", methods=["POST"], content_types=["multipart/form-data"])
    def upload():
        return {"ok": True}

    @app.route("/boom")
    def boom():
        raise RuntimeError("a bug")

    return app


CASES = [
    ("GET", "/json", {}),
    ("POST", "/json", {"Content-Type": "application/json"}),
    ("POST", "/json", {"Content-Type": "text/csv"}),  # 415
    ("DELETE", "/json", {}),  # 405
    ("GET", "/dict", {"Accept": "application/json"}),
    ("GET", "/lower", {}),
    ("GET", "/png", {}),  # binary answer, no Accept: 400
    ("GET", "/png", {"Accept": "text/html, application/json;q=0.9"}),  # still 400
    ("GET", "/png", {"Accept": "image/png"}),  # base64 body
    ("GET", "/png", {"Accept": "*/*"}),
    ("POST", "/upload", {"Content-Type": "multipart/form-data; boundary=x"}),
    ("POST", "/upload", {"Content-Type": "application/json"}),  # 415
    ("GET", "/boom", {}),  # 500
]


def _comparable(answer: dict) -> dict:
    headers = {k: v for k, v in answer["headers"].items() if k not in PREFLIGHT_ONLY}
    return {**answer, "headers": headers}


@pytest.mark.parametrize("method,path,headers", CASES)
def test_every_answer_is_chalices(method, path, headers):
    ours, chalices = _build(ThreadLocalRequestChalice), _build(Chalice)
    event = api_gateway_event(method, path, headers=headers, body="{}" if method == "POST" else None)
    mine, theirs = ours(event, LambdaContext()), chalices(event, LambdaContext())
    assert _comparable(mine) == _comparable(theirs)
    assert mine["statusCode"] == theirs["statusCode"]


def test_the_binary_answer_is_base64_only_for_a_matching_accept():
    app = _build(ThreadLocalRequestChalice)
    answer = app(api_gateway_event("GET", "/png", headers={"Accept": "image/png"}), LambdaContext())
    assert answer["statusCode"] == 200 and answer["isBase64Encoded"] is True
    assert base64.b64decode(answer["body"]) == b"\x89PNG\r\n"
    refused = app(api_gateway_event("GET", "/png"), LambdaContext())
    assert refused["statusCode"] == 400 and "Accept header" in refused["body"]


def test_an_event_without_a_resource_path_is_chalices_500():
    ours, chalices = _build(ThreadLocalRequestChalice), _build(Chalice)
    event = api_gateway_event("GET", "/json")
    del event["requestContext"]["resourcePath"]
    assert ours(event, LambdaContext()) == chalices(event, LambdaContext())


def test_an_actual_answer_drops_only_the_preflight_cors_headers():
    ours, chalices = _build(ThreadLocalRequestChalice), _build(Chalice)
    event = api_gateway_event("GET", "/json")
    mine, theirs = ours(event, LambdaContext())["headers"], chalices(event, LambdaContext())["headers"]
    assert PREFLIGHT_ONLY <= set(theirs) and not PREFLIGHT_ONLY & set(mine)
    assert mine["Access-Control-Allow-Origin"] == "https://trendke.example"
    assert mine["Access-Control-Expose-Headers"] == "ETag"


def test_a_loop_of_random_accept_headers_cannot_grow_the_memo():
    app = _build(ThreadLocalRequestChalice)
    for _ in range(rest_handler.MATCHES_MAX * 3):
        answer = app(api_gateway_event("GET", "/dict", headers={"Accept": f"x/{uuid.uuid4()}"}), LambdaContext())
        assert answer["statusCode"] == 200
    assert rest_handler._matches.cache_info().currsize <= rest_handler.MATCHES_MAX
