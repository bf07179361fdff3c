"""What the bench-only baseline apps (routes written the old way) share."""
from __future__ import annotations

import functools
from typing import Any, Callable


def answering_domain_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """A hand-written view's domain errors answered as a declared route's are (Chalice would
    answer any exception out of a view with a 500)."""
    from chalicelib.chalice_app import error_answers
    from chalicelib.errors import DomainError

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            return error_answers.answer(error)

    return wrapped
