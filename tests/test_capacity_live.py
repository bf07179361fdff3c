"""The live rooms in the capacity model (capacity/live_model.py) on the real inputs (prices,
.chalice/config.json, the stated live assumptions), and the fan-out measurement against its
loopback stand-in (capacity/live_measure.py). Expected values are recomputed from the
inputs, not copied from a run."""
from __future__ import annotations

import pytest

from capacity import inputs, live_measure, live_model, model, report

FANOUT = {"posts": 300, "workers": 32, "cpu_ms": 2.0, "wall_ms": 3.0, "pooled_cpu_ms": 2.3, "pooled_wall_ms": 0.2}


@pytest.fixture(scope="module")
def live():
    return inputs.live(FANOUT)


def test_the_relay_is_the_configured_websocket_message_function(live):
    _, fanout = live
    relay = inputs.chalice_functions()["websocket_message"]
    assert (fanout.memory_mb, fanout.reserved_concurrency) == (relay["lambda_memory_size"], relay["reserved_concurrency"])
    assert model.load_prices()["api_gateway_websocket"]["per_million_messages"] > 0


def test_membership_fan_out_grows_with_the_square_of_the_room(live):
    traffic, _ = live
    small, big = live_model.room_deliveries_per_s(1_000, traffic), live_model.room_deliveries_per_s(10_000, traffic)
    # chat is capped per room, joins and leaves are not: 10x the viewers, close to 100x the deliveries
    chat = traffic.room_messages_per_s
    assert big == pytest.approx((chat + 2 * 10_000 / traffic.stay_s) * 10_000)
    assert big / small > 50
    assert live_model.room_deliveries_per_s(0, traffic) == 0


def test_the_last_socket_waits_for_every_delivery_s_cpu(live):
    _, fanout = live
    full = model.load_prices()["lambda"]["full_vcpu_mb"]
    stretch = max(1.0, full / fanout.memory_mb)
    assert live_model.last_delivery_s(1_000, fanout, full) == pytest.approx(1_000 * FANOUT["cpu_ms"] * stretch / 1000)
    largest = live_model.largest_room_within(fanout, full)
    assert live_model.last_delivery_s(largest, fanout, full) <= 1.0 < live_model.last_delivery_s(largest + 2, fanout, full)


def test_a_tier_counts_live_limits_and_costs(live):
    prices = model.load_prices()
    routes_measured = {name: {"cpu_ms": 1.0, "wall_ms": 2.0, "statements": 1.0, "db_ms": 0.5, "bytes": 1_000}
                       for name in ("trending", "feed_first", "feed_later", "hashtag", "video", "comments",
                                    "profile", "view", "like", "comment", "follow", "me", "login")}
    routes, traffic = inputs.route_classes(routes_measured), inputs.traffic_model()
    plat = inputs.platform({"db_ms": 100.0, "objects": 22}, FANOUT)
    small, huge = (model.evaluate(dau, routes, traffic, plat, prices) for dau in (1_000, 10_000_000))
    sockets = 1_000 * inputs.MINUTES_PER_USER_DAY * inputs.LIVE_SHARE_OF_MINUTES / 1440 * traffic.peak_factor
    assert small.live["sockets"] == pytest.approx(sockets)
    assert not any("WebSocket" in text for text in small.limits)
    assert any("WebSocket fan-out" in text for text in huge.limits)
    minutes = 1_000 * inputs.MINUTES_PER_USER_DAY * inputs.LIVE_SHARE_OF_MINUTES * 30
    assert small.cost["websocket_minutes"] == pytest.approx(
        minutes / 1e6 * prices["api_gateway_websocket"]["per_million_connection_minutes"])
    assert huge.cost["websocket_messages"] > small.cost["websocket_messages"] > 0
    first = model.first_limit_dau(routes, traffic, plat, prices)
    assert first is not None and first.dau <= model.first_limit_dau(
        routes, traffic, inputs.platform({"db_ms": 100.0, "objects": 22}), prices).dau


def test_the_report_states_the_room_limit(live):
    prices = model.load_prices()
    _, fanout = live
    plat = inputs.platform({"db_ms": 100.0, "objects": 22}, FANOUT)
    routes = inputs.route_classes({name: {"cpu_ms": 1.0, "wall_ms": 2.0, "statements": 1.0, "db_ms": 0.5,
                                          "bytes": 1_000} for name in (
        "trending", "feed_first", "feed_later", "hashtag", "video", "comments", "profile", "view", "like",
        "comment", "follow", "me", "login")})
    tiers = [model.evaluate(dau, routes, inputs.traffic_model(), plat, prices) for dau in model.TIERS]
    text = "\n".join(report._live_lines({"fanout": FANOUT}, {"platform": plat, "prices": prices, "tiers": tiers}))
    assert f"{live_model.largest_room_within(fanout, prices['lambda']['full_vcpu_mb']):,} viewers" in text
    assert text.count("\n| ") >= len(report.ROOM_SIZES) + len(model.TIERS)


def test_the_fan_out_measurement_posts_through_boto3_to_its_stand_in():
    measured = live_measure.fanout_cost(posts=40)
    assert measured["posts"] == 40 and measured["workers"] >= 1
    assert 0 < measured["cpu_ms"] < 100 and measured["wall_ms"] >= measured["cpu_ms"] * 0.5
    assert measured["pooled_wall_ms"] > 0


def test_the_measurement_environment_is_one_the_settings_accept(monkeypatch, tmp_path):
    """`make capacity` lifts the limits its load would hit; every name must be a known action
    (config.py refuses unknown ones at start-up, as it should in production)."""
    from capacity import measure
    from chalicelib import config

    for name in ("DATABASE_URL", "TRENDING_LOCAL_DIR", "TRENDING_REVALIDATE_S", "JWT_SECRET", "CLOUDINARY_URL",
                 "AUTH_RATE_LIMITS", "RATE_LIMITS", "TRENDING_BUCKET"):
        monkeypatch.setenv(name, "")  # recorded: undo() puts back what was there before
        monkeypatch.delenv(name)
    try:
        measure.use("postgresql:///capacity-check", str(tmp_path))
        cfg = config.settings()
        assert "signup" in cfg.auth_rate_limits and "like" in cfg.rate_limits
    finally:
        monkeypatch.undo()
        config.reset()
