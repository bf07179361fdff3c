"""One entry per route: (method, path) -> the OpenAPI operation. A test keeps this and the
app's routes equal, both ways."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from .schemas import ref

ERRORS = {
    400: "Bad input",
    401: "Missing, expired, malformed or wrongly signed token",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Conflict",
    410: "Gone",
    429: "Too many requests (see Retry-After)",
    503: "A dependency (database, key set) is unavailable",
}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def path_param(name: str, schema: Optional[dict] = None, description: str = "") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"},
            "description": description}


def query_param(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def op(
    summary: str,
    tag: str,
    ok: dict,
    *,
    status: int = 200,
    params: Optional[List[dict]] = None,
    body: Optional[dict] = None,
    auth: str = "none",  # none | required | optional
    errors: Tuple[int, ...] = (),
    cacheable: bool = False,
    description: str = "",
) -> dict:
    responses: Dict[str, dict] = {str(status): {"description": "OK", "content": json_content(ok)}}
    if cacheable:
        responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    codes = set(errors) | {503}
    if auth != "none":
        codes.add(401)
    if params and any(p["in"] == "query" for p in params):
        codes.add(400)
    if body is not None:
        codes.add(400)
    for code in sorted(codes):
        responses[str(code)] = {"description": ERRORS[code], "content": json_content(ref("Error"))}
    operation = {"summary": summary, "tags": [tag], "responses": responses}
    if description:
        operation["description"] = description
    if params:
        operation["parameters"] = params
    if body is not None:
        operation["requestBody"] = {"required": True, "content": json_content(body)}
    if auth == "required":
        operation["security"] = [{"bearer": []}]
    elif auth == "optional":
        operation["security"] = [{"bearer": []}, {}]
    return operation


OPERATIONS: Dict[Tuple[str, str], dict] = {
    ("GET", "/"): op("Welcome", "system", ref("Welcome"), cacheable=True),
    ("GET", "/health"): op(
        "Health", "system", ref("Health"),
        description="Answers within a second; `degraded` when Postgres does not answer.",
    ),
    ("GET", "/openapi.json"): op("This document", "system", {"type": "object"}, cacheable=True),
    ("GET", "/docs"): {
        "summary": "Human-readable API reference",
        "tags": ["system"],
        "responses": {"200": {"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}},
                      "304": {"description": "Not modified"}},
    },
    ("GET", "/videos/trending/videos"): op(
        "Trending videos (the current frontend's shape)", "trending",
        {"type": "array", "items": ref("Video")}, cacheable=True,
        params=[query_param("limit", {"type": "integer", "minimum": 1, "default": 50}, "At most 100.")],
        description="Served from the stored trending list; Postgres is not queried.",
    ),
    ("GET", "/v1/trending"): op(
        "Trending videos", "trending", ref("TrendingPage"), cacheable=True,
        params=[query_param("limit", {"type": "integer", "minimum": 1, "default": 50}, "At most 100.")],
    ),
    ("GET", "/v1/trending/hashtags/{tag}"): op(
        "Trending videos of one of the most active hashtags", "trending", ref("TrendingPage"),
        cacheable=True, errors=(404,),
        params=[path_param("tag", {"type": "string", "minLength": 1, "maxLength": 100}),
                query_param("limit", {"type": "integer", "minimum": 1, "default": 50}, "At most 50.")],
    ),
    ("GET", "/v1/me"): op("The signed-in user's profile", "users", ref("User"), auth="required", errors=(404,)),
}
