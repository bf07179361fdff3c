"""TrendKe's traffic mix for Locust: mostly trending and feed reads, some detail views, and a
few likes, comments, view reports, follows and upload signings.

    locust -f loadtest/locustfile.py --host http://127.0.0.1:8000            # the local stack
    locust -f loadtest/locustfile.py --host https://api.example.com          # a deployment

Signed-in users need tokens: with JWT_SECRET set (the dev stage's by default) each simulated
user mints an HS256 token for a fresh user id (a profile is made on first use); against a
deployment whose tokens you cannot mint, set TRENDKE_TOKENS to a comma-separated list.

Log-ins are real traffic (bcrypt at the server's cost): simulated users sign in as the seeded
demo users (demo1..demoN@trendke.example, N = TRENDKE_DEMO_USERS, default 20, password
TRENDKE_DEMO_PASSWORD, default the seed's `trendke-demo`) and read their own profile.
"""
from __future__ import annotations

import itertools
import os
import random
import threading
import time
import uuid

from locust import HttpUser, between, task

DEV_JWT_SECRET = "trendke-dev-secret-do-not-use-in-prod"
_tokens = [t for t in os.environ.get("TRENDKE_TOKENS", "").split(",") if t]
_token_cycle = itertools.cycle(_tokens) if _tokens else None
DEMO_USERS = int(os.environ.get("TRENDKE_DEMO_USERS", "20"))
DEMO_PASSWORD = os.environ.get("TRENDKE_DEMO_PASSWORD", "trendke-demo")
_videos: list = []
_videos_lock = threading.Lock()


def _token() -> str:
    if _token_cycle is not None:
        return next(_token_cycle)
    import jwt

    now = int(time.time())
    claims = {"sub": str(uuid.uuid4()), "iat": now, "exp": now + 3600}
    return jwt.encode(claims, os.environ.get("JWT_SECRET", DEV_JWT_SECRET), algorithm="HS256")


class Viewer(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.auth = {"Authorization": f"Bearer {_token()}"}
        self.cursor = None
        with _videos_lock:
            if not _videos:
                answer = self.client.get("/v1/feed?limit=50", name="/v1/feed")
                if answer.ok:
                    _videos.extend(v["id"] for v in answer.json()["items"])

    def _video(self) -> str:
        return random.choice(_videos) if _videos else str(uuid.uuid4())

    # ---- reads: most of the traffic --------------------------------------------------------
    @task(30)
    def trending(self) -> None:
        self.client.get("/v1/trending?limit=20", name="/v1/trending")

    @task(6)
    def trending_compat(self) -> None:
        self.client.get("/videos/trending/videos?limit=50", name="/videos/trending/videos")

    @task(20)
    def feed_first_page(self) -> None:
        answer = self.client.get("/v1/feed?limit=20", name="/v1/feed")
        if answer.ok:
            self.cursor = answer.json().get("next_cursor")

    @task(8)
    def feed_next_page(self) -> None:
        if not self.cursor:
            return self.feed_first_page()
        answer = self.client.get(f"/v1/feed?limit=20&cursor={self.cursor}", name="/v1/feed?cursor")
        if answer.ok:
            self.cursor = answer.json().get("next_cursor")

    @task(4)
    def hashtag(self) -> None:
        tag = random.choice(["kenya", "nairobi", "gengetone", "mombasa", "safari"])
        self.client.get(f"/v1/hashtags/{tag}/videos?limit=20", name="/v1/hashtags/{tag}/videos")

    @task(10)
    def detail_and_view(self) -> None:
        video = self._video()
        self.client.get(f"/v1/videos/{video}", name="/v1/videos/{id}")
        self.client.post(f"/v1/videos/{video}/views", json={"watch_ms": random.randint(1000, 30000)},
                         headers=self.auth, name="/v1/videos/{id}/views")

    @task(4)
    def comments(self) -> None:
        self.client.get(f"/v1/videos/{self._video()}/comments?limit=20", name="/v1/videos/{id}/comments")

    # ---- accounts: log-ins and profiles ------------------------------------------------------
    @task(2)
    def login_and_me(self) -> None:
        email = f"demo{random.randint(1, DEMO_USERS)}@trendke.example"
        answer = self.client.post("/auth/login", json={"email": email, "password": DEMO_PASSWORD},
                                  name="/auth/login")
        if answer.ok:
            token = answer.json()["access_token"]
            self.client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}, name="/auth/me")

    @task(2)
    def profile(self) -> None:
        answer = self.client.get(f"/v1/videos/{self._video()}", name="/v1/videos/{id}")
        if answer.ok:
            self.client.get(f"/auth/user/{answer.json()['user_id']}", name="/auth/user/{id}")

    # ---- writes: a few ---------------------------------------------------------------------
    @task(6)
    def like(self) -> None:
        video = self._video()
        self.client.put(f"/v1/videos/{video}/like", headers=self.auth, name="/v1/videos/{id}/like")

    @task(2)
    def comment(self) -> None:
        self.client.post(f"/v1/videos/{self._video()}/comments", json={"content": "Hii ni moto! 🔥"},
                         headers={**self.auth, "Idempotency-Key": str(uuid.uuid4())},
                         name="/v1/videos/{id}/comments [POST]")

    @task(1)
    def follow(self) -> None:
        answer = self.client.get(f"/v1/videos/{self._video()}", name="/v1/videos/{id}")
        if answer.ok:
            self.client.put(f"/v1/users/{answer.json()['user_id']}/follow", headers=self.auth,
                            name="/v1/users/{id}/follow")

    @task(1)
    def upload_signing(self) -> None:
        with self.client.post("/v1/uploads", json={"title": "Load test clip", "hashtags": ["kenya"]},
                              headers=self.auth, name="/v1/uploads", catch_response=True) as answer:
            if answer.status_code == 429:  # the per-user pending cap: working as designed
                answer.success()
