"""Live rooms in the capacity model: WebSocket fan-out. Pure functions, no I/O.

What one room costs follows from how the server relays (chalicelib/live/): every chat
message and reaction goes to every socket of the room, and so do `user_joined` and
`user_left` (FRONTEND.md section 7). In a room of N viewers who stay S seconds each, N/S
join and N/S leave a second, each fanned out to N sockets: membership alone is 2 N^2 / S
deliveries a second, quadratic in the room's size, while chat is capped by what a person
can read (slow mode beyond it). One delivery is one post_to_connection, whose CPU is
measured (capacity/live_measure.py); the 32-thread pool overlaps the network waits, not the
CPU, so a message reaches a room's last socket after N deliveries' CPU time in the one
websocket_message invocation relaying it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List

LAST_DELIVERY_TARGET_S = 1.0  # a chat line on every screen within a second


@dataclass
class LiveTraffic:
    """Assumptions (no live traffic exists yet to derive them from; capacity/inputs.py says
    why each) and the room structure they give."""

    minutes_per_user_day: float  # of the in-app minutes, those spent in a live room
    stay_s: float  # one viewer's average stay in one room
    lines_per_viewer_minute: float  # chat lines and reactions one viewer sends
    room_messages_per_s: float  # what a busy room shows at most (slow mode beyond)
    largest_room_share: float  # the biggest room's share of everyone watching live
    typical_room: int  # the size of every other room


@dataclass
class Fanout:
    """Measured: CPU and wall ms per delivery (sequential) and the pool's size."""

    cpu_ms: float
    wall_ms: float
    workers: int
    memory_mb: int  # websocket_message's memory (its CPU share)
    reserved_concurrency: int


def room_deliveries_per_s(viewers: float, live: LiveTraffic) -> float:
    """Deliveries a second a room of `viewers` needs: chat, joins and leaves."""
    if viewers <= 0:
        return 0.0
    chat = min(live.room_messages_per_s, viewers * live.lines_per_viewer_minute / 60)
    membership = 2 * viewers / live.stay_s
    return (chat + membership) * viewers


def cpu_stretch(fanout: Fanout, full_vcpu_mb: int) -> float:
    return max(1.0, full_vcpu_mb / fanout.memory_mb)


def last_delivery_s(viewers: float, fanout: Fanout, full_vcpu_mb: int) -> float:
    """One message to a room of `viewers`: until its last socket has it."""
    per = max(fanout.cpu_ms * cpu_stretch(fanout, full_vcpu_mb), fanout.wall_ms / max(1, fanout.workers))
    return viewers * per / 1000


def largest_room_within(fanout: Fanout, full_vcpu_mb: int, target_s: float = LAST_DELIVERY_TARGET_S) -> int:
    per = max(fanout.cpu_ms * cpu_stretch(fanout, full_vcpu_mb), fanout.wall_ms / max(1, fanout.workers))
    return int(target_s * 1000 / per)


def evaluate(dau: int, peak_factor: float, live: LiveTraffic, fanout: Fanout, prices: dict) -> Dict[str, object]:
    """Peak sockets, rooms, deliveries/s, fan-out concurrency, limits, monthly cost."""
    full = prices["lambda"]["full_vcpu_mb"]
    sockets = dau * live.minutes_per_user_day / 1440 * peak_factor
    largest = sockets * live.largest_room_share
    others = sockets - largest
    rooms = 1 + others / live.typical_room if sockets else 0
    deliveries = room_deliveries_per_s(largest, live) + (
        others / live.typical_room * room_deliveries_per_s(live.typical_room, live) if others else 0.0)
    busy = deliveries * fanout.cpu_ms * cpu_stretch(fanout, full) / 1000
    concurrency = math.ceil(busy + 3 * math.sqrt(busy)) if busy else 0
    last = last_delivery_s(largest, fanout, full)
    limits: List[str] = []
    if concurrency > fanout.reserved_concurrency:
        limits.append(f"WebSocket fan-out: websocket_message reserved concurrency {fanout.reserved_concurrency} "
                      f"(needs {concurrency})")
    if last > LAST_DELIVERY_TARGET_S:
        limits.append(f"WebSocket fan-out: the largest room ({largest:,.0f} viewers) gets a message after "
                      f"{last:.1f} s (target {LAST_DELIVERY_TARGET_S:.0f} s)")
    return {"sockets": sockets, "largest_room": largest, "rooms": rooms, "deliveries_per_s": deliveries,
            "concurrency": concurrency, "last_delivery_s": last, "limits": limits,
            "cost": monthly_cost(dau, live, fanout, prices, deliveries / peak_factor if peak_factor else 0.0)}


def monthly_cost(dau: int, live: LiveTraffic, fanout: Fanout, prices: dict, average_deliveries: float) -> Dict[str, float]:
    """API Gateway WebSocket messages (every delivery, one 32 KB unit each) and connection
    minutes, and the fan-out's Lambda time, over a month of average days."""
    ws, lam = prices["api_gateway_websocket"], prices["lambda"]
    month_s = 30 * 86_400
    messages = average_deliveries * month_s
    minutes = dau * live.minutes_per_user_day * 30
    gb_s = messages * fanout.cpu_ms * cpu_stretch(fanout, lam["full_vcpu_mb"]) / 1000 * fanout.memory_mb / 1024
    return {"websocket_messages": messages / 1e6 * ws["per_million_messages"],
            "websocket_minutes": minutes / 1e6 * ws["per_million_connection_minutes"],
            "websocket_lambda": gb_s * lam["per_gb_second"]}
