"""Opaque, signed keyset cursors: the (created_at, id) of the last row a page showed.

A cursor is base64url(version | created_at in microseconds | id | HMAC tag). The tag covers
the list the cursor belongs to (its scope, e.g. `feed` or `user:<id>`), so a cursor edited
by hand, truncated, or taken from another list fails the check and answers 400 instead of a
wrong page or a 500. Nothing is stored server side: any Lambda environment can continue any
page.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import struct
import uuid

from . import timestamps
from .config import settings
from .errors import BadRequest, ServiceUnavailable
from .positions import Position

VERSION = 1
_BODY = struct.Struct(">Bq16s")  # version, microseconds since the epoch, uuid bytes
_TAG_BYTES = 16
MAX_CURSOR_CHARS = 128
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)


def _key() -> bytes:
    """CURSOR_SECRET, or a key derived from a secret the stage already has.

    Derived (not reused) so a cursor tag can never be replayed as anything else.
    """
    cfg = settings()
    if cfg.cursor_secret:
        return cfg.cursor_secret.encode("utf-8")
    root = cfg.jwt_secret
    if not root and cfg.cloudinary_url:
        root = cfg.cloudinary_url
    if not root:
        raise ServiceUnavailable("Cursor signing is not configured (CURSOR_SECRET)")
    return hmac.new(root.encode("utf-8"), b"trendke list cursor key v1", hashlib.sha256).digest()


def _tag(scope: str, body: bytes) -> bytes:
    message = scope.encode("utf-8") + b"\x00" + body
    return hmac.new(_key(), message, hashlib.sha256).digest()[:_TAG_BYTES]


def encode(scope: str, created_at: dt.datetime, row_id: object) -> str:
    micros = (timestamps.as_utc(created_at) - _EPOCH) // _MICROSECOND
    body = _BODY.pack(VERSION, micros, uuid.UUID(str(row_id)).bytes)
    return base64.urlsafe_b64encode(body + _tag(scope, body)).rstrip(b"=").decode("ascii")


def decode(scope: str, cursor: str) -> Position:
    """The position in `cursor` if this server signed it for this list; else a 400."""
    invalid = BadRequest("Invalid cursor")
    if not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise invalid from None
    if len(raw) != _BODY.size + _TAG_BYTES:
        raise invalid
    body, tag = raw[: _BODY.size], raw[_BODY.size :]
    if not hmac.compare_digest(tag, _tag(scope, body)):
        raise invalid
    version, micros, id_bytes = _BODY.unpack(body)
    if version != VERSION:
        raise invalid
    try:
        created_at = _EPOCH + micros * _MICROSECOND
    except OverflowError:
        raise invalid from None
    return Position(created_at=timestamps.naive_utc(created_at), id=str(uuid.UUID(bytes=id_bytes)))


# ---- ranked lists (search): the (score, key) of the last row, same tag scheme ----------------

RANKED_VERSION = 2
_RANKED = struct.Struct(">Bd")  # version, the row's score (float8, exactly as Postgres gave it)
MAX_RANKED_CURSOR_CHARS = 512


def encode_ranked(scope: str, score: float, key: str) -> str:
    """A cursor for a list ordered by a computed score, ties broken by `key` (an id, a tag)."""
    body = _RANKED.pack(RANKED_VERSION, float(score)) + key.encode("utf-8")
    return base64.urlsafe_b64encode(body + _tag(scope, body)).rstrip(b"=").decode("ascii")


def decode_ranked(scope: str, cursor: str) -> tuple:
    """(score, key) if this server signed `cursor` for this list (query included); else 400."""
    invalid = BadRequest("Invalid cursor")
    if not cursor or len(cursor) > MAX_RANKED_CURSOR_CHARS:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise invalid from None
    if len(raw) < _RANKED.size + _TAG_BYTES:
        raise invalid
    body, tag = raw[:-_TAG_BYTES], raw[-_TAG_BYTES:]
    if not hmac.compare_digest(tag, _tag(scope, body)):
        raise invalid
    version, score = _RANKED.unpack(body[: _RANKED.size])
    if version != RANKED_VERSION:
        raise invalid
    return score, body[_RANKED.size :].decode("utf-8")
