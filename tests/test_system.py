"""GET / and GET /health, with the database up and down."""
from __future__ import annotations

import json
import socket
import time

from chalicelib import db


def test_welcome_names_the_api_and_is_cacheable(client):
    response = client.http.get("/")
    assert response.status_code == 200
    body = json.loads(response.body)
    assert body["message"] == "Welcome to TrendKe API"
    assert body["version"]
    assert response.headers["Cache-Control"].startswith("public, ")
    assert response.headers["ETag"].startswith('"')


def test_health_reports_connected_database(client):
    response = client.http.get("/health")
    body = json.loads(response.body)
    assert response.status_code == 200
    assert body["status"] == "healthy"
    assert body["service"] == "trendke-api"
    assert body["database"] == "connected"
    assert response.headers["Cache-Control"] == "private, no-store"


def _health_with(client, settings_env, url):
    settings_env(DATABASE_URL=url)
    db.close()
    started = time.perf_counter()
    response = client.http.get("/health")
    return response, time.perf_counter() - started


def test_health_is_degraded_and_fast_when_postgres_refuses(client, settings_env):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    response, elapsed = _health_with(
        client, settings_env, f"postgresql://postgres@127.0.0.1:{port}/trendke"
    )
    body = json.loads(response.body)
    assert body["status"] == "degraded"
    assert body["database"] == "disconnected"
    assert elapsed < 1.0


def test_health_is_degraded_within_a_second_when_postgres_hangs(client, settings_env):
    # A listener that never answers: the TCP handshake succeeds, the Postgres one never does,
    # so libpq would wait for its (2 s minimum) connect timeout.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        response, elapsed = _health_with(
            client, settings_env, f"postgresql://postgres@127.0.0.1:{port}/trendke"
        )
    body = json.loads(response.body)
    assert body == {**body, "status": "degraded", "database": "disconnected"}
    assert elapsed < 1.0, f"/health took {elapsed:.2f}s"


def test_answers_carry_the_frontends_cors_origin(client):
    response = client.http.get("/")
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
