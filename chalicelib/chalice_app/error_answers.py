"""The one place domain errors (chalicelib/errors.py) become HTTP: status and headers."""
from __future__ import annotations

from typing import Dict, Type

from chalice import Response

from .. import errors
from ..http import error_response

STATUS: Dict[Type[errors.DomainError], int] = {
    errors.BadRequest: 400,
    errors.Unauthorized: 401,
    errors.PaymentRequired: 402,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Gone: 410,
    errors.PayloadTooLarge: 413,
    errors.TooManyRequests: 429,
    errors.BadGateway: 502,
    errors.ServiceUnavailable: 503,
}


def status_of(error: errors.DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def headers_of(error: errors.DomainError) -> Dict[str, str]:
    if isinstance(error, errors.Unauthorized):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, errors.TooManyRequests):
        return {"Retry-After": str(max(1, int(error.retry_after_s)))}
    return {}


def answer(error: errors.DomainError) -> Response:
    return error_response(status_of(error), error.detail, headers_of(error))
