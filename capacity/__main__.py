"""`make capacity`: measure on this machine, compute the tiers, write docs/capacity.md and
docs/capacity.png. Steps: in-process route costs and the trending refresh against size,
bcrypt, the hot path's overhead, the Locust step test and the seed's load pattern, then the
model (capacity/model.py) at the dated prices (capacity/prices.toml)."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from . import inputs, load, measure, model, report

ROOT = Path(__file__).resolve().parent.parent
MEMORY_SIZES = [128, 256, 512, 1024, 1769, 3008]
# Latency each function's heaviest path must meet: a log-in under the knee's 500 ms; the
# trending refresh within a quarter of its 120 s timeout; a chat line on a room's every
# screen within a second.
MEMORY_TARGETS_MS = {"api_handler": 500, "trending_refresh": 30_000, "websocket_message": 1_000}
RELAY_ROOM = 200  # the live bench's room: one chat message to it is the relay's heaviest path
OLD_BACKEND = "~20 req/s trending; 10-30 concurrent users, 20-50 req/s as it stands; crashes at 100+"


def _say(text: str) -> None:
    print(text, flush=True)


def measure_all() -> dict:
    from chalicelib import observability
    from devtools.seed import SeedSizes

    observability.send_output_to(open(os.devnull, "w"))
    started = time.perf_counter()
    out: dict = {}
    _say("[capacity] trending refresh against data size ...")
    out["refresh"] = measure.refresh_costs()
    out["refresh_rss_mb"] = measure.refresh_rss_mb(max(measure.REFRESH_SIZES))
    _say("[capacity] route costs, in-process, warm ...")
    url = measure.database(measure.LOAD_DB, SeedSizes())
    measure.use(url, tempfile.mkdtemp(prefix="capacity-"))
    from chalicelib.trending import writer

    writer.refresh()
    out["routes"] = measure.route_costs(url)
    out["bcrypt_ms"] = measure.bcrypt_ms()
    _say("[capacity] WebSocket fan-out: post_to_connection ...")
    from . import live_measure

    out["fanout"] = live_measure.fanout_cost()
    _say("[capacity] hot path overhead ...")
    from bench import overhead

    out["overhead"] = {k: v for k, v in overhead.measure().items() if k != "middleware"}
    measure.use(url, os.environ["TRENDING_LOCAL_DIR"])
    writer.refresh()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "TRENDKE_DEMO_USERS": "20",
           "BCRYPT_ROUNDS": os.environ.get("BCRYPT_ROUNDS", "12"), "ACCESS_LOG_PUBLIC_SAMPLE_RATE": "0.1",
           "PUBLIC_BASE_URL": "http://127.0.0.1"}
    _say(f"[capacity] Locust step test {load.STEPS} users, {load.STEP_S} s a step ...")
    out["steps"] = load.step_test(env, load.STEPS, "loadtest/locustfile.py")
    _say("[capacity] the seed's load pattern ...")
    seed_runs = load.step_test(env, [u for _, u in load.SEED_STEPS], "capacity/seed_pattern.py")
    out["seed"] = [{"level": level, **r} for (level, _), r in zip(load.SEED_STEPS, seed_runs)]
    out["measured_s"] = time.perf_counter() - started
    return out


def compute(measured: dict) -> dict:
    prices = model.load_prices()
    routes = inputs.route_classes(measured["routes"])
    traffic = inputs.traffic_model()
    biggest = max(measured["refresh"], key=lambda r: r["videos"])
    plat = inputs.platform(biggest, measured.get("fanout"))
    tiers = [model.evaluate(dau, routes, traffic, plat, prices) for dau in model.TIERS]
    first = model.first_limit_dau(routes, traffic, plat, prices)
    by_name = {r.name: r for r in routes}
    login = by_name["login"]
    refresh = model.RouteClass("trending_refresh", 0, cpu_ms=biggest["cpu_ms"], wall_ms=biggest["wall_ms"],
                               statements=biggest["statements"], db_ms=biggest["db_ms"])
    memory = {
        "api_handler (log-in: bcrypt)": model.memory_costs(login, MEMORY_SIZES, prices, inputs.DB_RTT_MS),
        "api_handler (feed page 1)": model.memory_costs(by_name["feed_first"], MEMORY_SIZES, prices,
                                                        inputs.DB_RTT_MS),
        "trending_refresh": model.memory_costs(refresh, MEMORY_SIZES, prices, inputs.DB_RTT_MS),
    }
    chosen = {
        "api_handler": model.choose_memory(memory["api_handler (log-in: bcrypt)"], MEMORY_TARGETS_MS["api_handler"]),
        # Room for twice the refresh's measured peak memory.
        "trending_refresh": model.choose_memory(memory["trending_refresh"], MEMORY_TARGETS_MS["trending_refresh"],
                                                min_mb=2 * measured.get("refresh_rss_mb", 128)),
    }
    if measured.get("fanout"):  # the relay's CPU: its few statements are the API's kind
        relay = model.RouteClass("websocket_message", 0, cpu_ms=RELAY_ROOM * measured["fanout"]["cpu_ms"])
        name = f"websocket_message (a chat line to {RELAY_ROOM} sockets)"
        memory[name] = model.memory_costs(relay, MEMORY_SIZES, prices, inputs.DB_RTT_MS)
        chosen["websocket_message"] = model.choose_memory(memory[name], MEMORY_TARGETS_MS["websocket_message"])
    return {"prices": prices, "chosen_memory": chosen, "memory_targets": MEMORY_TARGETS_MS, "routes": routes, "traffic": traffic, "platform": plat, "tiers": tiers,
            "first": first, "memory": memory}


def main(argv: list) -> None:
    cache = ROOT / ".local" / "capacity-measured.json"
    if "--reuse" in argv and cache.is_file():  # re-render from the last run's measurements
        measured = json.loads(cache.read_text())
    else:
        measured = measure_all()
        cache.parent.mkdir(exist_ok=True)
        cache.write_text(json.dumps(measured, indent=1, default=str))
    result = compute(measured)
    text = report.markdown(measured, result, OLD_BACKEND)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "capacity.md").write_text(text)
    report.plot(measured, result, ROOT / "docs" / "capacity.png")
    print(report.console(measured, result, OLD_BACKEND))
    print(f"\nwrote docs/capacity.md and docs/capacity.png (measurements {measured['measured_s']:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
