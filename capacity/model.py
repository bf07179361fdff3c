"""The capacity arithmetic: traffic model -> peak requests/s by route class -> what the CDN
absorbs -> Lambda concurrency, pooler connections, Postgres cores -> the first limit -> the
monthly cost. Pure functions of measured inputs (capacity/measure.py, capacity/load.py) and
the dated prices (capacity/prices.toml); no I/O here, so tests/test_capacity_model.py checks
it with real inputs.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

PRICES = Path(__file__).with_name("prices.toml")
TIERS = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]
DAYS_PER_MONTH = 30


def load_prices(path: Path = PRICES) -> dict:
    return tomllib.loads(path.read_text())


@dataclass
class RouteClass:
    """One kind of request: how often per video view (from the frontend mix), how the CDN
    may keep it (s-maxage, distinct cache keys, shared between callers or keyed by token),
    and what one costs at the origin (measured: CPU ms, wall ms, statements, Postgres ms)."""

    name: str
    per_view: float
    ttl_s: int = 0
    keys: int = 1
    shared: bool = False  # Authorization not in the cache key
    cpu_ms: float = 0.0
    wall_ms: float = 0.0
    statements: float = 0.0
    db_ms: float = 0.0
    bytes: int = 0


@dataclass
class TrafficModel:
    """A daily user's requests, derived: minutes watched a day / seconds per video = video
    views a day; every other request kind in proportion to views as the frontend mix has it.
    Peak factor: the busiest hour's share of a day x 24 (one time zone: EAT)."""

    minutes_per_user_day: float
    seconds_per_view: float
    hourly_shares: List[float]
    signed_in_share: float
    edge_locations: int

    @property
    def views_per_user_day(self) -> float:
        return self.minutes_per_user_day * 60 / self.seconds_per_view

    @property
    def peak_factor(self) -> float:
        total = sum(self.hourly_shares)
        return max(self.hourly_shares) / total * 24


@dataclass
class Platform:
    """What the deployment has: memory, reserved concurrency, pooler, extra network time."""

    api_memory_mb: int
    reserved_concurrency: int
    jobs_connections: int
    db_rtt_ms: float
    supabase_compute: str = "Micro"
    db_cpu_target: float = 0.6  # busy share of the cores at peak before the next size up
    refresh_db_ms: float = 0.0
    refresh_every_s: float = 300.0
    refresh_objects: int = 0
    store_revalidate_s: float = 5.0
    mb_per_view: float = 0.0  # video bytes Cloudinary serves per view
    live: Any = None  # (live_model.LiveTraffic, live_model.Fanout): the WebSocket rooms, or None


def requests_per_user_day(routes: List[RouteClass], traffic: TrafficModel) -> Dict[str, float]:
    return {r.name: r.per_view * traffic.views_per_user_day for r in routes}


def peak_rps(routes: List[RouteClass], traffic: TrafficModel, dau: float) -> Dict[str, float]:
    per_day = requests_per_user_day(routes, traffic)
    return {name: dau * n / 86_400 * traffic.peak_factor for name, n in per_day.items()}


def origin_rps(route: RouteClass, rps: float, traffic: TrafficModel) -> float:
    """Requests reaching API Gateway. A cacheable answer is fetched from the origin once per
    key per edge per TTL at most: with keys requested uniformly (the conservative case), an
    edge receiving r/s misses K (1 - exp(-r T / K)) times per TTL T."""
    if route.ttl_s <= 0:
        return rps
    cacheable = rps if route.shared else rps * (1 - traffic.signed_in_share)
    per_edge = cacheable / traffic.edge_locations
    k, t = route.keys, route.ttl_s
    misses = traffic.edge_locations * k * (1 - math.exp(-per_edge * t / k)) / t
    return (rps - cacheable) + misses


