"""One declaration per route: what it takes, answers, who may call, how it caches.

    @endpoint(bp, "GET", "/v1/users/{id}", summary="A user's profile", tag="people",
              path=IdPath, answer=User, cache=cache.PROFILE, errors=(404,))
    def v1_user(call: Call):
        return people.profile(call.path.id)

From the declaration come: the decoded, validated inputs (`call.path`, `call.query`,
`call.body`; a 400 naming the field otherwise), the caller (`call.user` per `auth`), the
answer's encoding and Cache-Control (public with ETag when `cache` is given and the handler
does not ask for privacy, `private, no-store` otherwise), the OpenAPI operation
(chalicelib/openapi/generate.py) and the edge table (`edge_table()`). Handlers return the
body, a `Reply` when status or headers depend on the call, or a finished `Response`.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Tuple

import msgspec
from chalice import Response

from .. import rules
from ..errors import BadRequest, DomainError
from ..http import PRIVATE, CachePolicy, cached_text
from ..schema.common import NoQuery, first_page
from . import error_answers, identity, inputs, viewer

# Who may call.
ANONYMOUS = "anonymous"  # anyone; a token, if sent, is not even read
OPTIONAL = "optional"  # anyone; a token, if sent, must be valid and current
SIGNED_IN = "signed_in"  # a valid, current token
PROFILE = "profile"  # SIGNED_IN, the caller's profile row read in the same statement
WEBHOOK = "webhook"  # no token: the logic verifies the sender's signature
VIEWER = "viewer"  # anyone, counted once (views, shares): call.viewer is the user or a key
AUTH_KINDS = (ANONYMOUS, OPTIONAL, SIGNED_IN, PROFILE, WEBHOOK, VIEWER)
DEFAULT_MAX_BODY = 64 * 1024


class Header(msgspec.Struct, frozen=True):
    """A request header a route reads (documented; read by the handler via call.header)."""

    name: str
    schema: Dict[str, Any] = msgspec.field(default_factory=lambda: {"type": "string"})
    required: bool = False
    description: str = ""


class Route(msgspec.Struct, frozen=True):
    method: str
    path: str
    name: str
    summary: str
    tag: str
    auth: str
    path_model: Optional[type]
    query: type
    body: Optional[type]
    answer: Any  # a model type, a typing form (List[Video]), None for no content
    status: int
    also_ok: Tuple[int, ...]
    cache: Optional[CachePolicy]
    later_pages: Optional[CachePolicy]
    rate_limit: Optional[str]
    errors: Tuple[int, ...]
    headers: Tuple[Header, ...]
    description: str
    deprecated: bool
    content_types: Tuple[str, ...]
    answer_type: str  # the success answer's media type

    @property
    def params(self) -> List[str]:
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]

    @property
    def query_names(self) -> List[str]:
        return sorted(f.encode_name for f in msgspec.structs.fields(self.query))


REGISTRY: List[Route] = []


class Call:
    """One request as a handler sees it: inputs decoded, caller resolved. (A slotted class,
    not a dataclass: it is made on every request of the hot paths.)"""

    __slots__ = ("request", "path", "query", "body", "user", "profile", "viewer")

    def __init__(self, request: Any, path: Any = None, query: Any = None) -> None:
        self.request = request
        self.path = path
        self.query = query
        self.body: Any = None
        self.user: Any = None  # auth.Principal when signed in
        self.profile: Optional[dict] = None  # the caller's row, for PROFILE routes
        self.viewer: Any = None  # engagement.viewer.Viewer, for VIEWER routes

    def header(self, name: str) -> Optional[str]:
        return self.request.headers.get(name.lower())

    def idempotency_key(self, *, required: bool = False) -> Optional[str]:
        """The Idempotency-Key header under rules.idempotency_key; a bad one is a 400."""
        try:
            return rules.idempotency_key(self.header("Idempotency-Key"), required=required)
        except rules.RuleError as error:
            raise BadRequest(str(error)) from None

    @property
    def user_id(self) -> Optional[str]:
        return self.user.user_id if self.user is not None else None


class Reply(msgspec.Struct):
    """A body whose status, headers or privacy depend on the call."""

    body: Any
    status: Optional[int] = None
    headers: Optional[Dict[str, str]] = None
    private: bool = False


class DeclarationError(Exception):
    """A route declared inconsistently: raised at import, so a bad declaration never deploys."""


def _check(route: Route) -> None:
    if any(r.name == route.name for r in REGISTRY):  # the OpenAPI operationId
        raise DeclarationError(f"{route.method} {route.path}: handler name {route.name!r} is taken")
    if route.auth not in AUTH_KINDS:
        raise DeclarationError(f"{route.method} {route.path}: auth must be one of {AUTH_KINDS}")
    declared = sorted(f.name for f in msgspec.structs.fields(route.path_model)) if route.path_model else []
    if declared != sorted(route.params):
        raise DeclarationError(f"{route.method} {route.path}: path model fields {declared} != {route.params}")
    if route.cache is not None and route.auth in (SIGNED_IN, PROFILE, WEBHOOK, VIEWER):
        raise DeclarationError(f"{route.method} {route.path}: an answer for one caller cannot be public")
    if route.cache is not None and route.method != "GET":
        raise DeclarationError(f"{route.method} {route.path}: only GET answers may be cached")


def _caller(route: Route, call: Call) -> None:
    if route.auth == SIGNED_IN:
        call.user = identity.signed_in(call.request)
    elif route.auth == PROFILE:
        call.user, call.profile = identity.signed_in_profile(call.request)
    elif route.auth == OPTIONAL:
        call.user = identity.maybe_signed_in(call.request)
    elif route.auth == VIEWER:
        call.viewer = viewer.viewer_of(call.request)


def _enc_hook(value: Any) -> Any:
    if isinstance(value, str):  # schema.types' Uuid and Tag, handed back in an answer
        return str(value)
    raise NotImplementedError(f"cannot encode {type(value).__name__}")


# Decimals as numbers, as json.dumps answered them (the byte-compatible answers).
_ENCODER = msgspec.json.Encoder(decimal_format="number", enc_hook=_enc_hook)


def encode(body: Any) -> str:
    return _ENCODER.encode(body).decode("utf-8")


def _respond(route: Route, call: Call, result: Any) -> Response:
    if isinstance(result, Response):
        return result
    status, headers, private = route.status, None, False
    if isinstance(result, Reply):
        status = result.status or status
        headers, private, result = result.headers, result.private, result.body
    if route.answer is None:
        out = {"Cache-Control": PRIVATE, **(headers or {})}
        return Response(body="", status_code=status, headers=out)
    policy = None if private else route.cache
    if policy is not None and route.later_pages is not None and not first_page(call.query):
        policy = route.later_pages
    # A public answer on a route that reads an optional token: the token may change what this
    # URL answers (an owner's pending video), so caches must key on it, as the edge does.
    return cached_text(call.request, encode(result), policy, status=status, headers=headers,
                       vary_authorization=route.auth == OPTIONAL)


def endpoint(
    bp: Any, method: str, path: str, *, summary: str, tag: str, answer: Any,
    auth: str = ANONYMOUS, params: Optional[type] = None, query: type = NoQuery,
    body: Optional[type] = None, status: int = 200, also_ok: Tuple[int, ...] = (),
    cache: Optional[CachePolicy] = None, later_pages: Optional[CachePolicy] = None,
    rate_limit: Optional[str] = None, errors: Tuple[int, ...] = (), headers: Tuple[Header, ...] = (),
    description: str = "", deprecated: bool = False, max_body: int = DEFAULT_MAX_BODY,
    content_types: Tuple[str, ...] = ("application/json",), answer_type: str = "application/json",
) -> Callable[[Callable[[Call], Any]], Callable[[Call], Any]]:
    """Declare a route on blueprint `bp` (see the module docstring)."""

    def decorate(handler: Callable[[Call], Any]) -> Callable[[Call], Any]:
        route = Route(method, path, handler.__name__, summary, tag, auth, params, query, body,
                      answer, status, also_ok, cache, later_pages, rate_limit, errors, headers,
                      description, deprecated, content_types, answer_type)
        _check(route)
        REGISTRY.append(route)

        @functools.wraps(handler)
        def view(**path_values: Any) -> Response:
            request = bp.current_request
            try:
                call = Call(request, inputs.path(params, path_values) if params is not None else None,
                            inputs.query(query, request.query_params))
                if auth != ANONYMOUS:
                    _caller(route, call)
                if body is not None:
                    call.body = inputs.body(body, request, max_bytes=max_body)
                return _respond(route, call, handler(call))
            except DomainError as error:  # Chalice answers any exception out of a view with 500
                return error_answers.answer(error)

        bp.route(path, methods=[method], content_types=list(content_types))(view)
        return handler

    return decorate


def routes() -> List[Route]:
    """Every declared route, in declaration order (the blueprints must be imported)."""
    return list(REGISTRY)


def edge_table() -> List[Dict[str, Any]]:
    """What the edge stack must agree with, one row per cacheable path: the query parameters
    that belong in its cache key. tests/test_route_declarations.py checks infra/edge.yaml."""
    rows = []
    for route in REGISTRY:
        if route.cache is None:
            continue
        rows.append({"method": route.method, "path": route.path,
                     "query": route.query_names,
                     "s_maxage": route.cache.s_maxage})
    return rows
