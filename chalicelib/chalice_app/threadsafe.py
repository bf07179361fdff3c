"""Chalice keeps the request being handled in `app.current_request`, one attribute on the app
object. Lambda handles one request at a time per environment, but `chalice local`, the
Lambda-shaped local server (devtools/local_server.py) and in-process concurrency tests run
requests on several threads at once, where one thread's request would replace another's
mid-flight (a gift sent with another caller's token and Idempotency-Key). This app class keeps
the current request and Lambda context per thread; on Lambda it behaves exactly as Chalice's.
"""
from __future__ import annotations

import threading
from typing import Any

from chalice import Chalice


class ThreadLocalRequestChalice(Chalice):
    _per_thread = threading.local()  # one app per process (app.py); keyed by thread

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
