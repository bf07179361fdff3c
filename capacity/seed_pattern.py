"""The seed's own load pattern for Locust: the four GETs its load_test.py sends, at the old
backend's paths (this API serves them unchanged): health, the feed, trending, one video.
Each simulated user sends one of them about every second."""
from __future__ import annotations

import random

from locust import HttpUser, between, task


class SeedPattern(HttpUser):
    wait_time = between(0.5, 1.5)
    videos: list = []

    def on_start(self) -> None:
        if not SeedPattern.videos:
            answer = self.client.get("/videos/feed?limit=50", name="/videos/feed")
            if answer.ok:
                SeedPattern.videos = [v["id"] for v in answer.json()]

    @task
    def health(self) -> None:
        self.client.get("/health", name="/health")

    @task
    def feed(self) -> None:
        self.client.get("/videos/feed?limit=20", name="/videos/feed")

    @task
    def trending(self) -> None:
        self.client.get("/videos/trending/videos?limit=20", name="/videos/trending/videos")

    @task
    def video(self) -> None:
        if SeedPattern.videos:
            self.client.get(f"/videos/{random.choice(SeedPattern.videos)}", name="/videos/{id}")
