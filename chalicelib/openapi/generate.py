"""The OpenAPI 3.1 operations, derived from the route declarations (chalice_app/declare.py):
parameters from the path and query models, bodies and answers from their msgspec models,
error answers from `auth`, inputs, `rate_limit` and `errors`. Nothing here is written per
route."""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

import msgspec

from ..schema.common import Error
from ..schema.types import schema_hook

REF = "#/components/schemas/{name}"
ERRORS = {
    400: "Bad input (the message names the field)",
    401: "Missing, expired, malformed or wrongly signed token",
    402: "Not enough coins (nothing was taken)",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Conflict",
    410: "Gone",
    413: "Request body too large",
    429: "Too many requests (see Retry-After)",
    502: "The payment provider failed to answer",
    503: "A dependency (database, key set) is unavailable",
}


# A 3xx in `also_ok`: no body, Location names where to go (the declaration's description says why).
REDIRECT = {"description": "Redirect: Location names the URL to read instead",
            "headers": {"Location": {"required": True, "schema": {"type": "string"}}}}


def _json(schema: dict, media: str = "application/json") -> dict:
    return {media: {"schema": schema}}


def _not_null(schema: dict) -> dict:
    """An optional query or path value is absent, never JSON null: document its other type."""
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        return {**options[0], **rest}
    return schema


def _fields(model: type, kind: str, schemas: Dict[str, dict]) -> List[dict]:
    """One parameter per field of a path or query model, its schema from the model's."""
    properties = schemas[model.__name__].get("properties", {})
    required = set(schemas[model.__name__].get("required", []))
    clamp = getattr(model, "__clamp__", {})
    out = []
    for name, schema in properties.items():
        schema = _not_null(dict(schema))
        description = schema.pop("description", "")
        if name in clamp:
            description = (description + " " if description else "") + f"Values over {clamp[name]} are clamped."
        param = {"name": name, "in": kind, "required": kind == "path" or name in required, "schema": schema}
        if description:
            param["description"] = description
        out.append(param)
    return out


def _error_models(route: Any) -> Dict[int, Any]:
    """`errors` entries are codes, or (code, model) when that answer is not the Error shape."""
    return {e[0]: e[1] for e in route.errors if isinstance(e, tuple)}


def _error_codes(route: Any) -> List[int]:
    codes = {e[0] if isinstance(e, tuple) else e for e in route.errors} | {503}
    if route.auth in ("signed_in", "profile", "optional", "viewer"):
        codes.add(401)
    if route.path_model is not None or route.body is not None or msgspec.structs.fields(route.query):
        codes.add(400)
    if route.body is not None:
        codes.add(413)
    if route.rate_limit:
        codes.add(429)
    return sorted(codes)


def operation(route: Any, schemas: Dict[str, dict], refs: Dict[Any, dict]) -> dict:
    if route.answer is None:
        success = {"description": "No content"}
    else:
        success = {"description": "OK", "content": _json(refs[route.answer], route.answer_type)}
    responses: Dict[str, dict] = {str(code): success if code < 300 else REDIRECT
                                  for code in (route.status, *route.also_ok)}
    if route.cache is not None:
        responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    models = _error_models(route)
    for code in _error_codes(route):
        model = models.get(code, Error)
        responses[str(code)] = {"description": (model.__doc__ if model is not Error and model.__doc__
                                                else ERRORS[code]), "content": _json(refs[model])}
    op: Dict[str, Any] = {"summary": route.summary, "tags": [route.tag], "operationId": route.name,
                          "responses": responses}
    if route.description:
        op["description"] = route.description
    if route.deprecated:
        op["deprecated"] = True
    params = []
    if route.path_model is not None:
        params += _fields(route.path_model, "path", schemas)
    params += _fields(route.query, "query", schemas)
    params += [{"name": h.name, "in": "header", "required": h.required, "schema": h.schema,
                **({"description": h.description} if h.description else {})} for h in route.headers]
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {"required": True, "content": _json(refs[route.body])}
    if route.auth in ("signed_in", "profile"):
        op["security"] = [{"bearer": []}]
    elif route.auth in ("optional", "viewer"):
        op["security"] = [{"bearer": []}, {}]
    return op


def build(routes: List[Any]) -> Tuple[Dict[Tuple[str, str], dict], Dict[str, dict]]:
    """(method, path) -> operation, and the component schemas every operation refers to."""
    types: List[Any] = [Error]
    for route in routes:
        for tp in (route.path_model, route.query, route.body, route.answer, *_error_models(route).values()):
            if tp is not None and tp not in types:
                types.append(tp)
    found, schemas = msgspec.json.schema_components(types, schema_hook=schema_hook, ref_template=REF)
    refs = dict(zip(types, found))
    operations = {(r.method, r.path): operation(r, schemas, refs) for r in routes}
    inputs = {tp.__name__ for r in routes for tp in (r.path_model, r.query) if tp is not None}
    return operations, {name: s for name, s in schemas.items() if name not in inputs}
