"""Chalice keeps the request being handled in `app.current_request`, one attribute on the app
object. Lambda handles one request at a time per environment, but `chalice local`, the
Lambda-shaped local server (devtools/local_server.py) and in-process concurrency tests run
requests on several threads at once, where one thread's request would replace another's
mid-flight (a gift sent with another caller's token and Idempotency-Key). This app class keeps
the current request and Lambda context per thread; on Lambda it behaves exactly as Chalice's.

Requests are handled by rest_handler.RestHandler: Chalice's, with its per-request repeats done
once.
"""
from __future__ import annotations

import threading
from typing import Any, Dict

from chalice import Chalice

from .rest_handler import RestHandler


class ThreadLocalRequestChalice(Chalice):
    _per_thread = threading.local()  # one app per process (app.py); keyed by thread

    def __call__(self, event: Any, context: Any) -> Dict[str, Any]:
        # Chalice.__call__ (chalice 1.34, pinned) with our handler class in place of its own.
        self.lambda_context = context
        handler = RestHandler(self.routes, self.api, self.log, self.debug,
                              middleware_handlers=self._get_middleware_handlers("http"))
        self.current_request = handler.create_request_object(event, context)
        return handler(event, context)

    @property  # type: ignore[override]
    def current_request(self) -> Any:
        return getattr(self._per_thread, "request", None)

    @current_request.setter
    def current_request(self, value: Any) -> None:
        self._per_thread.request = value

    @property  # type: ignore[override]
    def lambda_context(self) -> Any:
        return getattr(self._per_thread, "context", None)

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        self._per_thread.context = value


