"""Test kit for the uploads flow: Cloudinary's side of it, built with the SDK's own code.

- `CloudinaryStandIn`: an HTTP server on loopback that answers the Upload API's destroy
  calls; the SDK is pointed at it (upload_prefix), so the real SDK code runs.
- `notification(...)` / `signed_headers(...)`: the webhook Cloudinary would send, signed the
  way Cloudinary signs it (the SDK's compute_hex_hash of body + timestamp + api_secret).
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from chalicelib import config

DEV_API_SECRET = urlsplit(config.DEV_CLOUDINARY_URL).password


class CloudinaryStandIn:
    """Answers POST /v1_1/<cloud>/<resource_type>/<action>; records every call."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, str]] = []  # (path, raw form body)
        # Answers, in turn; the last one repeats: (HTTP status, JSON body).
        self.answers: List[Tuple[int, dict]] = [(200, {"result": "ok"})]
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                stand_in.calls.append((self.path, body))
                status, answer = stand_in.answers[0] if len(stand_in.answers) == 1 else stand_in.answers.pop(0)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def prefix(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def destroyed_public_ids(self) -> List[str]:
        return [self._field(body, "public_id") for path, body in self.calls if path.endswith("/video/destroy")]

    @staticmethod
    def _field(multipart: str, name: str) -> Optional[str]:
        marker = f'name="{name}"'
        if marker not in multipart:
            return None
        return multipart.split(marker, 1)[1].split("\r\n\r\n", 1)[1].split("\r\n", 1)[0]

    def start(self) -> "CloudinaryStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def upload_notification(public_id: str, **overrides) -> Dict:
    """The upload notification Cloudinary sends for an eager_async video upload."""
    cloud = "trendke-dev"
    body = {
        "notification_type": "upload",
        "timestamp": "2026-11-29T16:00:00+00:00",
        "request_id": "5b6d1c0e0d7f4a2b9a3e",
        "asset_id": "3515c6000a548515f1134043f9785c2f",
        "public_id": public_id,
        "version": 1764432000,
        "version_id": "7d2cc533bee9ff39f7da7414b61fce7e",
        "width": 1080,
        "height": 1920,
        "format": "mp4",
        "resource_type": "video",
        "created_at": "2026-11-29T16:00:00Z",
        "tags": [],
        "pages": 0,
        "bytes": 7340032,
        "type": "upload",
        "etag": "0ea7d0a6a4b5fe3a1e64a6b3b8f8c7c1",
        "placeholder": False,
        "url": f"http://res.cloudinary.com/{cloud}/video/upload/v1764432000/{public_id}.mp4",
        "secure_url": f"https://res.cloudinary.com/{cloud}/video/upload/v1764432000/{public_id}.mp4",
        "duration": 14.52,
        "eager": [{"status": "processing", "batch_id": "b1", "transformation": "sp_auto/m3u8"}],
        "original_filename": "matatu_ride",
        "api_key": "111111111111111",
    }
    body.update(overrides)
    return body


def eager_notification(public_id: str, *, failed: bool = False) -> Dict:
    items = [
        {"transformation": "sp_auto/m3u8", "format": "m3u8", "bytes": 1200,
         "secure_url": f"https://res.cloudinary.com/trendke-dev/video/upload/sp_auto/{public_id}.m3u8"},
        {"transformation": "so_1/jpg", "format": "jpg", "bytes": 52000, "width": 1080, "height": 1920,
         "secure_url": f"https://res.cloudinary.com/trendke-dev/video/upload/so_1/{public_id}.jpg"},
    ]
    if failed:
        items[0] = {"transformation": "sp_auto/m3u8", "status": "failed", "reason": "Video is too long"}
    return {"notification_type": "eager", "public_id": public_id, "batch_id": "b1",
            "resource_type": "video", "type": "upload", "eager": items}


def body_text(payload: Dict) -> str:
    return json.dumps(payload, separators=(",", ":"))


def signed_headers(body: str, *, secret: str = DEV_API_SECRET, algorithm: str = "sha256",
                   timestamp: Optional[int] = None) -> Dict[str, str]:
    """X-Cld-Signature and X-Cld-Timestamp as Cloudinary computes them (with the SDK)."""
    from cloudinary.utils import compute_hex_hash

    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        "X-Cld-Timestamp": ts,
        "X-Cld-Signature": compute_hex_hash(body + ts + secret, algorithm),
    }

