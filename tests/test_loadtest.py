"""The Locust file runs against the local stack's server with no failed request."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from chalicelib import config
from devtools.seed import SeedSizes, seed
from tests.support.live_server import live_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_locust_traffic_mix_runs_clean_against_the_local_stack(database_url, tmp_path, settings_env):
    from chalicelib.trending import writer

    with psycopg.connect(database_url, autocommit=True) as conn:
        seed(conn, SeedSizes(users=20, videos=80, likes=300, comments=100, follows=50))
    writer.refresh()
    settings_env(PUBLIC_BASE_URL="http://127.0.0.1:8000")
    locust = Path(sys.executable).parent / "locust"
    with live_server(environments=4) as base_url:
        done = subprocess.run(
            [str(locust), "-f", "loadtest/locustfile.py", "--headless", "--host", base_url,
             "-u", "16", "-r", "16", "-t", "8s", "--csv", str(tmp_path / "run"), "--only-summary"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "JWT_SECRET": config.DEV_JWT_SECRET},
        )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with open(tmp_path / "run_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    assert int(total["Request Count"]) > 50
    assert int(total["Failure Count"]) == 0
    assert {"/v1/trending", "/v1/feed", "/v1/videos/{id}"} <= set(rows)
