"""Decode a request's path, query string and body into their models; every failure is one
400 whose message names the field (msgspec's messages, said the way our answers say them)."""
from __future__ import annotations

import re
from typing import Any, Mapping, Optional, Type, TypeVar

import msgspec

from ..errors import BadRequest
from ..http import json_body
from ..schema.types import dec_hook

T = TypeVar("T")

_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_TYPE_NAMES = {"int": "an integer", "str": "a string", "bool": "true or false", "float": "a number",
               "array": "a list", "object": "an object", "null": "null"}
_RULES = [
    (re.compile(r"Object missing required field `(\w+)`"), lambda m, f: f"'{_join(f, m[1])}' is required"),
    (re.compile(r"Object contains unknown field `(\w+)`"), lambda m, f: f"Unknown field(s): {_join(f, m[1])}"),
    (re.compile(r"Expected `(\w+)(?: \| \w+)*`, got `\w+`"), lambda m, f: f"'{f}' must be {_TYPE_NAMES.get(m[1], m[1])}"),
    (re.compile(r"Expected `\w+` >= (-?\d+)"), lambda m, f: f"'{f}' must be at least {m[1]}"),
    (re.compile(r"Expected `\w+` <= (-?\d+)"), lambda m, f: f"'{f}' must be at most {m[1]}"),
    (re.compile(r"Expected `str` of length >= (\d+)"), lambda m, f: f"'{f}' must have at least {m[1]} character(s)"),
    (re.compile(r"Expected `str` of length <= (\d+)"), lambda m, f: f"'{f}' must be at most {m[1]} characters"),
    (re.compile(r"Expected `array` of length <= (\d+)"), lambda m, f: f"'{f}' may hold at most {m[1]} items"),
    (re.compile(r"Invalid enum value (.*)"), lambda m, f: f"'{f}' must be one of the documented values"),
    (re.compile(r"Expected `str` matching regex .*"), lambda m, f: f"'{f}' has an invalid format"),
]


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _field(path: Optional[str]) -> str:
    """`$.hashtags[3]` -> 'hashtags[3]'; `$` or none -> ''."""
    return (path or "").lstrip(".")


def message(error: msgspec.ValidationError) -> str:
    """msgspec's message in the API's words: the field named, what it must be."""
    found = _AT.match(str(error))
    text, field = found["message"], _field(found["path"])
    for pattern, say in _RULES:
        hit = pattern.fullmatch(text)
        if hit:
            return say(hit, field)
    if field and text.startswith("'"):  # a rule's own message, told the wrong field name
        return re.sub(r"^'[^']*'", f"'{field}'", text)
    return text


def convert(model: Type[T], data: Mapping[str, Any], *, strict: bool) -> T:
    try:
        return msgspec.convert(data, model, strict=strict, dec_hook=dec_hook)
    except msgspec.ValidationError as error:
        raise BadRequest(message(error)) from None


def path(model: Type[T], params: Mapping[str, Any]) -> T:
    return convert(model, params, strict=False)


def query(model: Type[T], params: Optional[Mapping[str, str]]) -> T:
    """Query values are strings: '20' may be an integer, 'true' a boolean. Chalice's MultiDict
    is copied to a dict: msgspec reads other mappings by attribute, missing unknown keys."""
    return convert(model, dict(params or {}), strict=False)


def body(model: Type[T], request: Any, *, max_bytes: int) -> T:
    """The JSON object body (size, depth and storable-text checks of http.json_body), typed
    strictly: a JSON string is never taken for a number. A model's `__bare_string__` is the
    400's message for a body that is a JSON string (a client known to post one)."""
    bare = getattr(model, "__bare_string__", None)
    if bare and (request.raw_body or b"").lstrip()[:1] == b'"':
        raise BadRequest(bare)
    return convert(model, json_body(request, max_bytes=max_bytes), strict=True)
