"""Normal forms of typed queries: one spelling per meaning, so one cache entry per query.

`  Nairobi  SAFARI! ` and `nairobi safari` give the same results, so they must share a URL
(the route redirects the first to the second) and a cursor scope. The forms keep only what
the search reads: words (letters, digits, `_`, any script), lower case (casefold), NFKC.
"""
from __future__ import annotations

import re
import unicodedata
from typing import List

from ..errors import BadRequest

MAX_WORDS = 8
MAX_WORD_CHARS = 40
MAX_NAME_CHARS = 64
_WORD = re.compile(r"\w+")
_NAME_CHARS = re.compile(r"[\w.]+")


def _fold(raw: str) -> str:
    # Presence and length are the query model's (schema.search): here only what `q` means.
    return unicodedata.normalize("NFKC", raw).casefold()


def words(raw: str) -> List[str]:
    """The words of a video query: `#Kenya  Safari!` -> ['kenya', 'safari'] (at most 8)."""
    found = [w[:MAX_WORD_CHARS] for w in _WORD.findall(_fold(raw))][:MAX_WORDS]
    if not found:
        raise BadRequest("'q' must contain a letter or digit")
    return found


def video_query(raw: str) -> str:
    return " ".join(words(raw))


def tsquery(normal: str) -> str:
    """to_tsquery text: every word required, the last one also as a prefix (as you type).
    Words hold only \\w characters, so no tsquery operator can come from the user."""
    parts = normal.split(" ")
    return " & ".join(parts[:-1] + [parts[-1] + ":*"])


def name_query(raw: str) -> str:
    """A person query: `@Wanjiku_K ` -> `wanjiku_k`; names keep dots and single spaces."""
    parts = _NAME_CHARS.findall(_fold(raw).replace("@", " "))
    normal = " ".join(parts)[:MAX_NAME_CHARS].strip()
    if not normal:
        raise BadRequest("'q' must contain a letter or digit")
    return normal


def hashtag_prefix(raw: str) -> str:
    """A hashtag prefix: `#Kenya` -> `kenya`; letters, digits and `_` only (the stored tags)."""
    normal = "".join(_WORD.findall(_fold(raw)))[:64]
    if not normal:
        raise BadRequest("'q' must contain a letter, digit or underscore")
    return normal


def like_prefix(text: str) -> str:
    """A LIKE pattern matching `text` as a prefix (its own `_`, `%` and `\\` taken literally)."""
    return re.sub(r"([\\%_])", r"\\\1", text) + "%"
