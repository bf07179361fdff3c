"""PesaPal API 3.0 (M-Pesa and cards through PesaPal), JSON over HTTPS with urllib.

- `POST /api/Auth/RequestToken` {consumer_key, consumer_secret} -> {token, expiryDate}
  (valid 5 minutes; kept per environment until a minute before it expires)
- `POST /api/URLSetup/RegisterIPN` {url, ipn_notification_type} -> {ipn_id}
- `POST /api/Transactions/SubmitOrderRequest` {id, currency, amount, description,
  callback_url, notification_id, billing_address} -> {order_tracking_id, redirect_url}
- `GET /api/Transactions/GetTransactionStatus?orderTrackingId=` -> {status_code (0 invalid or
  not paid yet, 1 completed, 2 failed, 3 reversed), amount, currency, merchant_reference,
  confirmation_code, payment_status_description}

An IPN carries no signature: it only tells us to ask GetTransactionStatus, and only that
answer (over TLS, with our token) moves coins. Amounts are read as Decimal, never float.
"""
from __future__ import annotations

import json
import threading
import time
from decimal import Decimal
from typing import Any, Dict, Optional

from ..config import settings
from ..errors import BadGateway, ServiceUnavailable

TIMEOUT_S = 10
STATES = {0: "pending", 1: "completed", 2: "failed", 3: "reversed"}

_lock = threading.Lock()
_token: Dict[str, Any] = {}
_ipn: Dict[str, str] = {}


def configured() -> bool:
    cfg = settings()
    return bool(cfg.secret("PESAPAL_CONSUMER_KEY") and cfg.secret("PESAPAL_CONSUMER_SECRET"))


def forget() -> None:
    with _lock:
        _token.clear()
        _ipn.clear()


def _call(method: str, path: str, body: Optional[dict] = None, token: Optional[str] = None) -> dict:
    url = settings().pesapal_api_base + path
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    # urllib.request brings http.client, ssl and email: 35 ms of every cold start if
    # imported with the module, for the few calls that pay.
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body, default=str).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            payload = json.loads(answer.read(), parse_float=Decimal)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise BadGateway(f"PesaPal did not answer ({type(exc).__name__})") from exc
    if not isinstance(payload, dict):
        raise BadGateway("PesaPal answered something that is not a JSON object")
    error = payload.get("error")
    if error and (not isinstance(error, dict) or error.get("code") or error.get("message")):
        message = error.get("message") if isinstance(error, dict) else error
        raise BadGateway(f"PesaPal refused the request: {message}")
    return payload


def token() -> str:
    with _lock:
        if _token and _token["until"] > time.monotonic():
            return _token["value"]
    if not configured():
        raise ServiceUnavailable("PesaPal payments are not configured (PESAPAL_CONSUMER_KEY/SECRET)")
    cfg = settings()
    answer = _call("POST", "/api/Auth/RequestToken", {
        "consumer_key": cfg.secret("PESAPAL_CONSUMER_KEY"),
        "consumer_secret": cfg.secret("PESAPAL_CONSUMER_SECRET")})
    value = answer.get("token")
    if not isinstance(value, str) or not value:
        raise BadGateway("PesaPal gave no token")
    with _lock:
        _token.update(value=value, until=time.monotonic() + 240)  # valid 5 min; renew at 4
    return value


def notification_id(ipn_url: str) -> str:
    """PESAPAL_IPN_ID, else this environment's registration of `ipn_url` (RegisterIPN)."""
    configured_id = settings().pesapal_ipn_id
    if configured_id:
        return configured_id
    with _lock:
        if ipn_url in _ipn:
            return _ipn[ipn_url]
    answer = _call("POST", "/api/URLSetup/RegisterIPN",
                   {"url": ipn_url, "ipn_notification_type": "GET"}, token())
    ipn_id = answer.get("ipn_id")
    if not isinstance(ipn_id, str) or not ipn_id:
        raise BadGateway("PesaPal registered no IPN id")
    with _lock:
        _ipn[ipn_url] = ipn_id
    return ipn_id


def submit_order(*, merchant_reference: str, amount: Decimal, currency: str, description: str,
                 callback_url: str, ipn_url: str, email: Optional[str], phone: Optional[str]) -> dict:
    body = {"id": merchant_reference, "currency": currency, "amount": str(amount),
            "description": description[:100], "callback_url": callback_url,
            "notification_id": notification_id(ipn_url),
            "billing_address": {"email_address": email or "", "phone_number": phone or "",
                                "country_code": "KE"}}
    answer = _call("POST", "/api/Transactions/SubmitOrderRequest", body, token())
    if answer.get("merchant_reference") not in (None, merchant_reference):
        raise BadGateway("PesaPal answered for another order")
    if not answer.get("order_tracking_id") or not answer.get("redirect_url"):
        raise BadGateway("PesaPal gave no order tracking id or redirect URL")
    return answer


def transaction_status(order_tracking_id: str) -> dict:
    from urllib.parse import quote

    return _call("GET", "/api/Transactions/GetTransactionStatus?orderTrackingId="
                 + quote(order_tracking_id, safe=""), token=token())
