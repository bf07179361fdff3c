"""Cold-start cost: `import app` in a fresh interpreter (target: under 150 ms)."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15


def _once(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    baseline = [_once("pass") for _ in range(RUNS)]
    with_app = [_once("import app") for _ in range(RUNS)]
    base_ms, app_ms = statistics.median(baseline), statistics.median(with_app)
    print(f"interpreter start alone      p50 {base_ms:7.1f} ms")
    print(f"interpreter + import app     p50 {app_ms:7.1f} ms")
    print(f"import app (difference)      p50 {app_ms - base_ms:7.1f} ms   target < 150 ms")
    _built_package()


def _built_package() -> None:
    """The deployed shape: the zip devtools/build_package.py writes, read-only, -B."""
    import tempfile

    from devtools import build_package, cold_start

    out = ROOT / ".chalice" / "package-out"
    if not (out / "deployment.zip").is_file():
        build_package.build("prod", out)
    with tempfile.TemporaryDirectory() as work:
        r = cold_start.compare(out / "deployment.zip", Path(work), runs=RUNS // 2)
    print(f"built package, read-only, -B: import app p50 {r['with_pyc']:7.1f} ms with its pycs"
          f" ({len(r['compiled_with_pyc'])} compiled), {r['without_pyc']:.1f} ms without"
          f" ({r['compiled_without_pyc']} compiled)   target < 150 ms")
