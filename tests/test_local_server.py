"""The local stack serves like Lambda: N environments, each keeping one connection."""
from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import urlsplit

from tests.support.live_server import live_server


def test_concurrent_requests_share_one_connection_per_environment(database_url, sql):
    # Only this server's connections: an earlier test's server (test_loadtest) may still hold
    # its environments' connections.
    started = sql("SELECT now() AS t")[0]["t"]
    statuses = []

    with live_server(environments=4) as base_url:
        port = urlsplit(base_url).port

        def client() -> None:
            for _ in range(10):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/health")
                response = conn.getresponse()
                statuses.append((response.status, json.loads(response.read())["database"]))
                conn.close()

        workers = [threading.Thread(target=client) for _ in range(12)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        open_connections = sql(
            "SELECT count(*) AS n FROM pg_stat_activity"
            " WHERE application_name = 'trendke-api' AND datname = current_database()"
            " AND backend_start >= %s", (started,)
        )[0]["n"]
    assert statuses == [(200, "connected")] * 120
    assert 1 <= open_connections <= 4
