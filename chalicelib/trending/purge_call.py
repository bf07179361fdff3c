"""Asking for a trending purge after a removal has committed (moderation, an owner's delete, a
failed moderation, a refresh that wrote a video removed meanwhile).

This environment leaves the videos out of its own trending answers at once (hidden.py, no
I/O). The stored lists and the edge are the trending_purge function's (removal.py): an
asynchronous Lambda invocation when TRENDING_PURGE_FUNCTION is set (production: the callers
may invoke it but not write the public objects, tests/test_iam_policy.py), else the purge runs
inline (`make dev`, the local stack, tests), which keeps the local bound. Its own module, like
live/welcome_call.py, so that the lambda:InvokeFunction call is reached only by its callers.
Failures are logged, never raised: the content is already hidden in Postgres, and the next
refresh ranks without it.
"""
from __future__ import annotations

import logging
import os
import uuid
from typing import Any, Iterable, List

from .. import invoke_async
from . import hidden

log = logging.getLogger("trendke.trending")
CHUNK = 1000  # ids per invocation: ~40 KB, far under the 256 KB asynchronous payload limit
FUNCTION_ENV = "TRENDING_PURGE_FUNCTION"


def request(video_ids: Iterable[str]) -> List[Any]:
    """Purge the videos: the invocations' status codes, or the inline results."""
    ids = sorted({str(v) for v in video_ids})
    if not ids:
        return []
    hidden.hide(ids)
    function = os.environ.get(FUNCTION_ENV)
    out = []
    for start in range(0, len(ids), CHUNK):
        chunk, reference = ids[start:start + CHUNK], uuid.uuid4().hex
        out.append(_invoke(function, chunk, reference) if function else _inline(chunk, reference))
    return out


def forget() -> None:
    """Drop the Lambda client (tests and moto)."""
    invoke_async.forget()


def _invoke(function: str, ids: List[str], reference: str) -> Any:
    try:
        return invoke_async.invoke(function, {"video_ids": ids, "reference": reference})
    except Exception as exc:  # the next refresh drops them; this environment already does
        log.error("could not ask %s to purge %d video(s) from trending: %s", function, len(ids), exc)
        return None


def _inline(ids: List[str], reference: str) -> Any:
    """Without the function (never in production: TRENDING_PURGE_FUNCTION is set there)."""
    from . import removal

    try:
        return removal.purge(ids, reference)
    except Exception as exc:
        log.error("trending purge of %d video(s) failed (the next refresh drops them): %s", len(ids), exc)
        return None
