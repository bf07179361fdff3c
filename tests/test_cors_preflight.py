"""CORS preflight for the frontend's origin, answered the way API Gateway answers it (from the
route's CORSConfig, without invoking the app), both by `chalice local` and by the gateway the
test client wraps.

`chalice.test.Client.http` itself cannot carry a preflight answer (its body is None, and
HTTPResponse.create_from_dict calls .encode on it: aws/chalice#2083), so the in-process check
asks that client's LocalGateway directly.
"""
from __future__ import annotations

import http.client

import pytest

from tests.support.local_server import chalice_local

ORIGIN = "http://localhost:5173"
PATHS = [
    "/", "/videos/feed", "/videos/0b9a3f0e-4f5c-4a43-9a8e-2f1f1b0d3c11",
    "/v1/feed", "/v1/videos/0b9a3f0e-4f5c-4a43-9a8e-2f1f1b0d3c11/comments", "/v1/me/feed",
    "/social/feed/following", "/v1/hashtags/kenya/videos",
]
ASK = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET",
       "Access-Control-Request-Headers": "authorization,if-none-match"}


def _check(status, headers):
    headers = {k.lower(): v for k, v in headers.items()}
    assert status == 200
    assert headers["access-control-allow-origin"] == ORIGIN
    assert set(headers["access-control-allow-methods"].split(",")) >= {"GET", "OPTIONS"}
    allowed = {h.lower() for h in headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "if-none-match", "content-type"} <= allowed
    assert int(headers["access-control-max-age"]) >= 600
    exposed = {h.strip() for h in headers["access-control-expose-headers"].split(",")}
    assert {"ETag", "Retry-After"} <= exposed


@pytest.mark.parametrize("path", PATHS)
def test_preflight_through_the_test_clients_gateway(client, path):
    answer = client.http._local_gateway.handle_request("OPTIONS", path, dict(ASK), b"")
    _check(answer["statusCode"], answer["headers"])


def test_unknown_paths_get_no_preflight(client):
    from chalice.local import LocalGatewayException

    with pytest.raises(LocalGatewayException):
        client.http._local_gateway.handle_request("OPTIONS", "/nowhere/at/all", dict(ASK), b"")


@pytest.mark.slow
def test_preflight_and_cors_through_chalice_local(database_url):
    with chalice_local({"DATABASE_URL": database_url}) as port:
        for path in PATHS:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("OPTIONS", path, headers=ASK)
            response = conn.getresponse()
            response.read()
            _check(response.status, dict(response.getheaders()))
            conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/v1/feed", headers={"Origin": ORIGIN})
        response = conn.getresponse()
        response.read()
        assert response.status == 200
        assert response.getheader("Access-Control-Allow-Origin") == ORIGIN
        conn.close()


def test_an_actual_answer_carries_the_cors_headers_a_browser_reads_on_it(client):
    """Origin and exposed headers on every answer; the preflight-only ones (Allow-Headers,
    Max-Age) stay on the preflight, which the test above checks, and off the hot path."""
    answer = client.http.get("/", headers={"Origin": ORIGIN})
    headers = {k.lower(): v for k, v in answer.headers.items()}
    assert headers["access-control-allow-origin"] == ORIGIN
    assert {"ETag", "Retry-After"} <= {h.strip() for h in headers["access-control-expose-headers"].split(",")}
    assert "access-control-allow-headers" not in headers
    assert "access-control-max-age" not in headers
    preflight = client.http._local_gateway.handle_request("OPTIONS", "/", dict(ASK), b"")
    assert "Access-Control-Max-Age" in preflight["headers"]
