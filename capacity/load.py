"""Step load tests with Locust against the local stack (the Lambda-shaped local server,
devtools/local_server.py, in a child process on its own database), headless, one Locust run
per step. While each step runs, the CPU of the server, of Postgres and of Locust itself is
sampled (psutil, which Locust depends on), so the step that crosses the knee says why.
"""
from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List

import psutil

ROOT = Path(__file__).resolve().parent.parent
STEPS = [10, 50, 100, 250, 500, 1000]
SEED_STEPS = [("light", 10), ("medium", 50), ("heavy", 100), ("stress", 500)]
STEP_S = int(os.environ.get("CAPACITY_STEP_S", "15"))
ENVIRONMENTS = 8
KNEE_P99_MS = 500

SERVER = r"""
import sys
from devtools import local_server
local_server.serve("127.0.0.1", int(sys.argv[1]), stage="dev", environments=int(sys.argv[2]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict):
        self.port = _free_port()
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(self.port), str(ENVIRONMENTS)],
                                     cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the local server did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def _postgres_processes() -> List[psutil.Process]:
    """This worktree's embedded Postgres (its postmaster and backends), not other ones."""
    pid_file = ROOT / ".local" / "pgdata" / "postmaster.pid"
    try:
        main = psutil.Process(int(pid_file.read_text().split()[0]))
        return [main, *main.children(recursive=True)]
    except (OSError, ValueError, psutil.Error):
        return []


class CpuSampler(threading.Thread):
    """Average CPU (in cores) of the server, Postgres and Locust over a step."""

    def __init__(self, server_pid: int):
        super().__init__(daemon=True)
        self.groups = {"server": [psutil.Process(server_pid)], "postgres": _postgres_processes()}
        self.postmaster = self.groups["postgres"][:1]
        self.locust: List[psutil.Process] = []
        self.samples: Dict[str, List[float]] = {"server": [], "postgres": [], "locust": [], "machine": []}
        self.stopped = threading.Event()

    def _cores(self, procs: List[psutil.Process]) -> float:
        total = 0.0
        for p in procs:
            try:
                total += p.cpu_percent(None) / 100
            except psutil.Error:
                pass
        return total

    def run(self) -> None:
        psutil.cpu_percent(None)
        for group in self.groups.values():
            self._cores(group)
        while not self.stopped.wait(1.0):
            if self.postmaster:  # backends come and go with the server's connections
                try:
                    fresh = self.postmaster[0].children(recursive=True)
                    known = {p.pid for p in self.groups["postgres"]}
                    self.groups["postgres"] += [p for p in fresh if p.pid not in known]
                except psutil.Error:
                    pass
            for name, group in self.groups.items():
                self.samples[name].append(self._cores(group))
            self.samples["locust"].append(self._cores(self.locust))
            self.samples["machine"].append(psutil.cpu_percent(None) / 100 * psutil.cpu_count())

    def averages(self) -> Dict[str, float]:
        return {k: (sum(v[1:]) / max(1, len(v) - 1)) for k, v in self.samples.items()}


def run_step(host: str, locustfile: str, users: int, seconds: int, env: dict, sampler: CpuSampler) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp) / "step")
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "locust"), "-f", locustfile, "--headless", "--host", host,
             "-u", str(users), "-r", str(max(1, users // 3)), "-t", f"{seconds}s", "--csv", prefix,
             "--only-summary", "--stop-timeout", "5"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sampler.locust = [psutil.Process(proc.pid)]
        proc.wait(timeout=seconds + 120)
        with open(prefix + "_stats.csv") as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows.pop("Aggregated")

    def figures(row: dict) -> dict:
        n = int(row["Request Count"])
        return {"requests": n, "failures": int(row["Failure Count"]), "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0), "p95": float(row["95%"] or 0), "p99": float(row["99%"] or 0)}

    return {"users": users, **figures(total), "by_route": {name: figures(r) for name, r in rows.items()}}


def step_test(env: dict, steps: List[int], locustfile: str, seconds: int = STEP_S) -> List[dict]:
    server = Server(env)
    try:
        results = []
        for users in steps:
            sampler = CpuSampler(server.proc.pid)
            sampler.start()
            result = run_step(server.url, locustfile, users, seconds, env, sampler)
            sampler.stopped.set()
            sampler.join()
            result["cpu"] = sampler.averages()
            results.append(result)
        return results
    finally:
        server.stop()


def knee(results: List[dict]) -> dict | None:
    for r in results:
        if r["p99"] > KNEE_P99_MS or r["failures"]:
            return r
    return None


def bottleneck(step: dict) -> str:
    """Which resource ran out, from the CPU sampled during the step."""
    cpu, cores = step["cpu"], psutil.cpu_count()
    ours = cpu["server"] + cpu["postgres"] + cpu["locust"]
    others = max(0.0, cpu["machine"] - ours)
    parts = [f"machine {cpu['machine']:.2f} of {cores} cores busy", f"server {cpu['server']:.2f} cores",
             f"Postgres {cpu['postgres']:.2f}", f"Locust {cpu['locust']:.2f}", f"other processes {others:.2f}"]
    if cpu["machine"] > 0.85 * cores and others > ours:
        cause = "the machine's cores are saturated, mostly by other processes (the machine is shared)"
    elif cpu["machine"] > 0.85 * cores:
        cause = "the machine's cores are saturated (server, Postgres and Locust share them)"
    elif cpu["server"] > 0.85:
        cause = "the server process is CPU-bound on one core (Python's GIL: its 8 environments share it)"
    elif cpu["postgres"] > 0.85:
        cause = "Postgres is CPU-bound"
    else:
        cause = (f"queueing for the {ENVIRONMENTS} execution environments (reserved concurrency"
                 " of the local server); slow requests (bcrypt log-ins) hold them")
    return f"{cause}: " + ", ".join(parts)