def duration_ms(route: RouteClass, memory_mb: int, prices: dict, db_rtt_ms: float) -> float:
    """Lambda CPU share scales with memory (one vCPU at 1,769 MB; measured here on one core):
    CPU time stretches by 1769/M below it and does not shrink above it (one thread). Waiting
    on Postgres: its own execution time (pg_stat_statements, COMMIT's WAL flush included)
    plus a network round trip to the pooler per statement. Not wall time minus CPU here:
    on this shared machine that is mostly time spent descheduled."""
    stretch = max(1.0, prices["lambda"]["full_vcpu_mb"] / memory_mb)
    return route.cpu_ms * stretch + route.db_ms + route.statements * db_rtt_ms


def concurrency_needed(rate: float, seconds: float) -> int:
    """Little's law plus headroom for Poisson arrivals (about 3 sigma)."""
    mean = rate * seconds
    return math.ceil(mean + 3 * math.sqrt(mean)) if mean > 0 else 0


def pick_compute(prices: dict, cores_busy: float, connections: int, target: float) -> dict:
    for size in prices["supabase"]["compute"]:
        if cores_busy <= size["cores"] * target and connections <= size["pooler"]:
            return size
    return prices["supabase"]["compute"][-1]


def cloudinary_month(prices: dict, credits: float) -> float:
    plans = prices["cloudinary"]["plan"]
    for plan in plans:
        if credits <= plan["credits"]:
            return plan["month"]
    top = plans[-1]
    return credits * top["month"] / top["credits"]


@dataclass
class Tier:
    dau: int
    peak: Dict[str, float] = field(default_factory=dict)
    origin: Dict[str, float] = field(default_factory=dict)
    cdn_share: float = 0.0
    concurrency: int = 0
    connections: int = 0
    db_cores: float = 0.0
    compute: str = ""
    limits: List[str] = field(default_factory=list)
    cost: Dict[str, float] = field(default_factory=dict)
    live: Dict[str, Any] = field(default_factory=dict)  # live_model.evaluate's answer

    @property
    def total_cost(self) -> float:
        return sum(self.cost.values())


def evaluate(dau: int, routes: List[RouteClass], traffic: TrafficModel, platform: Platform,
             prices: dict) -> Tier:
    tier = Tier(dau=dau, peak=peak_rps(routes, traffic, dau))
    by_name = {r.name: r for r in routes}
    tier.origin = {n: origin_rps(by_name[n], rps, traffic) for n, rps in tier.peak.items()}
    total_peak, total_origin = sum(tier.peak.values()), sum(tier.origin.values())
    tier.cdn_share = 1 - total_origin / total_peak if total_peak else 0.0
    busy_s = sum(tier.origin[n] * duration_ms(by_name[n], platform.api_memory_mb, prices,
                                              platform.db_rtt_ms) / 1000 for n in tier.origin)
    tier.concurrency = concurrency_needed(busy_s, 1.0)
    tier.connections = tier.concurrency + platform.jobs_connections
    refresh_cores = platform.refresh_db_ms / 1000 / platform.refresh_every_s
    tier.db_cores = sum(tier.origin[n] * by_name[n].db_ms / 1000 for n in tier.origin) + refresh_cores
    current = next(c for c in prices["supabase"]["compute"] if c["name"] == platform.supabase_compute)
    checks = [
        (tier.concurrency > platform.reserved_concurrency,
         f"reserved concurrency {platform.reserved_concurrency} (needs {tier.concurrency})"),
        (tier.connections > current["pooler"],
         f"pooler connections {current['pooler']} (needs {tier.connections})"),
        (tier.db_cores > current["cores"] * platform.db_cpu_target,
         f"Postgres CPU on {current['name']} ({tier.db_cores:.2f} of {current['cores']} cores busy)"),
        (tier.concurrency > prices["lambda"]["account_concurrency"],
         f"account concurrency {prices['lambda']['account_concurrency']}"),
    ]
    tier.limits = [text for hit, text in checks if hit]
    if platform.live is not None:
        from . import live_model

        tier.live = live_model.evaluate(dau, traffic.peak_factor, *platform.live, prices)
        tier.limits += tier.live["limits"]
    compute = pick_compute(prices, tier.db_cores, tier.connections, platform.db_cpu_target)
    tier.compute = compute["name"]
    tier.cost = monthly_cost(tier, routes, traffic, platform, prices, compute)
    tier.cost.update(tier.live.get("cost", {}))
    return tier


