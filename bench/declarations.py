"""Route declarations (issue 12): the model library, chosen by measurement, and what the
declarations cost on the hot paths.

1. msgspec against pydantic v2 on a 20-item feed page: cold import without bytecode (as the
   Lambda package imports: no pyc in /var/task), validating the page's JSON into models,
   encoding it, and producing JSON Schema.
2. Warm in-process p50 through `app(event, context)`, declared routes against the same
   routes written by hand the way they were before (parse with helpers, answer with
   http.public_json / private_json), alternating batches in one process: GET /v1/feed,
   GET /v1/trending, PUT /v1/videos/{id}/like and a 400 from a bad body.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from typing import Any, Callable, Dict, List

BATCHES = 6
PER_BATCH = 300

_MSGSPEC_MODEL = """
import msgspec
from typing import List, Optional
class Video(msgspec.Struct):
    id: str; user_id: str; title: str; description: Optional[str]; video_url: str
    thumbnail_url: Optional[str]; hashtags: List[str]; views_count: int; likes_count: int
    comments_count: int; shares_count: int; created_at: str; username: str
    avatar_url: Optional[str]; hls_url: Optional[str] = None; duration: Optional[float] = None
    width: Optional[int] = None; height: Optional[int] = None; status: str = "ready"
class VideoPage(msgspec.Struct):
    items: List[Video]; next_cursor: Optional[str]
decode = msgspec.json.Decoder(VideoPage).decode
encode = msgspec.json.Encoder().encode
schema = lambda: msgspec.json.schema(VideoPage)
"""
_PYDANTIC_MODEL = """
import pydantic
from typing import List, Optional
class Video(pydantic.BaseModel):
    id: str; user_id: str; title: str; description: Optional[str]; video_url: str
    thumbnail_url: Optional[str]; hashtags: List[str]; views_count: int; likes_count: int
    comments_count: int; shares_count: int; created_at: str; username: str
    avatar_url: Optional[str]; hls_url: Optional[str] = None; duration: Optional[float] = None
    width: Optional[int] = None; height: Optional[int] = None; status: str = "ready"
class VideoPage(pydantic.BaseModel):
    items: List[Video]; next_cursor: Optional[str]
