"""The rules every input obeys, in one place: ids, hashtags, usernames, Idempotency-Keys, text.

Used by the request models (chalicelib/schema/), by the logic and by trending, so `#Kenya` is
the same tag on every route. Each rule answers the clean value or raises RuleError, a
ValueError: inside a model's __post_init__ msgspec turns it into a validation error, and the
HTTP layer answers it as a 400 whose message names the field.
"""
from __future__ import annotations

import re
import uuid as _uuid
from typing import Iterable, List, Optional
from urllib.parse import unquote


class RuleError(ValueError):
    """An input that breaks a rule; the message names the field and says what is allowed."""


HASHTAG_MAX = 50  # as stored by uploads (the live schema's hashtags are free text)
HASHTAG_LOOKUP_MAX = 64  # what a read route accepts: older rows may hold longer tags
HASHTAGS_MAX = 20
_HASHTAG = re.compile(r"[a-z0-9_]+")
_HASHTAG_LOOKUP = re.compile(r"\w+")  # reads accept any letters: the old backend stored them

USERNAME = re.compile(r"[A-Za-z0-9_]{3,30}")
# One @, no spaces or controls, a dot in the domain; at most 254 characters (RFC 5321).
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f.]+")
EMAIL_MAX = 254
PASSWORD_MIN, PASSWORD_MAX_BYTES = 6, 72

IDEMPOTENCY_KEY_MAX = 200
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]+")  # visible ASCII, as HTTP header values allow

# C0 and C1 controls (not tab or newline, which multi-line text keeps) and the bidi controls
# that reorder what follows them (U+202A-U+202E embeddings and overrides, U+2066-U+2069
# isolates): a title like "gift\u202egnp.exe" would render reversed to every viewer.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def uuid(value: object, name: str) -> str:
    """A uuid in canonical (lower-case, hyphenated) form."""
    try:
        return str(_uuid.UUID(value))  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError):
        raise RuleError(f"'{name}' must be a UUID") from None


def clean_text(value: str, name: str, *, max_chars: int, min_chars: int = 0,
               multiline: bool = True) -> str:
    """Trimmed text of min..max characters with no control or bidi-override characters."""
    text = value.strip()
    if len(text) < min_chars:
        raise RuleError(f"'{name}' must not be empty" if min_chars == 1
                        else f"'{name}' must have at least {min_chars} characters")
    if len(text) > max_chars:
        raise RuleError(f"'{name}' must be at most {max_chars} characters")
    if (_CONTROL if multiline else _CONTROL_ONE_LINE).search(text):
        raise RuleError(f"'{name}' may not contain control characters")
    if _BIDI.search(text):
        raise RuleError(f"'{name}' may not contain bidirectional override characters")
    return text


def optional_text(value: Optional[str], name: str, *, max_chars: int,
                  multiline: bool = True) -> Optional[str]:
    """clean_text for an optional field: null stays null, blank becomes null."""
    if value is None:
        return None
    return clean_text(value, name, max_chars=max_chars, multiline=multiline) or None


def hashtag(raw: str) -> str:
    """A tag as uploads store it: no '#', lower case, [a-z0-9_], 1 to HASHTAG_MAX characters."""
    tag = raw.strip().lstrip("#").lower()
    if not tag:
        raise RuleError("A hashtag cannot be empty")
    if len(tag) > HASHTAG_MAX:
        raise RuleError(f"A hashtag can have at most {HASHTAG_MAX} characters")
    if not _HASHTAG.fullmatch(tag):
        raise RuleError(f"Hashtag '{raw[:60]}' may only contain letters a-z, digits and underscores")
    return tag


def hashtags(raw: Iterable[str]) -> List[str]:
    """Each tag cleaned, duplicates dropped in order, at most HASHTAGS_MAX."""
    out: List[str] = []
    for item in raw:
        tag = hashtag(item)
        if tag not in out:
            out.append(tag)
    if len(out) > HASHTAGS_MAX:
        raise RuleError(f"At most {HASHTAGS_MAX} hashtags")
    return out


def normalise_tag(raw: str) -> str:
    """The lookup form of a tag a reader typed: `#Kenya`, `kenya`, ` KENYA `, `%23kenya` are
    one tag (API Gateway hands path parameters over still percent-encoded). Trending's stored
    lists are keyed by this form."""
    return unquote(raw or "").strip().lstrip("#").strip().lower()


def hashtag_lookup(raw: str, name: str = "tag") -> str:
    """A tag to look up (read routes): normalised, 1 to 64 letters, digits or underscores."""
    tag = normalise_tag(raw)
    if not (0 < len(tag) <= HASHTAG_LOOKUP_MAX and _HASHTAG_LOOKUP.fullmatch(tag)):
        raise RuleError(f"'{name}' must be 1 to {HASHTAG_LOOKUP_MAX} letters, digits or underscores")
    return tag


def username(value: str, name: str = "username") -> str:
    if not USERNAME.fullmatch(value):
        raise RuleError("Username must be 3-30 letters, digits or underscores")
    return value


def email(value: str) -> str:
    """Lower-cased and trimmed: emails are unique ignoring case, stored normalised."""
    address = value.strip().lower()
    if len(address) > EMAIL_MAX or not _EMAIL.fullmatch(address):
        raise RuleError("Enter a valid email address")
    return address


def new_password(value: str) -> str:
    """A password to store: bcrypt reads at most 72 bytes, so longer is refused, not cut."""
    if len(value) < PASSWORD_MIN or len(value.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise RuleError(f"Password must be {PASSWORD_MIN} to {PASSWORD_MAX_BYTES} bytes long")
    return value


_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


def flag(raw: object, name: str) -> bool:
    """A true/false query value (also 1/0, yes/no, on/off, any case), as FastAPI took them."""
    value = str(raw).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise RuleError(f"'{name}' must be true or false")


def idempotency_key(raw: Optional[str], *, required: bool = False) -> Optional[str]:
    """The Idempotency-Key header: absent or blank is None (unless required), else 1 to 200
    visible ASCII characters once trimmed."""
    key = (raw or "").strip()
    if not key:
        if required:
            raise RuleError("An 'Idempotency-Key' header is required on this route")
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not _IDEMPOTENCY_KEY.fullmatch(key):
        raise RuleError(f"'Idempotency-Key' must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters")
    return key
