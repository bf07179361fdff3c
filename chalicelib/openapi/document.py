"""Assemble the OpenAPI 3.1 document (every operation generated from the route declarations)
and its human-readable page."""
from __future__ import annotations

import html
from functools import lru_cache

from ..config import API_VERSION


@lru_cache(maxsize=1)
def document() -> dict:
    from ..chalice_app import declare
    from .generate import build

    operations, schemas = build(declare.routes())
    paths: dict = {}
    for (method, path), operation in sorted(operations.items()):
        paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "TrendKe edge API",
            "version": API_VERSION,
            "description": "Short-video API for TrendKe. Errors are `{\"detail\": ...}`. "
            "Anonymous reads are CDN-cacheable with strong ETags; signed-in answers are "
            "`private, no-store`.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


@lru_cache(maxsize=1)
def reference_page() -> str:
    """A plain HTML reference (no external scripts: the page works offline)."""
    rows = []
    for path, methods in document()["paths"].items():
        for method, operation in methods.items():
            params = ", ".join(p["name"] for p in operation.get("parameters", [])) or "–"
            auth = "bearer" if operation.get("security") else "–"
            codes = ", ".join(operation["responses"])
            rows.append(
                f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}</code></td>"
                f"<td>{html.escape(operation['summary'])}</td><td>{html.escape(params)}</td>"
                f"<td>{auth}</td><td>{codes}</td></tr>"
            )
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>TrendKe API reference</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style>"
        f"<h1>TrendKe edge API {API_VERSION}</h1><p>Machine-readable: <a href=/openapi.json>"
        "/openapi.json</a> (OpenAPI 3.1). Errors are <code>{\"detail\": ...}</code>.</p>"
        "<table><tr><th>method</th><th>path</th><th>what</th><th>parameters</th><th>auth</th>"
        "<th>answers</th></tr>" + "".join(rows) + "</table></html>"
    )
