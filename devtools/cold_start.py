"""A cold start as Lambda sees it: `import app` from an unzipped package in a read-only
folder, a fresh interpreter (-I -S: no site-packages, no user environment), bytecode writing
off (-B: -I ignores PYTHONDONTWRITEBYTECODE, and root writes to a
read-only folder anyway). Used by tests/test_package.py and bench/import_time.py.

`probe` also counts the modules compiled from source during the import (a wrapper around
SourceLoader.source_to_code, which the import system calls only when no usable pyc exists),
so a package whose pycs are ignored shows it, whatever the clock says.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

PROBE = r"""
import json, sys, time
import importlib._bootstrap_external as ext
compiled = []
original = ext.SourceLoader.source_to_code
def counting(self, data, path, *a, **k):
    compiled.append(path)
    return original(self, data, path, *a, **k)
ext.SourceLoader.source_to_code = counting
sys.path.insert(0, sys.argv[1])
started = time.perf_counter()
import app
took = time.perf_counter() - started
print(json.dumps({"import_ms": took * 1000, "compiled": compiled,
                  "app_file": app.__file__, "cached": app.__spec__.cached}))
"""


def unzip_read_only(zip_path: Path, folder: Path, with_bytecode: bool = True) -> Path:
    """The package as /var/task holds it: unzipped, nothing writable."""
    if folder.exists():
        for path in folder.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)
    with zipfile.ZipFile(zip_path) as archive:
        names = [n for n in archive.namelist() if with_bytecode or not n.endswith(".pyc")]
        archive.extractall(folder, members=names)
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    folder.chmod(0o555)
    return folder


def _environment() -> dict:
    # What Lambda's runtime sets that matters here; app.py reads nothing else at import.
    return {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1",
            "LANG": "C.UTF-8", "STAGE": "dev"}


def probe(pkg: Path, python: str = sys.executable) -> dict:
    """One cold import of `app` from `pkg`: its time inside the interpreter, the modules
    compiled from source, and the wall time of the whole process."""
    started = time.perf_counter()
    done = subprocess.run([python, "-I", "-S", "-B", "-c", PROBE, str(pkg)], env=_environment(),
                          capture_output=True, text=True, timeout=60, cwd="/")
    wall = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_ms"] = wall
    return out


def interpreter_ms(python: str = sys.executable) -> float:
    started = time.perf_counter()
    subprocess.run([python, "-I", "-S", "-B", "-c", "pass"], env=_environment(), check=True, cwd="/")
    return (time.perf_counter() - started) * 1000


def compare(zip_path: Path, work: Path, runs: int = 9) -> dict:
    """Median cold import with the package's pycs and without them (the same zip, pycs
    dropped), interleaved so the shared machine's noise hits both alike."""
    with_pyc = unzip_read_only(zip_path, work / "with-pyc")
    without = unzip_read_only(zip_path, work / "without-pyc", with_bytecode=False)
    samples = {"with_pyc": [], "without_pyc": [], "interpreter": []}
    compiled = {}
    for _ in range(runs):
        for name, pkg in (("with_pyc", with_pyc), ("without_pyc", without)):
            result = probe(pkg)
            samples[name].append(result["import_ms"])
            compiled[name] = result["compiled"]
        samples["interpreter"].append(interpreter_ms())
    report = {name: statistics.median(values) for name, values in samples.items()}
    report["compiled_with_pyc"] = compiled["with_pyc"]
    report["compiled_without_pyc"] = len(compiled["without_pyc"])
    return report


def is_read_only(folder: Path) -> bool:
    return not (folder.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
