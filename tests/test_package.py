"""The package `chalice package` builds works on its own, as Lambda would run it.

Built for real, unzipped, and run in a clean interpreter (-I -S: no site-packages, no user
environment) whose only import path is the unzipped package plus this test's event builders.
Every function in the generated SAM template is invoked through its Handler string.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RUNNER = r"""
import importlib, json, sys
pkg, support, handlers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path[:0] = [pkg, support]
from lambda_events import LambdaContext, api_gateway_event, scheduled_event

results = {}
for name, spec in handlers.items():
    module_name, attr = spec["handler"].rsplit(".", 1)
    handler = getattr(importlib.import_module(module_name), attr)
    if spec["kind"] == "api":
        out = handler(api_gateway_event("GET", "/health"), LambdaContext(name))
    elif spec["kind"] == "socket":  # a connection the live socket never had
        out = handler({"requestContext": {"routeKey": "$disconnect", "eventType": "DISCONNECT",
                                          "connectionId": "packaged-test", "apiId": "abc123", "stage": "api",
                                          "domainName": "abc123.execute-api.eu-west-1.amazonaws.com"},
                       "isBase64Encoded": False}, LambdaContext(name))
    elif spec["kind"] == "lambda":  # the live welcome, for a socket that is not there
        out = handler({"connection_id": "packaged-test"}, LambdaContext(name))
    else:
        out = handler(scheduled_event(), LambdaContext(name))
    results[name] = out
import psycopg, chalice
results["_loaded_from"] = {"psycopg": psycopg.__file__, "chalice": chalice.__file__}
print(json.dumps(results, default=str))
"""


@pytest.mark.slow
def test_packaged_handlers_import_and_answer_in_a_clean_interpreter(capsys, tmp_path, database_url):
    out = tmp_path / "out"
    env = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-1"}
    chalice = Path(sys.executable).parent / "chalice"
    subprocess.run([str(chalice), "package", "--stage", "dev", str(out)], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=600)
    zip_path = out / "deployment.zip"
    size_mb = zip_path.stat().st_size / 1e6
    with capsys.disabled():  # in the suite's output, not only on failure
        print(f"\n[package] deployment.zip: {size_mb:.1f} MB ({zip_path.stat().st_size:,} bytes)")

    pkg = tmp_path / "pkg"
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        archive.extractall(pkg)
    assert not any(n.startswith(("tests/", "devtools/", "bench/")) for n in names)

    template = json.loads((out / "sam.json").read_text())
    from app import app
    from chalice.app import ScheduledEventConfig

    sockets = {h.handler_string for h in app.websocket_handlers.values()}
    plain = {f.handler_string for f in app.pure_lambda_functions}
    handlers = {}
    for name, res in template["Resources"].items():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        events = res["Properties"].get("Events", {}).values()
        handler = res["Properties"]["Handler"]
        kind = ("scheduled" if any(e["Type"] == "Schedule" for e in events) else
                "socket" if handler in sockets else "lambda" if handler in plain else "api")
        handlers[name] = {"handler": handler, "kind": kind}
    assert [h["kind"] for h in handlers.values()].count("api") == 1
    assert [h["kind"] for h in handlers.values()].count("socket") == len(app.websocket_handlers) == 3
    # Every scheduled job the app registers is packaged as a function of its own (none yet
    # until the jobs land: the count is the app's, not a constant).

    jobs = [s for s in app.event_sources if isinstance(s, ScheduledEventConfig)]
    assert [h["kind"] for h in handlers.values()].count("scheduled") == len(jobs)

    run_env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": database_url,
        "STAGE": "dev",
        "AWS_REGION": "eu-west-1",  # Lambda always sets it (the socket handlers' endpoint)
        "JWT_SECRET": "x" * 32,
        "CLOUDINARY_URL": os.environ["CLOUDINARY_URL"],
        "TRENDING_LOCAL_DIR": str(tmp_path / "store"),
    }
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", RUNNER, str(pkg), str(ROOT / "tests" / "support"), json.dumps(handlers)],
        env=run_env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])

    for module_file in results.pop("_loaded_from").values():
        assert module_file.startswith(str(pkg)), module_file
    for name, spec in handlers.items():
        if spec["kind"] == "api":
            answer = results[name]
            assert answer["statusCode"] == 200
            assert json.loads(answer["body"])["database"] == "connected"
        elif spec["kind"] == "socket" and spec["handler"].endswith("live_connect"):
            # The same event at $connect: no session, refused at the handshake with a reason.
            assert results[name]["statusCode"] == 400 and "session_id" in results[name]["body"]
        elif spec["kind"] == "socket":
            assert results[name] == {"statusCode": 200}
        elif spec["kind"] == "lambda":
            assert results[name] == {"welcomed": False}
        print(f"[package] {name} ({spec['handler']}): {str(results[name])[:120]}")
