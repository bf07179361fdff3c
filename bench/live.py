"""The live room through the local gateway (issue 17): 200 sockets in one session.

- fan-out latency: the host says one chat message; the time until each of the 200 sockets
  has it (per recipient, and until the last one), over 20 messages one after another;
- messages/s: 20 viewers chat as fast as they can (rate limits lifted) and every message
  goes to all 200 sockets; relayed messages per second and frames delivered per second;
- post_to_connection to the 200 sockets one after another and through the bounded pool
  (what a 5,000-viewer broadcast costs one Lambda, extrapolated in the README).

Every frame goes through app.py's Chalice handlers and boto3's apigatewaymanagementapi
client, as on AWS. Own database `trendke_bench_live` (BENCH_LIVE_DATABASE_URL overrides).
"""
from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.parse

import psycopg

from chalicelib import config
from chalicelib.migrate import migrate

CLIENTS = 200
MESSAGES = 20
CHATTERS, EACH = 20, 10


def _database() -> str:
    url = os.environ.get("BENCH_LIVE_DATABASE_URL")
    if not url:
        from devtools import local_db

        url = local_db.ensure_database(local_db.embedded_admin_url(), "trendke_bench_live")
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        conn.execute("TRUNCATE users, live_sessions, rate_limits CASCADE")
        conn.execute("INSERT INTO users (email, username, password_hash)"
                     " SELECT 'v' || g || '@bench.test', 'viewer_' || lpad(g::text, 3, '0'), '!'"
                     " FROM generate_series(1, %s) g", (CLIENTS,))
    os.environ.update(DATABASE_URL=url, RATE_LIMITS="live_chat=1000000/60,live_signal=1000000/60")
    os.environ.setdefault("JWT_SECRET", config.DEV_JWT_SECRET)
    config.reset()
    return url


def _pct(values: list, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _room(gateway, session_id: str, users: list) -> list:
    from websockets.asyncio.client import connect

    from chalicelib.auth import mint_token

    async def one(user):
        token = mint_token(str(user[0]), config.DEV_JWT_SECRET)
        q = urllib.parse.urlencode({"token": token, "username": user[1]})
        ws = await connect(f"{gateway.url}/ws/live/{session_id}?{q}", open_timeout=60, max_queue=None)
        while json.loads(await ws.recv())["type"] != "current_participants":
            pass
        return ws

    sockets = []
    for start in range(0, len(users), 10):  # a page of viewers arriving, not one SYN flood
        sockets += await asyncio.gather(*(one(u) for u in users[start:start + 10]))
    return sockets


async def _wait_for(ws, marker: str) -> float:
    while True:
        frame = json.loads(await ws.recv())
        if frame.get("type") == "chat_message" and frame.get("message") == marker:
            return time.perf_counter()


async def _fanout(sockets: list) -> dict:
    host, per_recipient, last = sockets[0], [], []
    for i in range(MESSAGES):
        marker = f"fanout {i}"
        waiters = [asyncio.create_task(_wait_for(ws, marker)) for ws in sockets]
        sent = time.perf_counter()
        await host.send(json.dumps({"action": "chat", "message": marker}))
        done = await asyncio.gather(*waiters)
        per_recipient += [(t - sent) * 1000 for t in done]
        last.append((max(done) - sent) * 1000)
    return {"p50": _pct(per_recipient, .5), "p99": _pct(per_recipient, .99),
            "last_p50": _pct(last, .5), "last_p99": _pct(last, .99)}


async def _throughput(sockets: list) -> dict:
    total = CHATTERS * EACH
    counters = {id(ws): 0 for ws in sockets}

    async def drain(ws):
        while counters[id(ws)] < total:
            if json.loads(await ws.recv()).get("type") == "chat_message":
                counters[id(ws)] += 1

    readers = [asyncio.create_task(drain(ws)) for ws in sockets]
    started = time.perf_counter()
    for round_ in range(EACH):
        await asyncio.gather(*(ws.send(json.dumps({"action": "chat", "message": f"m{round_}"}))
                               for ws in sockets[1:CHATTERS + 1]))
    await asyncio.wait_for(asyncio.gather(*readers), timeout=600)
    elapsed = time.perf_counter() - started
    return {"messages": total, "seconds": elapsed, "per_s": total / elapsed,
            "frames_per_s": total * len(sockets) / elapsed}


def _posting(session_id: str) -> dict:
    from chalicelib import db
    from chalicelib.live import sender
    from chalicelib.repo import live_connections

    rows = db.run(lambda c: live_connections.of_session(c, session_id))
    targets = [(r["endpoint"], r["connection_id"]) for r in rows]
    data = json.dumps({"type": "reaction", "reaction": "🔥", "username": "bench"}).encode()
    started = time.perf_counter()
    for endpoint, cid in targets:
        sender.post(endpoint, cid, data)
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    gone = sender.post_many(targets, data)
    pooled = time.perf_counter() - started
    return {"sockets": len(targets), "sequential_ms": sequential * 1000, "pooled_ms": pooled * 1000,
            "gone": len(gone), "workers": sender.FANOUT_WORKERS}


def main() -> None:
    url = _database()
    from devtools.ws_gateway import LocalWebSocketGateway
    from chalicelib import db
    from chalicelib.live import sessions

    with psycopg.connect(url) as conn:
        users = conn.execute("SELECT id, username FROM users ORDER BY username").fetchall()
    session_id = sessions.start(str(users[0][0]), {"title": "Bench", "description": None, "session_type": "voice",
                                                         "max_participants": 50})["id"]
    gateway = LocalWebSocketGateway(environments=8).start()

    async def run() -> tuple:
        started = time.perf_counter()
        sockets = await _room(gateway, session_id, users)
        joined = time.perf_counter() - started
        fan = await _fanout(sockets)
        through = await _throughput(sockets)
        posting = await asyncio.get_running_loop().run_in_executor(None, _posting, session_id)
        for ws in sockets:
            await ws.close()
        return joined, fan, through, posting

    try:
        joined, fan, through, posting = asyncio.run(run())
    finally:
        gateway.stop()
        db.close()
    print(f"{CLIENTS} sockets joined one session in {joined:.1f} s (each: $connect, user_joined to the room, welcome)")
    print(f"fan-out of one chat message to {CLIENTS} sockets ({MESSAGES} messages): per recipient "
          f"p50 {fan['p50']:.0f} ms, p99 {fan['p99']:.0f} ms; until the last recipient p50 "
          f"{fan['last_p50']:.0f} ms, p99 {fan['last_p99']:.0f} ms")
    print(f"{CHATTERS} viewers chatting: {through['messages']} messages relayed in {through['seconds']:.1f} s = "
          f"{through['per_s']:.0f} messages/s, {through['frames_per_s']:.0f} frames delivered/s")
    print(f"post_to_connection to {posting['sockets']} sockets: one after another {posting['sequential_ms']:.0f} ms, "
          f"pool of {posting['workers']} {posting['pooled_ms']:.0f} ms ({posting['gone']} gone)")
