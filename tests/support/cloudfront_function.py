"""Runs a CloudFront Function file (infra/*.js) under node as CloudFront does: a bare
`handler(event)` in the file's scope, one viewer-request event per request."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

INFRA = Path(__file__).resolve().parent.parent.parent / "infra"

HARNESS = """
const fs = require('fs');
const handler = new Function(fs.readFileSync(process.argv[1], 'utf8') + '\\nreturn handler;')();
const events = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(events.map((e) => handler(e))));
"""


def run(name: str, requests: list) -> list:
    """What the function returns for each request (a dict of request fields: uri, method...)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    events = [{"version": "1.0", "context": {"eventType": "viewer-request"}, "viewer": {"ip": "1.2.3.4"},
               "request": {"method": "GET", "headers": {}, "cookies": {}, "querystring": {}, **r}}
              for r in requests]
    done = subprocess.run([node, "-e", HARNESS, str(INFRA / name)], input=json.dumps(events),
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)
