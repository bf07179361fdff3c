"""A loopback stand-in for the part of Stripe's API that Checkout uses (form-encoded requests,
JSON answers as documented: POST /v1/checkout/sessions, GET /v1/checkout/sessions/{id}), and
webhook deliveries signed with Stripe's real scheme (Stripe-Signature: t=..., v1=HMAC-SHA256
of "t.payload" with the endpoint secret)."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator, Optional
from urllib.parse import parse_qsl

API_KEY = "sk_test_trendke"
WEBHOOK_SECRET = "whsec_trendke_test"


def sign(payload: str, secret: str = WEBHOOK_SECRET, at: Optional[int] = None) -> str:
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def event(kind: str, obj: dict) -> str:
    return json.dumps({"id": "evt_" + uuid.uuid4().hex[:24], "object": "event", "type": kind,
                       "api_version": "2025-01-27", "created": int(time.time()),
                       "data": {"object": obj}, "livemode": False})


class StripeStandIn:
    def __init__(self) -> None:
        self.sessions: Dict[str, dict] = {}
        self.idempotency: Dict[str, str] = {}

    def create(self, form: dict, key: Optional[str]) -> dict:
        if key and key in self.idempotency:
            return self.sessions[self.idempotency[key]]
        sid = "cs_test_" + uuid.uuid4().hex
        session = {"id": sid, "object": "checkout.session", "mode": form["mode"], "status": "open",
                   "payment_status": "unpaid", "url": f"https://checkout.stripe.com/c/pay/{sid}",
                   "client_reference_id": form.get("client_reference_id"),
                   "metadata": {"payment_id": form.get("metadata[payment_id]")},
                   "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
                   "currency": form["line_items[0][price_data][currency]"], "payment_intent": None}
        self.sessions[sid] = session
        if key:
            self.idempotency[key] = sid
        return session

    def pay(self, sid: str) -> dict:
        session = self.sessions[sid]
        session.update(status="complete", payment_status="paid", payment_intent="pi_" + uuid.uuid4().hex[:24])
        return session


@contextmanager
def stripe_standin() -> Iterator[tuple]:
    standin = StripeStandIn()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, payload: dict) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                self._reply(401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}})
                return False
            return True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            if not self._authorised():
                return
            if self.path == "/v1/checkout/sessions":
                self._reply(200, standin.create(form, self.headers.get("Idempotency-Key")))
            else:
                self._reply(404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}})

        def do_GET(self) -> None:
            if not self._authorised():
                return
            sid = self.path.rsplit("/", 1)[-1].split("?")[0]
            if self.path.startswith("/v1/checkout/sessions/") and sid in standin.sessions:
                self._reply(200, standin.sessions[sid])
            else:
                self._reply(404, {"error": {"type": "invalid_request_error", "message": "No such checkout.session"}})

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield standin, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
