"""The field types the request models share, with how msgspec decodes and documents them.

`Uuid` and `Tag` are str subclasses msgspec does not know: `dec_hook` applies the rule
(chalicelib/rules.py) while decoding and `schema_hook` documents it. `Clamped` limits are
cut to their maximum instead of refused (the old routes did so; the contract keeps it).
"""
from __future__ import annotations

from typing import Any, ClassVar, Dict

import msgspec

from .. import rules


class Uuid(str):
    """A uuid, canonical form."""


class Tag(str):
    """A hashtag to look up: '#Kenya', 'kenya' and '%23kenya' are one tag."""


class Flag(int):
    """A true/false query value: also 1/0, yes/no, on/off, any case (rules.flag), as 1 or 0
    (bool cannot be subclassed; msgspec's own str -> bool takes only true/false/1/0)."""


def dec_hook(tp: Any, obj: Any) -> Any:
    if tp is Flag:
        return Flag(rules.flag(obj, "value"))
    if tp is Uuid:
        return Uuid(rules.uuid(obj, "id"))
    if tp is Tag:
        if not isinstance(obj, str):
            raise rules.RuleError("must be a string")
        return Tag(rules.hashtag_lookup(obj))
    raise NotImplementedError(f"no decoder for {tp!r}")


UUID_SCHEMA = {"type": "string", "format": "uuid"}
TAG_SCHEMA = {"type": "string", "pattern": r"^#?\w{1,64}$"}


def schema_hook(tp: Any) -> Dict[str, Any]:
    if tp is Flag:
        return {"type": "boolean", "description": "true/false (also 1/0, yes/no, on/off)."}
    if tp is Uuid:
        return dict(UUID_SCHEMA)
    if tp is Tag:
        return dict(TAG_SCHEMA)
    raise NotImplementedError(f"no schema for {tp!r}")


class Input(msgspec.Struct, forbid_unknown_fields=False):
    """Base of query and path models: unknown query parameters are ignored, as HTTP APIs do;
    fields named in `__clamp__` are cut to their maximum; `__hints__` add to a field's 400
    where to go instead."""

    __clamp__: ClassVar[Dict[str, int]] = {}  # applied by chalice_app.inputs
    __hints__: ClassVar[Dict[str, str]] = {}


class Body(msgspec.Struct, forbid_unknown_fields=True):
    """Base of request bodies: a closed schema, an unknown key is a 400."""


class OpenBody(msgspec.Struct, forbid_unknown_fields=False):
    """A body that may carry keys we do not read (a provider's notification)."""


class Answer(msgspec.Struct):
    """Base of answer models: what the OpenAPI document says a route answers."""
