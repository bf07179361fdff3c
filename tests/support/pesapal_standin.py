"""A loopback stand-in for PesaPal API 3.0, speaking its documented JSON: RequestToken,
RegisterIPN, SubmitOrderRequest, GetTransactionStatus. The test decides what each order's
status becomes (`pay`, `fail`, `reverse`), as a buyer on PesaPal's page would."""
from __future__ import annotations

import json
import threading
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator
from urllib.parse import parse_qs, urlparse

KEY, SECRET = "pesapal-test-key", "pesapal-test-secret"


class PesaPalStandIn:
    def __init__(self) -> None:
        self.tokens: set = set()
        self.orders: Dict[str, dict] = {}  # tracking id -> order
        self.calls: list = []
        self.lock = threading.Lock()

    def by_reference(self, reference: str) -> dict:
        return next(o for o in self.orders.values() if o["id"] == reference)

    def set_status(self, tracking_id: str, code: int, amount=None, currency=None) -> None:
        order = self.orders[tracking_id]
        order["status_code"] = code
        if amount is not None:
            order["paid_amount"] = amount
        if currency is not None:
            order["paid_currency"] = currency

    def answer(self, method: str, path: str, headers, body: dict) -> tuple:
        url = urlparse(path)
        with self.lock:
            self.calls.append((method, url.path))
        if url.path.endswith("/api/Auth/RequestToken"):
            if (body.get("consumer_key"), body.get("consumer_secret")) != (KEY, SECRET):
                return 200, {"token": None, "error": {"error_type": "api_error", "code": "invalid_consumer_key_or_secret_provided", "message": "Invalid credentials"}, "status": "500"}
            token = uuid.uuid4().hex
            self.tokens.add(token)
            return 200, {"token": token, "expiryDate": "2030-01-01T00:05:00Z", "error": None, "status": "200", "message": "Request processed successfully"}
        if headers.get("Authorization", "")[7:] not in self.tokens:
            return 401, {"error": {"code": "unauthorized", "message": "invalid token"}, "status": "401"}
        if url.path.endswith("/api/URLSetup/RegisterIPN"):
            return 200, {"url": body["url"], "created_date": "2026-12-01T10:00:00", "ipn_id": str(uuid.uuid4()),
                         "error": None, "status": "200"}
        if url.path.endswith("/api/Transactions/SubmitOrderRequest"):
            tracking = str(uuid.uuid4())
            self.orders[tracking] = {**body, "tracking": tracking, "status_code": 0}
            return 200, {"order_tracking_id": tracking, "merchant_reference": body["id"],
                         "redirect_url": f"https://cybqa.pesapal.com/pesapaliframe/PesapalIframe3/Index?OrderTrackingId={tracking}",
                         "error": None, "status": "200"}
        if url.path.endswith("/api/Transactions/GetTransactionStatus"):
            tracking = parse_qs(url.query).get("orderTrackingId", [""])[0]
            order = self.orders.get(tracking)
            if order is None:
                return 200, {"error": {"error_type": "api_error", "code": "invalid_order", "message": "Not found"}, "status": "500"}
            code = order["status_code"]
            return 200, {
                "payment_method": "MpesaKE", "amount": order.get("paid_amount", float(order["amount"])),
                "created_date": "2026-12-01T10:00:00", "confirmation_code": f"QK{tracking[:8].upper()}" if code else "",
                "payment_status_description": {0: "INVALID", 1: "Completed", 2: "Failed", 3: "Reversed"}[code],
                "description": "", "message": "Request processed successfully", "payment_account": "2547XXXX",
                "call_back_url": order["callback_url"], "status_code": code, "merchant_reference": order["id"],
                "payment_status_code": "", "currency": order.get("paid_currency", order["currency"]),
                "error": {"error_type": None, "code": None, "message": None, "call_back_url": None},
                "status": "200"}
        return 404, {"error": {"code": "not_found", "message": path}}


@contextmanager
def pesapal_standin() -> Iterator[tuple]:
    standin = PesaPalStandIn()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            status, payload = standin.answer(self.command, self.path, self.headers, body)
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = _serve

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin, f"http://127.0.0.1:{server.server_port}/pesapalv3"
    finally:
        server.shutdown()
        server.server_close()
