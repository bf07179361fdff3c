"""docs/capacity.md, the console table and docs/capacity.png from one run's numbers."""
from __future__ import annotations

import platform as host
from pathlib import Path
from typing import List

from . import inputs, load, model


def _tier_rows(result: dict) -> List[str]:
    rows = ["| daily users | peak req/s | CDN share | to Lambda req/s | to Postgres stmts/s | Lambda concurrency"
            " | Postgres cores busy | first limit hit (current config) | Supabase size needed | $/month |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    by_name = {r.name: r for r in result["routes"]}
    for t in result["tiers"]:
        stmts = sum(t.origin[n] * by_name[n].statements for n in t.origin)
        rows.append(f"| {t.dau:,} | {sum(t.peak.values()):,.1f} | {t.cdn_share:.0%} | {sum(t.origin.values()):,.1f}"
                    f" | {stmts:,.0f} | {t.concurrency:,} | {t.db_cores:.2f} | {'; '.join(t.limits) or 'none'}"
                    f" | {t.compute} | {t.total_cost:,.0f} |")
    return rows


def _steps_rows(steps: List[dict]) -> List[str]:
    rows = ["| users | req/s | p50 ms | p95 ms | p99 ms | failures | server cores | Postgres cores | Locust cores |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in steps:
        c = s["cpu"]
        rows.append(f"| {s['users']} | {s['rps']:.1f} | {s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f}"
                    f" | {s['failures']} | {c['server']:.2f} | {c['postgres']:.2f} | {c['locust']:.2f} |")
    return rows


def _knee_text(steps: List[dict]) -> str:
    k = load.knee(steps)
    if k is None:
        return f"No knee up to {steps[-1]['users']} users (p99 stayed under {load.KNEE_P99_MS} ms, no errors)."
    slow = sorted(k["by_route"].items(), key=lambda kv: -kv[1]["p99"])[:3]
    return (f"**Knee at {k['users']} users** ({k['rps']:.0f} req/s, p99 {k['p99']:.0f} ms, {k['failures']}"
            f" failures). Bottleneck: {load.bottleneck(k)}. Slowest routes at the knee (p99): "
            + ", ".join(f"{n} {r['p99']:.0f} ms" for n, r in slow) + ".")


def markdown(measured: dict, result: dict, old_backend: str) -> str:
    tr, plat, prices = result["traffic"], result["platform"], result["prices"]
    per_day = model.requests_per_user_day(result["routes"], tr)
    lines = [
        "# Capacity: what this API carries, at what cost, from its own measurements",
        "",
        f"Written by `make capacity` ({host.node()}, {host.processor() or host.machine()}, shared 2 cores;"
        f" measurements took {measured['measured_s']:.0f} s). Prices: `capacity/prices.toml`, as of"
        f" {prices['as_of']}. Re-run to refresh every number.",
        "",
        "![tiers](capacity.png)",
        "",
        "## Traffic model (derived)",
        "",
        f"- Video views per daily user: {tr.minutes_per_user_day:.0f} min in the app a day"
        f" (the request model's one stated assumption, `capacity/inputs.py`; the live rooms' are"
        f" below) / {tr.seconds_per_view:.1f} s a video"
        f" (Locust's view reports: 1-30 s) = **{tr.views_per_user_day:.0f} views/day**.",
        "- Every other request in proportion to views, as the frontend mix in `loadtest/locustfile.py`"
        " weights its tasks (one view report per detail view):",
        "",
        "| route class | per view | per user-day | CDN s-maxage | cache keys | shared key |"
        " CPU ms | wall ms | statements | Postgres ms | bytes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["routes"]:
        lines.append(f"| {r.name} | {r.per_view:.2f} | {per_day[r.name]:.1f} | {r.ttl_s or '-'} | {r.keys:,} |"
                     f" {'yes' if r.shared else 'no (token in key)' if r.ttl_s else '-'} | {r.cpu_ms:.2f} |"
                     f" {r.wall_ms:.2f} | {r.statements:.1f} | {r.db_ms:.2f} | {r.bytes:,} |")
    lines += [
        "",
        f"Total **{sum(per_day.values()):.0f} requests per user-day**. Peak factor: the busiest hour's share"
        f" of a day ({max(tr.hourly_shares) / sum(tr.hourly_shares):.1%}, one time zone, EAT) x 24 ="
        f" **{tr.peak_factor:.2f}**. CPU/wall/statements/Postgres ms: one warm request through the Lambda"
        " handler, in-process, on the 2,000-video demo database (statements and their execution time as"
        " Postgres counted them, pg_stat_statements). CDN: an answer is fetched once per key per edge"
        f" ({tr.edge_locations} edge locations) per s-maxage, keys requested uniformly (conservative);"
        f" {tr.signed_in_share:.0%} of callers are signed in and the frontend sends their token on"
        " every call, so answers keyed by the token are not shared for them.",
        "",
        "## Tiers",
        "",
        *_tier_rows(result),
        "",
        f"Lambda: {plat.api_memory_mb} MB, duration = CPU ms x max(1, 1769 / memory) + Postgres ms"
        f" + {plat.db_rtt_ms} ms network per statement (to the pooler, same region); concurrency = Little's law + 3 sigma. Pooler"
        f" connections = concurrency + {plat.jobs_connections} for the scheduled jobs (their reserved"
        f" concurrency). Current config: reserved concurrency {plat.reserved_concurrency}, Supabase"
        f" {plat.supabase_compute}. Costs a month (30 average days): Lambda, API Gateway, CloudFront"
        " (requests and bytes), S3 (trending writes, readers' revalidation), Supabase (Pro + the compute"
        f" needed), Cloudinary (video bandwidth at {inputs.VIDEO_MBPS} Mbit/s for {tr.seconds_per_view:.1f} s a view).",
        "",
        "| daily users | " + " | ".join(result["tiers"][0].cost) + " |",
        "| --- | " + " | ".join("---" for _ in result["tiers"][0].cost) + " |",
    ]
    for t in result["tiers"]:
        lines.append(f"| {t.dau:,} | " + " | ".join(f"{v:,.0f}" for v in t.cost.values()) + " |")
    first = result["first"]
    lines += ["", (f"**First limit**: at about {first.dau:,} daily users: {'; '.join(first.limits)}."
                   if first else "No limit is hit up to 100M daily users."), ""]
    lines += ["## Step load test (Locust, local stack)", "",
              f"`loadtest/locustfile.py` (log-ins and writes included) against the Lambda-shaped local server"
              f" ({load.ENVIRONMENTS} execution environments, one process), {load.STEP_S} s a step, the"
              " server, Postgres and Locust on the same 2 shared cores:", "",
              *_steps_rows(measured["steps"]), "", _knee_text(measured["steps"]), "",
              "## The seed's load pattern", "",
              "The four GETs of the seed's `load_test.py` (health, feed, trending, one video) at its levels:", "",
              "| level | users | req/s | p50 ms | p95 ms | p99 ms | failures |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for s in measured["seed"]:
        lines.append(f"| {s['level']} | {s['users']} | {s['rps']:.1f} | {s['p50']:.0f} | {s['p95']:.0f}"
                     f" | {s['p99']:.0f} | {s['failures']} |")
    lines += ["", f"The old backend's published figures: {old_backend}.", "",
              "## Hot path and memory sizes", ""]
    o = measured["overhead"]
    lines += [f"- Warm trending read {o['trending read, as deployed']:.1f} µs, bare Chalice route"
              f" {o['bare Chalice route, constant bytes']:.1f} µs"
              f" ({o['trending read, as deployed'] / o['bare Chalice route, constant bytes']:.2f}x);"
              f" `observe` {o['trending read, as deployed'] - o['trending read, without observe']:.1f} µs.",
              f"- bcrypt check at cost 12: {measured['bcrypt_ms']:.0f} CPU ms here.",
              f"- A fresh process importing the app and running one refresh (the largest size) peaks at"
              f" {measured.get('refresh_rss_mb', 0):.0f} MB resident.", "",
              "Trending refresh against data size (seeded: likes 10x videos, comments 2x):", "",
              "| videos | likes | wall ms | CPU ms (Lambda side) | Postgres ms | objects |", "| --- | --- | --- | --- | --- | --- |"]
    for r in measured["refresh"]:
        lines.append(f"| {r['videos']:,} | {r['likes']:,} | {r['wall_ms']:.0f} | {r['cpu_ms']:.0f} | {r['db_ms']:.0f} | {r['objects']} |")
    lines += ["", "Cost per million invocations by memory size (CPU share scales with memory, one vCPU at"
              " 1,769 MB; duration model as above):", ""]
    for name, rows in result["memory"].items():
        lines.append(f"- {name}: " + "; ".join(f"{r['memory_mb']} MB {r['duration_ms']} ms ${r['per_million']:.2f}"
                                               for r in rows))
    lines += ["", "Chosen (the cheapest size meeting the heaviest path's target; `.chalice/config.json`): "
              + "; ".join(f"`{fn}` {c['memory_mb']} MB ({c['duration_ms']} ms, target {result['memory_targets'][fn]:,} ms,"
                          f" ${c['per_million']:.2f} per million)" for fn, c in result["chosen_memory"].items())
              + ". The other jobs are small batches of statements (waiting on Postgres, not CPU) and keep"
                " their sizes.", ""]
    lines += _live_lines(measured, result)
    return "\n".join(lines) + "\n"


ROOM_SIZES = [100, 1_000, 5_000, 20_000, 100_000]


def _live_lines(measured: dict, result: dict) -> List[str]:
    from . import live_model

    if not measured.get("fanout") or result["platform"].live is None:
        return ["## WebSocket fan-out", "", "Not measured in this run (no `fanout` in the measurements)."]
    f, (traffic, fanout) = measured["fanout"], result["platform"].live
    full = result["prices"]["lambda"]["full_vcpu_mb"]
    lines = ["## WebSocket fan-out (live rooms)", "",
             f"Measured (`capacity/live_measure.py`): one post_to_connection through boto3 to a loopback"
             f" management API costs the sender {f['cpu_ms']:.2f} CPU ms ({f['wall_ms']:.2f} ms wall) one after"
             f" another; through the {f['workers']}-thread pool {f['pooled_cpu_ms']:.2f} CPU ms and"
             f" {f['pooled_wall_ms']:.2f} ms wall per delivery ({f['posts']} sockets). On Lambda the relay"
             f" (`websocket_message`, {fanout.memory_mb} MB: CPU x {live_model.cpu_stretch(fanout, full):.2f})"
             " is CPU-bound: the pool hides the network, not the signing.", "",
             f"Per room, whatever the traffic: a message reaches the last of N sockets after N deliveries' CPU;"
             f" within {live_model.LAST_DELIVERY_TARGET_S:.0f} s for rooms up to"
             f" **{live_model.largest_room_within(fanout, full):,} viewers**. Joins and leaves go to the whole"
             f" room, so a room's deliveries grow with N^2 (viewers staying {traffic.stay_s:.0f} s):", "",
             "| room viewers | deliveries/s | relay concurrency | last socket after |", "| --- | --- | --- | --- |"]
    for n in ROOM_SIZES:
        d = live_model.room_deliveries_per_s(n, traffic)
        busy = d * fanout.cpu_ms * live_model.cpu_stretch(fanout, full) / 1000
        lines.append(f"| {n:,} | {d:,.0f} | {busy:,.1f} | {live_model.last_delivery_s(n, fanout, full):.2f} s |")
    lines += ["", f"Tiers, under the stated live assumptions (`capacity/inputs.py`: {traffic.minutes_per_user_day:.0f}"
              f" min a day in live rooms, {traffic.lines_per_viewer_minute:.0f} line a viewer-minute up to"
              f" {traffic.room_messages_per_s:.0f}/s a room, the largest room {traffic.largest_room_share:.0%} of"
              f" live viewers, the rest in rooms of {traffic.typical_room}):", "",
              "| daily users | sockets at peak | largest room | deliveries/s | relay concurrency (reserved"
              f" {fanout.reserved_concurrency}) | largest room's last socket | WebSocket $/month |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for t in result["tiers"]:
        live = t.live
        cost = sum(v for k, v in t.cost.items() if k.startswith("websocket"))
        lines.append(f"| {t.dau:,} | {live['sockets']:,.0f} | {live['largest_room']:,.0f} | {live['deliveries_per_s']:,.0f}"
                     f" | {live['concurrency']:,} | {live['last_delivery_s']:.2f} s | {cost:,.0f} |")
    lines += ["", "Beyond the largest room that fits, a broadcast must be split across invocations (a"
              " fan-out queue: one message, many relays of a few thousand sockets each); not built."]
    return lines


def console(measured: dict, result: dict, old_backend: str) -> str:
    rows = _tier_rows(result) + [""] + _steps_rows(measured["steps"]) + ["", _knee_text(measured["steps"]), ""]
    rows += [f"seed pattern {s['level']:7s} {s['users']:4d} users: {s['rps']:6.1f} req/s p50 {s['p50']:.0f} ms"
             f" p99 {s['p99']:.0f} ms failures {s['failures']}" for s in measured["seed"]]
    rows.append(f"old backend: {old_backend}")
    return "\n".join(rows)


def plot(measured: dict, result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    tiers = result["tiers"]
    x = [t.dau for t in tiers]
    left.loglog(x, [sum(t.peak.values()) for t in tiers], "o-", label="peak req/s (all)")
    left.loglog(x, [sum(t.origin.values()) for t in tiers], "s-", label="peak req/s reaching Lambda")
    left.loglog(x, [max(t.concurrency, 0.5) for t in tiers], "^-", label="Lambda concurrency")
    left.loglog(x, [t.total_cost for t in tiers], "d--", label="$ / month")
    left.set_xlabel("daily users")
    left.set_title("Tiers (capacity/model.py)")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    steps = measured["steps"]
    right.plot([s["users"] for s in steps], [s["p99"] for s in steps], "o-", label="p99 ms")
    right.plot([s["users"] for s in steps], [s["p50"] for s in steps], "o-", label="p50 ms")
    right.axhline(load.KNEE_P99_MS, color="red", ls=":", label="knee: p99 500 ms")
    twin = right.twinx()
    twin.plot([s["users"] for s in steps], [s["rps"] for s in steps], "k^--", label="req/s")
    twin.set_ylabel("req/s")
    right.set_xscale("log")
    right.set_xlabel("simulated users (Locust, local stack)")
    right.set_ylabel("ms")
    right.set_title("Step load test")
    right.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
