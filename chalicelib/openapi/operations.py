# TRANSITION: only chalicelib/openapi/search.py (hand-written) still imports this; it goes with it.
"""One entry per route: (method, path) -> the OpenAPI operation. A test keeps this and the
app's routes equal, both ways."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple


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
        params=[path_param("tag", {"type": "string", "pattern": "^#?[A-Za-z0-9_]{1,64}$"}),
                query_param("limit", {"type": "integer", "minimum": 1, "default": 50}, "At most 50.")],
    ),
    # ---- feed read path (contract sections 1 and 3)
    ("GET", "/videos/feed"): op("Feed, newest first (offset pages)", "feed", videos_array(),
                                cacheable=True, params=[LIMIT_COMPAT, OFFSET]),
    ("GET", "/videos/{video_id}"): op(
        "One video", "feed", ref("Video"), cacheable=True, auth="optional", errors=(404,),
        params=[video_id()],
        description="Owners also see their own pending or failed videos (privately).",
    ),
    ("GET", "/videos/{video_id}/comments"): op(
        "A video's comments", "feed", {"type": "array", "items": ref("Comment")}, cacheable=True,
        params=[video_id(), query_param("limit", {"type": "integer", "minimum": 1, "default": 50},
                                         "Values over 100 are clamped.")], errors=(404,),
    ),
    ("GET", "/social/followers/{user_id}"): op("A user's followers", "people", users_array(),
                                               cacheable=True, params=[user_id(), LIMIT_COMPAT, OFFSET],
                                               errors=(404,)),
    ("GET", "/social/following/{user_id}"): op("Whom a user follows", "people", users_array(),
                                               cacheable=True, params=[user_id(), LIMIT_COMPAT, OFFSET],
                                               errors=(404,)),
    ("GET", "/social/is-following/{user_id}"): op(
        "Whether I follow a user", "people",
        {"type": "object", "required": ["following"], "properties": {"following": {"type": "boolean"}}},
        auth="required", params=[user_id()], errors=(404,),
    ),
    ("GET", "/social/feed/following"): op("Videos of the people I follow (offset pages)", "people",
                                          videos_array(), auth="required", params=[LIMIT_COMPAT, FOLLOWING_OFFSET]),
    ("GET", "/v1/feed"): op("Feed, newest first", "feed", ref("VideoPage"), cacheable=True,
                            params=[CURSOR, LIMIT_CURSOR]),
    ("GET", "/v1/videos/{id}"): op(
        "One video", "feed", ref("Video"), cacheable=True, auth="optional", errors=(404,),
        params=[video_id("id")],
        description="Owners also see their own pending or failed videos (privately).",
    ),
    ("GET", "/v1/videos/{id}/comments"): op("A video's comments", "feed", ref("CommentPage"),
                                            cacheable=True, params=[video_id("id"), CURSOR, LIMIT_CURSOR],
                                            errors=(404,)),
    ("GET", "/v1/hashtags/{tag}/videos"): op("Videos with a hashtag", "feed", ref("VideoPage"),
                                             cacheable=True, params=[HASHTAG, CURSOR, LIMIT_CURSOR]),
    ("GET", "/v1/users/{id}"): op("A user's profile", "people", ref("User"), cacheable=True,
                                  params=[user_id("id")], errors=(404,)),
    ("GET", "/v1/users/{id}/videos"): op("A user's videos", "people", ref("VideoPage"), cacheable=True,
                                         params=[user_id("id"), CURSOR, LIMIT_CURSOR], errors=(404,)),
    ("GET", "/v1/me/feed"): op("Videos of the people I follow", "people", ref("VideoPage"),
                               auth="required", params=[CURSOR, LIMIT_CURSOR]),
    # ---- uploads (contract section 3)
    ("POST", "/v1/uploads"): op(
        "Start an upload: a pending video and the signed fields to post to Cloudinary", "uploads",
        ref("UploadTicket"), status=201, also_ok=(200,), auth="required", errors=(409, 429),
        body=ref("UploadRequest"),
        params=[{"name": "Idempotency-Key", "in": "header", "required": False,
                 "schema": {"type": "string", "maxLength": 128}}],
        description="201 for a new upload; 200 when an Idempotency-Key repeats a finished one.",
    ),
    ("POST", "/v1/webhooks/cloudinary"): op(
        "Cloudinary notification (signature checked)", "uploads", ref("WebhookOutcome"), errors=(401,),
        body={"type": "object"},
        params=[{"name": "X-Cld-Signature", "in": "header", "required": True, "schema": {"type": "string"}},
                {"name": "X-Cld-Timestamp", "in": "header", "required": True, "schema": {"type": "string"}}],
    ),
    ("DELETE", "/v1/videos/{id}"): op("Delete my video", "uploads", None, status=204, auth="required",
                                      params=[video_id("id")], errors=(403, 404)),
    ("POST", "/videos/upload"): {
        "summary": "Retired: use POST /v1/uploads", "tags": ["uploads"], "deprecated": True,
        "responses": {"410": {"description": "Gone", "content": json_content(ref("Error"))}},
    },
    # ---- engagement (issue 6)
    ("PUT", "/v1/videos/{id}/like"): op("Like a video (idempotent)", "engagement", ref("LikeState"),
                                        auth="required", params=[video_id("id")], errors=(404, 429)),
    ("DELETE", "/v1/videos/{id}/like"): op("Unlike a video (idempotent)", "engagement", ref("LikeState"),
                                           auth="required", params=[video_id("id")], errors=(404, 429)),
    ("POST", "/videos/{video_id}/like"): op(
        "Toggle my like (the current frontend's route)", "engagement", ref("LikeState"),
        auth="required", params=[video_id()], errors=(404, 429),
    ),
    ("POST", "/v1/videos/{id}/comments"): op(
        "Comment on a video, or reply to a top-level comment", "engagement", ref("Comment"), status=201,
        auth="required", params=[video_id("id"), IDEMPOTENCY_KEY], body=ref("NewComment"),
        errors=(404, 409, 429),
    ),
    ("POST", "/videos/{video_id}/comment"): op(
        "Comment on a video (the current frontend's route)", "engagement", ref("Comment"),
        auth="required", params=[video_id(), IDEMPOTENCY_KEY], errors=(404, 409, 429),
        body={"type": "object", "required": ["content"],
              "properties": {"content": {"type": "string", "minLength": 1, "maxLength": 500}}},
    ),
    ("DELETE", "/v1/comments/{id}"): op(
        "Delete a comment (its author or the video's owner)", "engagement",
        {"type": "object", "required": ["id", "deleted"],
         "properties": {"id": UUID_SCHEMA, "deleted": {"type": "boolean"}}},
        auth="required", params=[path_param("id", UUID_SCHEMA)], errors=(403, 404),
    ),
    ("POST", "/v1/videos/{id}/views"): op(
        "Report a view (counted once per viewer per video per hour)", "engagement",
        {"type": "object", "required": ["counted"], "properties": {"counted": {"type": "boolean"}}},
        auth="optional", params=[video_id("id"), VIEWER_KEY], errors=(404,),
        body={"type": "object", "properties": {"watch_ms": {"type": ["integer", "null"], "minimum": 0}}},
    ),
    ("POST", "/v1/videos/{id}/shares"): op(
        "Report a share", "engagement", ref("ShareState"), status=201, also_ok=(200,),
        auth="optional", params=[video_id("id"), VIEWER_KEY], errors=(404,),
        body={"type": "object", "required": ["channel"], "properties": {"channel": {"type": "string"}}},
        description="201 when counted; 200 when the same viewer already shared there this hour.",
    ),
    ("PUT", "/v1/users/{id}/follow"): op("Follow a user (idempotent)", "people", ref("FollowState"),
                                         auth="required", params=[user_id("id")], errors=(404, 429)),
    ("DELETE", "/v1/users/{id}/follow"): op("Unfollow a user (idempotent)", "people", ref("FollowState"),
                                            auth="required", params=[user_id("id")], errors=(404, 429)),
    ("POST", "/social/follow/{user_id}"): op("Follow a user (the current frontend's route)", "people",
                                             ref("FollowMessage"), auth="required", params=[user_id()],
                                             errors=(404, 429)),
    ("DELETE", "/social/unfollow/{user_id}"): op("Unfollow a user (the current frontend's route)", "people",
                                                 ref("FollowMessage"), auth="required", params=[user_id()],
                                                 errors=(404, 429)),
    ("GET", "/v1/me"): op("The signed-in user's profile", "users", ref("User"), auth="required", errors=(404,)),
}

