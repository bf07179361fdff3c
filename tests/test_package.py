"""The package devtools/build_package.py builds (`chalice package`, then unchecked-hash pycs)
works on its own, as Lambda would run it, and its bytecode is what a cold start loads.

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


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    from devtools import build_package

    out = tmp_path_factory.mktemp("package") / "out"
    report = build_package.build("dev", out)
    report["out"] = out
    return report


@pytest.mark.slow
def test_packaged_handlers_import_and_answer_in_a_clean_interpreter(capsys, tmp_path, database_url, built):
    out = built["out"]
    zip_path = out / "deployment.zip"
    size_mb = zip_path.stat().st_size / 1e6
    with capsys.disabled():  # in the suite's output, not only on failure
        print(f"\n[package] deployment.zip: {size_mb:.1f} MB ({zip_path.stat().st_size:,} bytes),"
              f" {built['pycs']} unchecked-hash pycs")

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
        elif spec["handler"].endswith("trending_purge"):  # the runner's event is no purge request
            assert results[name] == {"purged": 0, "error": "malformed event"}
        elif spec["kind"] == "lambda":
            assert results[name] == {"welcomed": False}
        print(f"[package] {name} ({spec['handler']}): {str(results[name])[:120]}")


def _pyc_header(data: bytes) -> tuple:
    flags = int.from_bytes(data[4:8], "little")
    return flags & 1, flags & 2  # hash-based, check_source


@pytest.mark.slow
def test_every_module_ships_an_unchecked_hash_pyc_for_the_runtime(built):
    import importlib.util
    import marshal

    with zipfile.ZipFile(built["out"] / "deployment.zip") as archive:
        names = set(archive.namelist())
        sources = [n for n in names if n.endswith(".py")]
        tag = sys.implementation.cache_tag  # cpython-311: the runtime's (build_package checks)
        for source in sources:
            folder, _, stem = source.rpartition("/")
            pyc = f"{folder + '/' if folder else ''}__pycache__/{stem[:-3]}.{tag}.pyc"
            assert pyc in names, source
        app_pyc = archive.read(f"__pycache__/app.{tag}.pyc")
        stale = [n for n in names if n.endswith(".pyc") and f".{tag}." not in n]
    assert stale == []
    assert app_pyc[:4] == importlib.util.MAGIC_NUMBER
    assert _pyc_header(app_pyc) == (1, 0)  # hash-based, source never checked
    # Tracebacks on Lambda name the file where it is.
    assert marshal.loads(app_pyc[16:]).co_filename == "/var/task/app.py"


@pytest.mark.slow
def test_a_cold_import_from_a_read_only_copy_compiles_nothing(built, tmp_path, capsys):
    """A fresh interpreter, bytecode writing off, the package read-only: `import app` loads
    every module of the package from its pyc. The same zip without pycs compiles them all."""
    from devtools import cold_start

    report = cold_start.compare(built["out"] / "deployment.zip", tmp_path, runs=5)
    assert cold_start.is_read_only(tmp_path / "with-pyc")
    assert report["compiled_with_pyc"] == []
    assert report["compiled_without_pyc"] > 50
    assert report["with_pyc"] < report["without_pyc"]
    with capsys.disabled():
        print(f"\n[package] cold `import app`, median of 5: {report['with_pyc']:.0f} ms with the"
              f" shipped pycs (target < 150 ms), {report['without_pyc']:.0f} ms compiling"
              f" {report['compiled_without_pyc']} modules; interpreter start"
              f" {report['interpreter']:.0f} ms")


@pytest.mark.slow
def test_chalice_reuses_the_compiled_package_as_deploy_will(built, tmp_path):
    """`chalice deploy` packages through the same cache as `chalice package`: with no pyc
    written under chalicelib in between, a second package is the compiled one, unchanged."""
    from devtools import build_package

    build_package.remove_stale_bytecode()
    again = build_package.chalice_package("prod", tmp_path / "again")
    first = built["out"] / "deployment.zip"
    assert again.read_bytes() == first.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert f"__pycache__/app.{sys.implementation.cache_tag}.pyc" in archive.namelist()
