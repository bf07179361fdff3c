"""The deployment package with bytecode that Lambda can use: `chalice package`, then every
module of the zip (app.py, chalicelib, the vendored site-packages) compiled to unchecked-hash
pycs, and the zip rewritten in place.

    python devtools/build_package.py [--stage prod] [--out DIR]

Why: Lambda unzips the package into a read-only /var/task, so without pycs in the zip every
cold start compiles every module it imports, and cannot keep the result. Timestamp pycs (what
a plain `compileall` writes) compare the source's mtime, which unzipping may not preserve;
unchecked-hash pycs are used as they are (PEP 552). The source stays beside them for
tracebacks, and the pycs name /var/task/... as their file.

The rewritten zip replaces Chalice's cached package (.chalice/deployments/<hash>-python3.11.zip),
so a later `chalice deploy` prints "Reusing existing deployment package" and uploads this one.
Chalice's hash covers every file under chalicelib, so stale __pycache__ folders are removed
first and both commands must run with PYTHONDONTWRITEBYTECODE=1 (CI's deploy job does): a pyc
written in between would change the hash, and deploy would build a package without bytecode.
"""
from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from py_compile import PycInvalidationMode

ROOT = Path(__file__).resolve().parent.parent
LAMBDA_ROOT = "/var/task"  # where Lambda unzips the package: the pycs' file names


def remove_stale_bytecode(root: Path = ROOT) -> int:
    """Delete __pycache__ folders under app.py's package: Chalice would ship (and hash) them."""
    found = [p for p in (root / "chalicelib").rglob("__pycache__") if p.is_dir()]
    for folder in found:
        shutil.rmtree(folder)
    return len(found)


def chalice_package(stage: str, out: Path) -> Path:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    chalice = Path(sys.executable).parent / "chalice"
    subprocess.run([str(chalice), "package", "--stage", stage, str(out)], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=900)
    return out / "deployment.zip"


def lambda_runtime(out: Path) -> str:
    """The functions' runtime in the SAM template (all share one: Chalice's choice)."""
    template = json.loads((out / "sam.json").read_text())
    runtimes = {r["Properties"]["Runtime"] for r in template["Resources"].values()
                if r["Type"] == "AWS::Serverless::Function"}
    (runtime,) = runtimes
    return runtime


def check_interpreter(runtime: str) -> None:
    # A pyc is only read by the interpreter version whose magic number it carries.
    mine = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if runtime != mine:
        raise SystemExit(f"the package targets {runtime}; compile with that Python, not {mine}")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cached_copy(zip_path: Path, root: Path = ROOT) -> Path | None:
    """Chalice's cached package the output zip was copied from (same bytes), if any."""
    folder = root / ".chalice" / "deployments"
    want = _digest(zip_path)
    for candidate in sorted(folder.glob("*.zip")) if folder.is_dir() else []:
        if candidate.stat().st_size == zip_path.stat().st_size and _digest(candidate) == want:
            return candidate
    return None


def compile_zip(zip_path: Path) -> dict:
    """Rewrite `zip_path`: its entries (less any pyc) plus an unchecked-hash pyc per module."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="trendke-pkg-") as tmp:
        tree = Path(tmp) / "pkg"
        with zipfile.ZipFile(zip_path) as archive:
            entries = [i for i in archive.infolist()
                       if not i.filename.endswith(".pyc") and "__pycache__/" not in i.filename]
            archive.extractall(tree, members=entries)
        # optimize=0: Lambda runs python without -O, and only looks for plain .pyc names.
        ok = compileall.compile_dir(
            str(tree), quiet=2, workers=0, optimize=0, stripdir=str(tree), prependdir=LAMBDA_ROOT,
            invalidation_mode=PycInvalidationMode.UNCHECKED_HASH)
        pycs = sorted(tree.rglob("*.pyc"))
        sources = [e for e in entries if e.filename.endswith(".py")]
        rebuilt = zip_path.with_suffix(".tmp")
        with zipfile.ZipFile(zip_path) as src, \
                zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in entries:  # ZipInfo as it was: names, modes, dates
                dst.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
            for pyc in pycs:
                info = zipfile.ZipInfo(pyc.relative_to(tree).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                dst.writestr(info, pyc.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        os.replace(rebuilt, zip_path)
    return {"modules": len(sources), "pycs": len(pycs), "all_compiled": bool(ok),
            "seconds": round(time.perf_counter() - started, 1)}


def build(stage: str, out: Path) -> dict:
    removed = remove_stale_bytecode()
    zip_path = chalice_package(stage, out)
    check_interpreter(lambda_runtime(out))
    before = zip_path.stat().st_size
    cached = cached_copy(zip_path)
    report = compile_zip(zip_path)
    if cached is not None:  # what `chalice deploy` reuses
        shutil.copyfile(zip_path, cached)
    report.update(stale_pycache_removed=removed, zip=str(zip_path), cached=str(cached) if cached else None,
                  bytes_before=before, bytes_after=zip_path.stat().st_size)
    return report


def main(argv: list | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--out", default=str(ROOT / ".chalice" / "package-out"))
    args = parser.parse_args(argv)
    report = build(args.stage, Path(args.out))
    print(json.dumps(report, indent=1))
    # Not every vendored file need compile (a package's py2-only example, say); ours must.
    if report["pycs"] < report["modules"] * 0.95:
        raise SystemExit("fewer pycs than modules: see compileall's output")


if __name__ == "__main__":
    main()
