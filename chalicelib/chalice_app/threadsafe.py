"""Chalice keeps the request being handled in `app.current_request`, one attribute on the app
object. Lambda handles one request at a time per environment, but `chalice local`, the
Lambda-shaped local server (devtools/local_server.py) and in-process concurrency tests run
requests on several threads at once, where one thread's request would replace another's
mid-flight (a gift sent with another caller's token and Idempotency-Key). This app class keeps
the current request and Lambda context per thread; on Lambda it behaves exactly as Chalice's.

It also keeps the CORS headers Chalice would rebuild from the same CORSConfig on every request
(a few microseconds of every warm read; bench `overhead`).
"""
from __future__ import annotations

import threading
from typing import Any, Dict, Tuple

from chalice import Chalice


class ThreadLocalRequestChalice(Chalice):
    _per_thread = threading.local()  # one app per process (app.py); keyed by thread
    _cors_headers: Dict[int, Tuple[Any, Dict[str, Any]]] = {}

    def _get_cors_headers(self, cors: Any) -> Dict[str, Any]:
        # Chalice only reads the dict (adding what a response lacks); a config is not edited
        # once its routes are registered. Keyed by identity, the config kept beside it.
        held = self._cors_headers.get(id(cors))
        if held is None or held[0] is not cors:
            held = self._cors_headers[id(cors)] = (cors, super()._get_cors_headers(cors))
        return held[1]

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
