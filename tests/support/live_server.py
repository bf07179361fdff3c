"""The local stack's server (the one `make dev` runs) on a free loopback port, in a thread."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Iterator

from chalicelib import config


@contextmanager
def live_server(environments: int = 4) -> Iterator[str]:
    from devtools import local_server

    saved = dict(os.environ)
    server = local_server.build("127.0.0.1", 0, stage="dev", environments=environments)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.shutdown()
        server.server.server_close()
        os.environ.clear()
        os.environ.update(saved)
        config.reset()