decode = VideoPage.model_validate_json
encode = lambda page: page.model_dump_json().encode()
schema = VideoPage.model_json_schema
"""


def _page() -> bytes:
    video = {"id": "5f0c6d0e-8a47-4c1e-9a0e-2b9d3c1f4a10", "user_id": "0b7e1c9a-1111-4c1e-9a0e-2b9d3c1f4a10",
             "title": "Sunset over Diani beach", "description": "Karibu Kenya #travel", "video_url":
             "https://res.cloudinary.com/trendke/video/upload/v1/videos/abc.mp4", "thumbnail_url": None,
             "hashtags": ["kenya", "diani", "travel"], "views_count": 1024, "likes_count": 230,
             "comments_count": 12, "shares_count": 4, "created_at": "2026-11-30T10:00:00+00:00",
             "username": "wanjiku", "avatar_url": None, "hls_url": None, "duration": 14.5,
             "width": 1080, "height": 1920, "status": "ready"}
    return json.dumps({"items": [video] * 20, "next_cursor": "abc"}).encode()


def _cold_import_ms(model_source: str) -> float:
    """Fastest of five fresh interpreters, bytecode writing off, model defined and used once."""
    code = ("import time; t = time.perf_counter()\n" + model_source +
            f"\npage = decode({_page()!r}); encode(page)\n"
            "print((time.perf_counter() - t) * 1000)")
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True,
                             env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, check=True)
        runs.append(float(out.stdout.strip()))
    return min(runs)


def _per_call_us(fn: Callable[[], Any], n: int = 3000) -> float:
    fn()
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - started) / n * 1e6


def models() -> None:
    raw = _page()
    print(f"20-item feed page ({len(raw):,} bytes of JSON); cold = fresh interpreter, no bytecode written")
    print(f"{'library':10} {'cold import+model':>18} {'validate JSON':>14} {'encode':>9} {'JSON Schema':>12}")
    for name, source in (("msgspec", _MSGSPEC_MODEL), ("pydantic", _PYDANTIC_MODEL)):
        try:
            space: Dict[str, Any] = {}
            # Not inheriting this module's `annotations` future: the models resolve their types.
            exec(compile(source, name, "exec", dont_inherit=True), space)  # noqa: S102
        except ImportError:
            print(f"{name:10} not installed")
            continue
        page = space["decode"](raw)
        cold = _cold_import_ms(source)
        decode_us = _per_call_us(lambda: space["decode"](raw))
        encode_us = _per_call_us(lambda: space["encode"](page))
        schema_us = _per_call_us(space["schema"], n=200)
        print(f"{name:10} {cold:15.1f} ms {decode_us:11.1f} us {encode_us:6.1f} us {schema_us:9.1f} us")
    from chalicelib.chalice_app.declare import encode

    as_dicts = json.loads(raw)
    ours = _per_call_us(lambda: encode(as_dicts))
    stdlib = _per_call_us(lambda: json.dumps(as_dicts, separators=(",", ":"), ensure_ascii=False))
    print(f"the answers' encoder on the page as dicts: msgspec {ours:.1f} us, json.dumps {stdlib:.1f} us")
    print("chosen: msgspec (the smaller cold start matters most: every Lambda cold start pays it)")


def _handwritten_app():
    """The four routes as they were before the declarations: the same app class, CORS,
    middleware and logic, so only the declaration layer differs."""
    from chalicelib import feed
    from chalicelib.chalice_app import middleware
    from chalicelib.chalice_app import cache_policies as cache
    from chalicelib.chalice_app.identity import signed_in
    from chalicelib.engagement import comments, likes
    from chalicelib.errors import BadRequest
    from chalicelib.http import cached_text, json_body, private_json, public_json, uuid_param
    from chalicelib.chalice_app.threadsafe import ThreadLocalRequestChalice
    from chalicelib.trending import reader

    from app import app as deployed
    from bench.baseline import answering_domain_errors

    app = ThreadLocalRequestChalice(app_name="handwritten")
    app.api.cors = deployed.api.cors  # (not register_http: it would re-point the blueprints)
    app.register_middleware(middleware.observe, "http")
    app.register_middleware(middleware.errors_and_cors, "http")

    def limit(request, maximum):
        raw = (request.query_params or {}).get("limit", "20")
        try:
            return min(int(raw), maximum)
        except ValueError:
            raise BadRequest("'limit' must be an integer") from None

    @app.route("/v1/feed", methods=["GET"])
    @answering_domain_errors
    def v1_feed():
        request = app.current_request
        cursor = (request.query_params or {}).get("cursor") or None
        page = feed.feed_page(cursor, limit(request, 50))
        return public_json(request, page.as_json(), cache.FEED_FIRST_PAGE if cursor is None else cache.FEED_LATER_PAGE)

    @app.route("/v1/trending", methods=["GET"])
    @answering_domain_errors
    def trending():
        prepared = reader.answer(reader.V1, limit(app.current_request, 100))
        return cached_text(app.current_request, prepared.text, prepared, etag=prepared.etag, headers=prepared.headers)

    @app.route("/v1/videos/{id}/like", methods=["PUT"])
    @answering_domain_errors
    def like(id):
        video_id = uuid_param(id, "video_id")
        return private_json(likes.set_like(signed_in(app.current_request).user_id, video_id, True))

    @app.route("/v1/videos/{id}/comments", methods=["POST"])
    @answering_domain_errors
    def comment(id):
        request = app.current_request
        video_id = uuid_param(id, "video_id")
        user = signed_in(request)
        content = json_body(request).get("content")
        if not isinstance(content, str):
            raise BadRequest("'content' must be a string")
        return private_json(comments.post(user.user_id, video_id, content), status=201)

    return app


def _events(video_id: str, token: str) -> Dict[str, dict]:
    from tests.support.lambda_events import api_gateway_event

    auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    return {
        "GET /v1/feed": api_gateway_event("GET", "/v1/feed", query={"limit": "20"}),
        "GET /v1/trending": api_gateway_event("GET", "/v1/trending", query={"limit": "50"}),
        "PUT /v1/videos/{id}/like": api_gateway_event(
            "PUT", f"/v1/videos/{video_id}/like", resource="/v1/videos/{id}/like",
            path_parameters={"id": video_id}, headers=auth),
        "400 (bad body)": api_gateway_event(
            "POST", f"/v1/videos/{video_id}/comments", resource="/v1/videos/{id}/comments",
            path_parameters={"id": video_id}, headers=auth, body='{"content": 5}'),
    }


def routes() -> None:
    from bench.engagement import _database
    from chalicelib import config, db
    from chalicelib.auth import mint_token
    from tests.support.lambda_events import LambdaContext

    _database()
    folder = tempfile.mkdtemp(prefix="declarations-bench-")
    os.environ.update(TRENDING_LOCAL_DIR=folder)
    os.environ.pop("TRENDING_BUCKET", None)
    config.reset()
    from chalicelib.trending import reader, writer

    writer.refresh()
    reader.reset()
    user_id = str(db.fetch_one("SELECT id FROM users WHERE username = 'fan_1'")["id"])
    video_id = str(db.fetch_one("SELECT id FROM videos ORDER BY title LIMIT 1")["id"])
    events = _events(video_id, mint_token(user_id, config.settings().jwt_secret))
    from app import app as declared

    apps = {"hand-written": _handwritten_app(), "declared": declared}
    context = LambdaContext()
    samples: Dict[str, Dict[str, List[float]]] = {n: {k: [] for k in apps} for n in events}
    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        for _ in range(BATCHES):  # alternate, so drift on a shared machine hits both alike
            for name, event in events.items():
                for kind, handler in apps.items():
                    handler(event, context)
                    for _ in range(PER_BATCH):
                        started = time.perf_counter()
                        out = handler(event, context)
                        samples[name][kind].append((time.perf_counter() - started) * 1e6)
                    if out["statusCode"] >= 500:
                        raise RuntimeError(f"{kind} {name}: {out['statusCode']} {out['body'][:200]}")
    print(f"warm in-process p50, {BATCHES} alternating batches of {PER_BATCH}")
    print(f"{'request':28} {'hand-written':>13} {'declared':>10} {'ratio':>7}")
    for name, by_kind in samples.items():
        hand, declared_p50 = statistics.median(by_kind["hand-written"]), statistics.median(by_kind["declared"])
        print(f"{name:28} {hand:10.1f} us {declared_p50:7.1f} us {declared_p50 / hand:6.2f}x")


def main() -> None:
    models()
    routes()
