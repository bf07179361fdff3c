"""`chalice local`, shaped like Lambda: a fixed set of execution environments.

Chalice's own local server starts a thread per connection, so every request would open a
database connection of its own and drop it: nothing like Lambda, where an execution
environment serves one request at a time and keeps its connection while warm. Here the
server hands each request to one of N long-lived worker threads (the "environments"), each
keeping its own thread-local connection across requests; when all are busy, requests wait,
as Lambda throttles at its reserved concurrency. One request per TCP connection, so an idle
browser connection never pins an environment.
"""
from __future__ import annotations

import functools
import logging
import os
import queue
import sys
import threading
from http.server import HTTPServer

from chalicelib import config as settings
from devtools.local_db import PROJECT_ROOT

DEFAULT_ENVIRONMENTS = 8


class EnvironmentPoolServer(HTTPServer):
    # socketserver's default backlog of 5 drops connections under a burst, and the client's
    # SYN retry then costs a full second.
    request_queue_size = 256

    def __init__(self, address, handler_cls, environments: int = DEFAULT_ENVIRONMENTS):
        super().__init__(address, handler_cls)
        self._requests: "queue.Queue" = queue.Queue()
        self._workers = [
            threading.Thread(target=self._environment, name=f"env-{number}", daemon=True)
            for number in range(environments)
        ]
        for worker in self._workers:
            worker.start()

    def process_request(self, request, client_address):
        self._requests.put((request, client_address))

    def server_close(self) -> None:
        """Retire the environments: each closes its database connection and ends."""
        super().server_close()
        for _ in self._workers:
            self._requests.put(None)
        for worker in self._workers:
            worker.join(timeout=5)

    def _environment(self) -> None:
        from chalicelib import db

        while True:
            item = self._requests.get()
            if item is None:
                db.close()
                return
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)


def _handler_cls():
    from chalice.local import ChaliceRequestHandler

    class OneRequestPerConnection(ChaliceRequestHandler):
        protocol_version = "HTTP/1.0"
        def __getattr__(self, name: str):
            # Any other method (TRACE, QUERY, ...), which http.server would answer 501, goes
            # through the gateway like the rest: it answers 403, as API Gateway does for a
            # method a resource does not declare.
            if name.startswith("do_"):
                return self._generic_handle
            raise AttributeError(name)

    return OneRequestPerConnection


def build(host: str, port: int, stage: str = "dev", environments: int = DEFAULT_ENVIRONMENTS):
    """Chalice's LocalDevServer for the app, as `chalice local --stage STAGE` builds it, on a pool."""
    from chalice.cli.factory import CLIFactory
    from chalice.deploy.validate import validate_routes
    from chalice.local import LocalDevServer

    factory = CLIFactory(str(PROJECT_ROOT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=stage)
    # The stage's variables first, read afresh: the app reads settings when it is imported
    # (its CORS origin), and this process may have read them before, without the stage's.
    os.environ.update(config.environment_variables)
    settings.reset()
    app_obj = config.chalice_app
    validate_routes(app_obj.routes)
    return LocalDevServer(
        app_obj,
        config,
        host,
        port,
        handler_cls=_handler_cls(),
        server_cls=functools.partial(EnvironmentPoolServer, environments=environments),
    )


def serve(host: str, port: int, stage: str = "dev", environments: int = DEFAULT_ENVIRONMENTS) -> None:
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    server = build(host, port, stage, environments)
    print(f"{environments} execution environments")
    server.serve_forever()
