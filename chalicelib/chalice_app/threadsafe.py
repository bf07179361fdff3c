"""Chalice keeps the request being handled in `app.current_request`, one attribute on the app
object. Lambda handles one request at a time per environment, but `chalice local`, the
Lambda-shaped local server (devtools/local_server.py) and in-process concurrency tests run
requests on several threads at once, where one thread's request would replace another's
mid-flight (a gift sent with another caller's token and Idempotency-Key). This app class keeps
the current request and Lambda context per thread; on Lambda it behaves exactly as Chalice's.

It also gives an actual (non-preflight) answer only the CORS headers a browser reads on one:
Allow-Origin, Expose-Headers and Allow-Credentials, built once per CORSConfig. Allow-Headers and
Max-Age matter only on a preflight, which API Gateway (and `chalice local`) answer from the
CORSConfig itself, unchanged. Chalice would rebuild and add all five to every answer: two
headers more through its case-insensitive maps per request (bench `overhead`).
"""
from __future__ import annotations

import threading
from typing import Any, Dict, Tuple

from chalice import Chalice
from chalice.app import RestAPIEventHandler

# The CORS response headers the Fetch standard reads on an actual (non-preflight) response.
ACTUAL_RESPONSE_CORS_HEADERS = frozenset({
    "Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Access-Control-Allow-Credentials"})


class ThreadLocalRequestChalice(Chalice):
    _per_thread = threading.local()  # one app per process (app.py); keyed by thread

    def __call__(self, event: Any, context: Any) -> Dict[str, Any]:
        # Chalice.__call__ (chalice 1.34, pinned) with our handler class in place of its own.
        self.lambda_context = context
        handler = _RestHandler(self.routes, self.api, self.log, self.debug,
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


_actual_cors: Dict[int, Tuple[Any, Dict[str, Any]]] = {}


class _RestHandler(RestAPIEventHandler):
    def _get_cors_headers(self, cors: Any) -> Dict[str, Any]:
        # Chalice only reads the dict (adding what a response lacks); a config is not edited
        # once its routes are registered. Keyed by identity, the config kept beside it.
        held = _actual_cors.get(id(cors))
        if held is None or held[0] is not cors:
            full = super()._get_cors_headers(cors)
            actual = {k: v for k, v in full.items() if k in ACTUAL_RESPONSE_CORS_HEADERS}
            held = _actual_cors[id(cors)] = (cors, actual)
        return held[1]
