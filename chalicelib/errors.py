"""Errors the logic raises; the HTTP layer turns each into `{"detail": ...}` and its status."""
from __future__ import annotations

from typing import Dict, Optional

from chalice import ChaliceUnhandledError


class ApiError(ChaliceUnhandledError):
    """Base of every error with an answer of its own.

    Chalice turns any other exception raised in a view into its own 500 before middleware
    sees it; ChaliceUnhandledError is the one it lets through to our middleware, which then
    answers `{"detail": ...}` with `status`.
    """

    status = 500

    def __init__(self, detail: str, headers: Optional[Dict[str, str]] = None):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401

    def __init__(self, detail: str = "Not authenticated"):
        super().__init__(detail, {"WWW-Authenticate": "Bearer"})


class PaymentRequired(ApiError):
    """Not enough coins for what was asked (nothing was taken)."""

    status = 402


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class BadGateway(ApiError):
    """A payment provider answered with an error or not at all."""

    status = 502


class Gone(ApiError):
    status = 410


class PayloadTooLarge(ApiError):
    status = 413


class TooManyRequests(ApiError):
    status = 429

    def __init__(self, detail: str, retry_after_s: int):
        super().__init__(detail, {"Retry-After": str(max(1, int(retry_after_s)))})
        self.retry_after_s = retry_after_s


class ServiceUnavailable(ApiError):
    status = 503
