"""Hand-written operations of the routes not yet declared with chalice_app.declare (being
converted); the rest are generated (generate.py)."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from .accounts import account_operations
from .schemas import ref

ERRORS = {
    400: "Bad input",
    401: "Missing, expired, malformed or wrongly signed token",
    402: "Not enough coins (nothing was taken)",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Conflict",
    410: "Gone",
    429: "Too many requests (see Retry-After)",
    502: "The payment provider failed to answer",
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
    ok: Optional[dict],
    *,
    status: int = 200,
    also_ok: Tuple[int, ...] = (),
    params: Optional[List[dict]] = None,
    body: Optional[dict] = None,
    auth: str = "none",  # none | required | optional
    errors: Tuple[int, ...] = (),
    cacheable: bool = False,
    description: str = "",
) -> dict:
    success = {"description": "OK", "content": json_content(ok)} if ok is not None else {"description": "No content"}
    responses: Dict[str, dict] = {str(code): success for code in (status, *also_ok)}
    if cacheable:
        responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    codes = set(errors) | {503}
    if auth != "none":
        codes.add(401)
    if params:  # malformed ids, cursors, limits
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


UUID_SCHEMA = {"type": "string", "format": "uuid"}
LIMIT_COMPAT = query_param("limit", {"type": "integer", "minimum": 1, "default": 20}, "Values over 100 are clamped.")
OFFSET = query_param("offset", {"type": "integer", "minimum": 0, "maximum": 1_000_000, "default": 0})
FOLLOWING_OFFSET = query_param("offset", {"type": "integer", "minimum": 0, "maximum": 10_000, "default": 0},
                               "Deeper pages: /v1/me/feed's cursor")
LIMIT_CURSOR = query_param("limit", {"type": "integer", "minimum": 1, "default": 20}, "Values over 50 are clamped.")
CURSOR = query_param("cursor", {"type": "string"}, "`next_cursor` of the previous page; absent for the first.")
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "schema": {"type": "string", "minLength": 1, "maxLength": 200}}
VIEWER_KEY = {"name": "X-Viewer-Key", "in": "header", "required": False, "schema": {"type": "string"},
              "description": "The key an earlier answer issued to an anonymous viewer."}
HASHTAG = path_param("tag", {"type": "string", "pattern": "^#?[A-Za-z0-9_]{1,64}$"})


def video_id(name: str = "video_id") -> dict:
    return path_param(name, UUID_SCHEMA)


def user_id(name: str = "user_id") -> dict:
    return path_param(name, UUID_SCHEMA)


def users_array() -> dict:
    return {"type": "array", "items": ref("User")}


def videos_array() -> dict:
    return {"type": "array", "items": ref("Video")}


OPERATIONS: Dict[Tuple[str, str], dict] = {
    ("GET", "/v1/me"): op("The signed-in user's profile", "users", ref("User"), auth="required", errors=(404,)),
}
OPERATIONS.update(account_operations(op, path_param, query_param))
