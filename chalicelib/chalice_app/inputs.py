"""Decode a request's path, query string and body into their models; every failure is one
400 whose message names the field (msgspec's messages, said the way our answers say them)."""
from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional, Type, TypeVar

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


def message(error: msgspec.ValidationError, hints: Mapping[str, str]) -> str:
    """msgspec's message in the API's words: the field named, what it must be, and the
    model's hint for that field (where to go instead) when it has one."""
    found = _AT.match(str(error))
    text, field = found["message"], _field(found["path"])
    for pattern, say in _RULES:
        hit = pattern.fullmatch(text)
        if hit:
            said = say(hit, field)
            return f"{said}; {hints[field]}" if field in hints else said
    if field and text.startswith("'"):  # a rule's own message, told the wrong field name
        return re.sub(r"^'[^']*'", f"'{field}'", text)
    return text


def convert(model: Type[T], data: Mapping[str, Any], *, strict: bool) -> T:
    try:
        return msgspec.convert(data, model, strict=strict, dec_hook=dec_hook)
    except msgspec.ValidationError as error:
        raise BadRequest(message(error, getattr(model, "__hints__", {}))) from None


# Decoded path and query models by (model, values): the hot cached routes see the same few
# query strings again and again (limit=20), and a hit costs a dict lookup instead of a
# conversion. Bounded (cleared when full), so random query strings cannot grow it; handlers
# only read what they are given, so one instance may serve many requests.
_DECODED: Dict[tuple, Any] = {}
DECODED_MAX = 4096


def _decoded(model: Type[T], values: Mapping[str, Any]) -> T:
    key = (model, tuple(values.items()))
    found = _DECODED.get(key)
    if found is None:
        # A plain dict: msgspec reads other mappings (Chalice's MultiDict) by attribute.
        found = convert(model, dict(values), strict=False)
        for name, maximum in getattr(model, "__clamp__", {}).items():
            if getattr(found, name) > maximum:
                setattr(found, name, maximum)
        if len(_DECODED) >= DECODED_MAX:
            _DECODED.clear()
        _DECODED[key] = found
    return found


def path(model: Type[T], params: Mapping[str, Any]) -> T:
    return _decoded(model, params)


def query(model: Type[T], params: Optional[Mapping[str, str]]) -> T:
    """Query values are strings: '20' may be an integer, 'true' a boolean."""
    return _decoded(model, params or {})


def body(model: Type[T], request: Any, *, max_bytes: int) -> T:
    """The JSON object body (size, depth and storable-text checks of http.json_body), typed
    strictly: a JSON string is never taken for a number. A model's `__bare_string__` is the
    400's message for a body that is a JSON string (a client known to post one)."""
    bare = getattr(model, "__bare_string__", None)
    if bare and (request.raw_body or b"").lstrip()[:1] == b'"':
        raise BadRequest(bare)
    return convert(model, json_body(request, max_bytes=max_bytes), strict=True)
