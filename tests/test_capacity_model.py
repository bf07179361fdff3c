"""The capacity arithmetic (capacity/model.py) on its real inputs: the dated prices file, the
frontend mix's task weights, the cache policies, .chalice/config.json. Expected values are
recomputed here from those inputs, not copied from a run."""
from __future__ import annotations

import math
from collections import Counter

import pytest

from capacity import inputs, model

# One warm request per class, the shape capacity/measure.py writes (a login is CPU-bound).
MEASURED = {name: {"cpu_ms": 1.5, "wall_ms": 6.0, "statements": 1.0, "db_ms": 0.8, "bytes": 12_000}
            for name in ("trending", "feed_first", "feed_later", "hashtag", "video", "comments", "profile",
                         "view", "like", "comment", "follow", "me")}
MEASURED["trending"] = {"cpu_ms": 0.15, "wall_ms": 0.15, "statements": 0.0, "db_ms": 0.0, "bytes": 12_000}
MEASURED["login"] = {"cpu_ms": 360.0, "wall_ms": 365.0, "statements": 3.0, "db_ms": 0.1, "bytes": 500}
REFRESH = {"db_ms": 900.0, "objects": 22}


@pytest.fixture(scope="module")
def world():
    prices = model.load_prices()
    return prices, inputs.route_classes(MEASURED), inputs.traffic_model(), inputs.platform(REFRESH)


def test_the_prices_are_dated_and_complete(world):
    prices = world[0]
    assert prices["as_of"] and prices["sources"]
    for section in ("lambda", "api_gateway", "cloudfront", "s3", "supabase", "cloudinary"):
        assert section in prices
    sizes = prices["supabase"]["compute"]
    assert [s["month"] for s in sizes] == sorted(s["month"] for s in sizes)


def test_views_and_peak_factor_are_derived_from_the_stated_inputs(world):
    traffic = world[2]
    assert traffic.views_per_user_day == pytest.approx(inputs.MINUTES_PER_USER_DAY * 60 / 15.5)
    shares = inputs.HOURLY_SHARES
    assert len(shares) == 24
    assert traffic.peak_factor == pytest.approx(max(shares) / (sum(shares) / 24))


def test_requests_per_view_follow_the_locustfile_weights(world):
    routes = {r.name: r for r in world[1]}
    import re

    source = (inputs.ROOT / "loadtest" / "locustfile.py").read_text()
    weights = Counter({name: int(n) for n, name in re.findall(r"@task\((\d+)\)\n    def (\w+)", source)})
    views = weights["detail_and_view"]
    assert routes["view"].per_view == 1
    assert routes["trending"].per_view == pytest.approx((weights["trending"] + weights["trending_compat"]) / views)
    # A detail view comes with every view report, every profile look-up and every follow.
    assert routes["video"].per_view == pytest.approx(
        (weights["detail_and_view"] + weights["profile"] + weights["follow"]) / views)
    from chalicelib.chalice_app import cache_policies

    assert routes["feed_first"].ttl_s == cache_policies.FEED_FIRST_PAGE.s_maxage
    assert routes["like"].ttl_s == 0 and routes["login"].ttl_s == 0


def test_peak_rps_scales_with_daily_users(world):
    _, routes, traffic, _ = world
    small, big = model.peak_rps(routes, traffic, 1_000), model.peak_rps(routes, traffic, 10_000)
    per_day = model.requests_per_user_day(routes, traffic)
    for name in small:
        assert big[name] == pytest.approx(10 * small[name])
        assert small[name] == pytest.approx(1_000 * per_day[name] / 86_400 * traffic.peak_factor)


def test_the_cdn_sends_each_key_once_per_edge_per_ttl_at_most(world):
    _, routes, traffic, _ = world
    trending = next(r for r in routes if r.name == "trending")
    like = next(r for r in routes if r.name == "like")
    assert model.origin_rps(like, 123.0, traffic) == 123.0  # never cached
    ceiling = traffic.edge_locations * trending.keys / trending.ttl_s
    assert model.origin_rps(trending, 1e6, traffic) == pytest.approx(ceiling, rel=1e-3)
    assert model.origin_rps(trending, 1e-4, traffic) == pytest.approx(1e-4, rel=1e-2)  # all misses
    # A video is one entry for every reader (issue 15 item 4): signed-in readers hit the CDN too.
    video = next(r for r in routes if r.name == "video")
    assert video.shared and next(r for r in routes if r.name == "profile").shared
    assert model.origin_rps(video, 1e6, traffic) < 1e6 * traffic.signed_in_share


