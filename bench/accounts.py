"""Accounts through the Lambda handler (`app.app(event, context)`): log-in at the configured
bcrypt cost (BCRYPT_ROUNDS, default 12) and at cost 10, sign-up, warm GET /auth/me, and what
the per-call token-version check costs a verified call.

Uses its own small database `trendke_bench_accounts` (BENCH_ACCOUNTS_DATABASE_URL overrides).
"""
from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from typing import Callable, List

import psycopg

from chalicelib import config
from chalicelib.migrate import migrate
from tests.support.lambda_events import LambdaContext, api_gateway_event

LOGINS = 15
SIGNUPS = 15
WARM_CALLS = 2000
PASSWORD = "bench-password"


def _database() -> str:
    url = os.environ.get("BENCH_ACCOUNTS_DATABASE_URL")
    if not url:
        from devtools import local_db

        url = local_db.ensure_database(local_db.embedded_admin_url(), "trendke_bench_accounts")
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        conn.execute("TRUNCATE users, auth_failures, rate_limits CASCADE")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JWT_SECRET", config.DEV_JWT_SECRET)
    os.environ.setdefault("CLOUDINARY_URL", config.DEV_CLOUDINARY_URL)
    os.environ["AUTH_RATE_LIMITS"] = "signup=100000/3600"
    os.environ["MAIL_OUTBOX_DIR"] = "/tmp/trendke-bench-outbox"
    os.environ.pop("MAIL_FROM", None)
    config.reset()
    return url


def _ms(samples: List[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _time(call: Callable[[], int], n: int, expect: int = 200) -> List[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        status = call()
        out.append(time.perf_counter() - started)
        assert status == expect, status
    return out


def main() -> None:
    import bcrypt

    url = _database()
    import app as api
    from chalicelib.repo import users

    rounds = config.settings().bcrypt_rounds

    def post(path: str, body: dict, address: str, token: str = "") -> dict:
        headers = {"Content-Type": "application/json", "CloudFront-Viewer-Address": f"{address}:1"}
        if token:
            headers["Authorization"] = "Bearer " + token
        return api.app(api_gateway_event("POST", path, headers=headers, body=body), LambdaContext())

    def get(path: str, token: str, resource: str = None, params: dict = None) -> dict:
        event = api_gateway_event("GET", path, resource=resource, path_parameters=params,
                                  headers={"Authorization": "Bearer " + token})
        return api.app(event, LambdaContext())

    with psycopg.connect(url, autocommit=True) as conn:
        for cost in sorted({rounds, 10}):
            hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(cost)).decode()
            conn.execute("INSERT INTO users (email, username, password_hash) VALUES (%s, %s, %s)",
                         (f"cost{cost}@bench.test", f"cost_{cost}", hashed))
    print(f"bcrypt cost configured: {rounds} (BCRYPT_ROUNDS); {os.cpu_count()} CPUs here")
    for cost in sorted({rounds, 10}):
        n = [0]

        def login() -> int:
            n[0] += 1
            return post("/auth/login", {"email": f"cost{cost}@bench.test", "password": PASSWORD},
                        f"10.9.{cost}.{n[0] % 250}")["statusCode"]

        login()  # warm
        samples = _time(login, LOGINS)
        print(f"POST /auth/login, cost {cost:>2}: p50 {_ms(samples, 0.5):7.1f} ms  p95 {_ms(samples, 0.95):7.1f} ms"
              f"  ({LOGINS} log-ins)")

    def signup() -> int:
        tag = uuid.uuid4().hex[:12]
        return post("/auth/signup", {"email": f"s{tag}@bench.test", "username": f"s_{tag}",
                                     "password": PASSWORD, "full_name": ""}, "10.8.0.1")["statusCode"]

    samples = _time(signup, SIGNUPS)
    print(f"POST /auth/signup, cost {rounds}: p50 {_ms(samples, 0.5):7.1f} ms  p95 {_ms(samples, 0.95):7.1f} ms"
          f"  (hash, one transaction, verification mail to the local outbox)")

    answer = post("/auth/login", {"email": f"cost{rounds}@bench.test", "password": PASSWORD}, "10.7.0.1")
    token = json.loads(answer["body"])["access_token"]
    user_id = json.loads(answer["body"])["user"]["id"]
    get("/auth/me", token)
    me = _time(lambda: get("/auth/me", token)["statusCode"], WARM_CALLS)
    print(f"GET /auth/me warm: p50 {_ms(me, 0.5) * 1000:6.0f} µs  p95 {_ms(me, 0.95) * 1000:6.0f} µs"
          "  (token check + profile: one statement)")
    check = _time(lambda: users.ensure_profile(user_id, {}) + 200, WARM_CALLS)
    print(f"token-version check alone (one primary-key read, autocommit): p50 {_ms(check, 0.5) * 1000:6.0f} µs"
          f"  p95 {_ms(check, 0.95) * 1000:6.0f} µs per verified call")
    listed = _time(lambda: get(f"/social/is-following/{user_id}", token, "/social/is-following/{user_id}",
                                   {"user_id": user_id})["statusCode"], WARM_CALLS)
    print(f"GET /social/is-following warm (version check + its own statement): "
          f"p50 {_ms(listed, 0.5) * 1000:6.0f} µs; the check is {statistics.median(check) / statistics.median(listed):.0%} of it")
