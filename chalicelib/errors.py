"""The errors the logic raises: what went wrong in the domain, not how HTTP says it.

The HTTP layer (chalice_app/error_answers.py) is the one place that maps each to a status
code and headers. The class names read like HTTP's where the meaning is the same (a bad
request is bad input whatever carries it); none of them knows a status code.
"""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error with an answer of its own: `detail` is safe to show the caller."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class BadRequest(DomainError):
    """The input breaks a rule; nothing was changed."""


class Unauthorized(DomainError):
    """No caller, or not the one the token claims (missing, expired, revoked, forged)."""

    def __init__(self, detail: str = "Not authenticated"):
        super().__init__(detail)


class PaymentRequired(DomainError):
    """Not enough coins for what was asked (nothing was taken)."""


class Forbidden(DomainError):
    """A known caller who may not do this."""


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    """The request contradicts the state (or an earlier request with the same key)."""


class BadGateway(DomainError):
    """A payment provider answered with an error or not at all."""


class Gone(DomainError):
    pass


class PayloadTooLarge(DomainError):
    pass


class TooManyRequests(DomainError):
    """A rate limit: `retry_after_s` says when the caller may try again."""

    def __init__(self, detail: str, retry_after_s: int):
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class ServiceUnavailable(DomainError):
    """A dependency (the database, the key set, the trending store) did not answer."""

