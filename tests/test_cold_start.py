"""Importing the handler module does no I/O and loads no heavy package (cold starts)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, socket, sys
def refuse(*a, **k):
    raise AssertionError("network or database touched at import time")
socket.socket.connect = refuse
socket.create_connection = refuse
import app
heavy = sorted(m for m in ("psycopg", "jwt", "cryptography", "cloudinary", "boto3", "botocore")
               if m in sys.modules)
print(json.dumps({"heavy": heavy, "routes": sorted(app.app.routes)}))
"""


def test_import_app_loads_no_heavy_package_and_touches_nothing():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                          env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "PATH": ""})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["heavy"] == []
    assert "/health" in out["routes"]