def monthly_cost(tier: Tier, routes: List[RouteClass], traffic: TrafficModel, platform: Platform,
                 prices: dict, compute: dict) -> Dict[str, float]:
    """A month of average days (the peak factor sizes capacity, not the bill)."""
    per_day = requests_per_user_day(routes, traffic)
    by_name = {r.name: r for r in routes}
    month = tier.dau * DAYS_PER_MONTH
    requests = {n: per_day[n] * month for n in per_day}
    # The share reaching the origin: at peak rates (a lower bound on the average day's share).
    origin = {n: requests[n] * (tier.origin[n] / tier.peak[n] if tier.peak[n] else 1) for n in requests}
    lam, gw, cf, s3 = prices["lambda"], prices["api_gateway"], prices["cloudfront"], prices["s3"]
    gb_s = sum(origin[n] * duration_ms(by_name[n], platform.api_memory_mb, prices, platform.db_rtt_ms)
               / 1000 * platform.api_memory_mb / 1024 for n in origin)
    total_origin = sum(origin.values())
    total = sum(requests.values())
    gb_out = sum(requests[n] * by_name[n].bytes for n in requests) / 1e9
    refreshes = DAYS_PER_MONTH * 86_400 / platform.refresh_every_s
    environments = max(1, tier.concurrency)
    s3_gets = environments * DAYS_PER_MONTH * 86_400 / platform.store_revalidate_s
    video_credits = traffic.views_per_user_day * month * platform.mb_per_view / 1024
    supabase = prices["supabase"]["pro_base_month"] + max(
        0.0, compute["month"] - prices["supabase"]["compute_credit_month"])
    return {
        "lambda": total_origin / 1e6 * lam["per_million_requests"] + gb_s * lam["per_gb_second"],
        "api_gateway": total_origin / 1e6 * gw["per_million_requests"],
        "cloudfront": total / 1e4 * cf["per_10k_https_requests"] + gb_out * cf["per_gb_out"],
        "s3": refreshes * platform.refresh_objects / 1e3 * s3["per_1k_put"] + s3_gets / 1e3 * s3["per_1k_get"],
        "supabase": supabase,
        "cloudinary": cloudinary_month(prices, video_credits),
    }


def first_limit_dau(routes: List[RouteClass], traffic: TrafficModel, platform: Platform,
                    prices: dict, high: int = 100_000_000) -> Optional[Tier]:
    """The smallest daily-user count (to 1 %) at which some limit is hit, by bisection."""
    if not evaluate(high, routes, traffic, platform, prices).limits:
        return None
    low = 1
    while high > low * 1.01:
        mid = int(math.sqrt(low * high))
        if evaluate(mid, routes, traffic, platform, prices).limits:
            high = mid
        else:
            low = mid
    return evaluate(high, routes, traffic, platform, prices)


def memory_costs(route: RouteClass, sizes: List[int], prices: dict, db_rtt_ms: float) -> List[dict]:
    """Cost per million invocations of `route` at each memory size (1 ms billing)."""
    lam = prices["lambda"]
    out = []
    for mb in sizes:
        ms = math.ceil(duration_ms(route, mb, prices, db_rtt_ms))
        dollars = lam["per_million_requests"] + 1e6 * ms / 1000 * mb / 1024 * lam["per_gb_second"]
        out.append({"memory_mb": mb, "duration_ms": ms, "per_million": dollars})
    return out


def choose_memory(costs: List[dict], max_ms: float, min_mb: float = 128) -> dict:
    """The cheapest size whose modelled duration meets `max_ms` (ties: the smaller size)."""
    fitting = [c for c in costs if c["duration_ms"] <= max_ms and c["memory_mb"] >= min_mb]
    if not fitting:
        return min(costs, key=lambda c: c["duration_ms"])
    return min(fitting, key=lambda c: (round(c["per_million"], 2), c["memory_mb"]))