def test_lambda_duration_stretches_cpu_below_one_vcpu(world):
    prices = world[0]
    login = next(r for r in world[1] if r.name == "login")
    full = model.duration_ms(login, 1769, prices, 1.0)
    assert full == pytest.approx(360 + 0.1 + 3 * 1.0)
    assert model.duration_ms(login, 3008, prices, 1.0) == pytest.approx(full)
    assert model.duration_ms(login, 512, prices, 1.0) == pytest.approx(360 * 1769 / 512 + 0.1 + 3)
    costs = {c["memory_mb"]: c["per_million"] for c in model.memory_costs(login, [512, 1024, 1769, 3008], prices, 1.0)}
    assert costs[3008] > costs[1769] * 1.5  # above one vCPU, memory is paid for nothing
    assert costs[512] == pytest.approx(costs[1024], rel=0.02)  # CPU-bound: same GB-seconds


def test_a_tier_adds_up(world):
    prices, routes, traffic, plat = world
    tier = model.evaluate(100_000, routes, traffic, plat, prices)
    by_name = {r.name: r for r in routes}
    busy = sum(tier.origin[n] * model.duration_ms(by_name[n], plat.api_memory_mb, prices, plat.db_rtt_ms) / 1000
               for n in tier.origin)
    assert tier.concurrency == math.ceil(busy + 3 * math.sqrt(busy))
    assert tier.connections == tier.concurrency + plat.jobs_connections
    assert 0 < tier.cdn_share < 1
    month = 100_000 * 30
    per_day = model.requests_per_user_day(routes, traffic)
    origin = sum(per_day[n] * month * tier.origin[n] / tier.peak[n] for n in per_day)
    assert tier.cost["api_gateway"] == pytest.approx(origin / 1e6 * prices["api_gateway"]["per_million_requests"])
    requests = sum(per_day.values()) * month
    gb = sum(per_day[n] * month * by_name[n].bytes for n in per_day) / 1e9
    assert tier.cost["cloudfront"] == pytest.approx(requests / 1e4 * 0.0220 + gb * 0.110)
    assert tier.total_cost == pytest.approx(sum(tier.cost.values()))


def test_the_first_limit_is_where_a_limit_starts(world):
    prices, routes, traffic, plat = world
    first = model.first_limit_dau(routes, traffic, plat, prices)
    assert first is not None and first.limits
    assert not model.evaluate(int(first.dau / 1.02), routes, traffic, plat, prices).limits
    small = model.evaluate(100, routes, traffic, plat, prices)
    assert small.limits == [] and small.compute == "Micro"


def test_cloudinary_takes_the_smallest_plan_that_fits(world):
    prices = world[0]
    assert model.cloudinary_month(prices, 10) == 0.0
    assert model.cloudinary_month(prices, 200) == 89.0
    top = prices["cloudinary"]["plan"][-1]
    assert model.cloudinary_month(prices, 6_000) == pytest.approx(6_000 * top["month"] / top["credits"])


def test_memory_is_the_cheapest_size_meeting_the_latency_target(world):
    prices = world[0]
    login = next(r for r in world[1] if r.name == "login")
    costs = model.memory_costs(login, [256, 512, 1024, 1769, 3008], prices, 1.0)
    chosen = model.choose_memory(costs, max_ms=500)
    assert chosen["duration_ms"] <= 500
    assert all(c["per_million"] >= chosen["per_million"] - 0.005 for c in costs if c["duration_ms"] <= 500)
    assert chosen["memory_mb"] == 1769  # 360 CPU ms fits 500 ms only with a whole vCPU
    # Nothing meets an impossible target: the fastest size is the answer.
    assert model.choose_memory(costs, max_ms=1)["memory_mb"] in (1769, 3008)


def test_writes_and_log_ins_come_from_the_data_and_the_token_lifetime(world):
    from bench.dataset import FULL, VIEWS
    from chalicelib.config import settings

    routes, traffic = {r.name: r for r in world[1]}, world[2]
    assert routes["like"].per_view == pytest.approx(FULL.likes / VIEWS)
    per_day = model.requests_per_user_day(world[1], traffic)
    # A daily user logs in once per token lifetime.
    assert per_day["login"] == pytest.approx(86_400 / settings().jwt_ttl_s)
