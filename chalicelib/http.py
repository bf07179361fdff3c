"""HTTP helpers shared by every route: JSON answers, edge-cache headers, ETags, input parsing.

This is the one place that decides `Cache-Control` and `ETag`, so every route caches the same
way. The logic modules never import it.
"""
from __future__ import annotations

import datetime as _dt
import decimal
import hashlib
import json
import uuid
from typing import Any, Dict, Mapping, Optional

import msgspec
from chalice import Response

from .errors import BadRequest

MAX_QUERY_STRING_CHARS = 2048
PRIVATE = "private, no-store"
NO_STORE = "no-store"


class CachePolicy(msgspec.Struct, frozen=True):
    """How long browsers (max_age) and the CDN (s_maxage) may keep an anonymous answer."""

    max_age: int
    s_maxage: int
    stale_while_revalidate: int
    stale_if_error: int

    @property
    def header(self) -> str:
        return (
            f"public, max-age={self.max_age}, s-maxage={self.s_maxage}, "
            f"stale-while-revalidate={self.stale_while_revalidate}, "
            f"stale-if-error={self.stale_if_error}"
        )


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def etag_of(text: str) -> str:
    """A strong validator: the same bytes always give the same tag."""
    return '"' + hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest() + '"'


def if_none_match_hits(request_headers: Mapping[str, str], etag: str) -> bool:
    header = request_headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    # Strong comparison; a weak tag never matches a strong one (RFC 9110 13.1.2 uses weak
    # comparison for If-None-Match, so accept W/ forms of our own tag too).
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags


def cached_text(
    request: Any,
    text: str,
    cache: Optional[CachePolicy],
    *,
    etag: Optional[str] = None,
    status: int = 200,
    headers: Optional[Dict[str, str]] = None,
    vary_authorization: bool = False,
) -> Response:
    """Answer pre-serialised JSON `text`: cacheable when `cache` is given, else private.
    `vary_authorization`: the route reads the token (another caller may get another answer
    on this URL), so caches must key on it as the edge does."""
    out = {"Content-Type": "application/json"}
    if headers:
        out.update(headers)
    if cache is None:
        out["Cache-Control"] = PRIVATE
        return Response(body=text, status_code=status, headers=out)
    tag = etag or etag_of(text)
    out["Cache-Control"] = cache.header
    out["ETag"] = tag
    out["Vary"] = "Accept-Encoding, Authorization" if vary_authorization else "Accept-Encoding"
    if status == 200 and if_none_match_hits(request.headers, tag):
        del out["Content-Type"]
        return Response(body="", status_code=304, headers=out)
    return Response(body=text, status_code=status, headers=out)


def public_json(request: Any, body: Any, cache: CachePolicy, status: int = 200,
                vary_authorization: bool = False) -> Response:
    """A read the same for everyone: CDN-cacheable, with a strong ETag and 304 on a match."""
    return cached_text(request, dumps(body), cache, status=status, vary_authorization=vary_authorization)


def redirect(location: str, cache: CachePolicy, status: int = 308) -> Response:
    """A permanent redirect (to a query's normal form): cacheable, so the CDN answers it too."""
    return Response(body="", status_code=status,
                    headers={"Location": location, "Cache-Control": cache.header})


def private_json(body: Any, status: int = 200, headers: Optional[Dict[str, str]] = None) -> Response:
    """An answer computed for a signed-in user, or a write: never stored by any cache."""
    out = {"Content-Type": "application/json", "Cache-Control": PRIVATE}
    if headers:
        out.update(headers)
    return Response(body=dumps(body), status_code=status, headers=out)


def error_response(status: int, detail: str, headers: Optional[Dict[str, str]] = None) -> Response:
    out = {"Content-Type": "application/json", "Cache-Control": NO_STORE}
    if headers:
        out.update(headers)
    return Response(body=dumps({"detail": detail}), status_code=status, headers=out)


# ---- input -------------------------------------------------------------------------------


def check_query_size(request: Any) -> None:
    # From the event's own lists (every value of a repeated key counts): a third of the cost
    # of walking Chalice's MultiDict, on every request.
    event = request.to_original_event()
    params = event.get("multiValueQueryStringParameters") or event.get("queryStringParameters")
    if not params:
        return
    size = 0
    for key, values in params.items():
        for value in (values if isinstance(values, list) else (values,)):
            size += len(key) + len(value or "") + 2
    if size > MAX_QUERY_STRING_CHARS:
        raise BadRequest("Query string too long")


def uuid_param(value: str, name: str = "id") -> str:
    """A uuid path or query value in canonical form; anything else is a 400."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError, AttributeError):
        raise BadRequest(f"'{name}' must be a UUID") from None


# Deeper than any body a route accepts; bounds the walk below and json.loads' recursion.
MAX_JSON_DEPTH = 32


def json_body(request: Any, *, max_bytes: int = 64 * 1024) -> Dict[str, Any]:
    """The request's JSON object body; malformed JSON, a non-object, nesting deeper than
    MAX_JSON_DEPTH or text Postgres cannot store (NUL, lone surrogates) is a 400."""
    raw = request.raw_body or b""
    if len(raw) > max_bytes:
        raise BadRequest("Request body too large")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except RecursionError:
        raise BadRequest(f"Request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)") from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("Request body must be valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object")
    _check_storable(body)
    return body


def _check_storable(body: Dict[str, Any]) -> None:
    """Walk the body without recursion: every string (keys too) must be storable text.

    JSON may carry "\\u0000" (Postgres text cannot store NUL) and "\\ud800" (a lone surrogate
    that json.loads accepts but UTF-8, hence psycopg, cannot encode)."""
    stack = [(body, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)) and depth > MAX_JSON_DEPTH:
            raise BadRequest(f"Request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise BadRequest("Text may not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("Text must be valid Unicode (no lone surrogates such as \\ud800)") from None
