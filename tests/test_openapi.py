"""The OpenAPI document describes exactly the app's routes, and is valid OpenAPI 3.1."""
from __future__ import annotations

import json


def _app_routes(chalice_app) -> set:
    return {
        (method, path)
        for path, entries in chalice_app.routes.items()
        for method in entries
        if method != "OPTIONS"  # CORS preflight, answered by API Gateway / Chalice
    }


def _document_routes(document: dict) -> set:
    return {(method.upper(), path) for path, methods in document["paths"].items() for method in methods}


def test_document_and_app_routes_match_both_ways(client, chalice_app):
    document = json.loads(client.http.get("/openapi.json").body)
    in_app, in_doc = _app_routes(chalice_app), _document_routes(document)
    assert in_app - in_doc == set(), "routes missing from the document"
    assert in_doc - in_app == set(), "documented routes the app does not serve"


def test_document_is_valid_openapi_3_1(client):
    from openapi_spec_validator import validate

    document = json.loads(client.http.get("/openapi.json").body)
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_path_parameter_is_declared(client):
    document = json.loads(client.http.get("/openapi.json").body)
    for path, methods in document["paths"].items():
        names = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        for method, operation in methods.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, f"{method.upper()} {path}"


def test_docs_page_lists_every_route(client):
    response = client.http.get("/docs")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.body.decode()
    document = json.loads(client.http.get("/openapi.json").body)
    for path in document["paths"]:
        assert f"<code>{path}</code>" in page
