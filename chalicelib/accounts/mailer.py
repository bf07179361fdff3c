"""Mail to users: Amazon SES when MAIL_FROM is set (prod), else a local outbox folder.

Locally (`make dev`, no SES) every message becomes one JSON file in MAIL_OUTBOX_DIR
(.local/outbox) and its link is logged, so a person can follow the flow by hand.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Optional

from ..config import settings

log = logging.getLogger("trendke.mail")

_client_lock = threading.Lock()
_clients: Dict[str, Any] = {}


def _ses() -> Any:
    """One SES client per execution environment (boto3 imported on first mail only)."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "eu-west-1"
    with _client_lock:
        client = _clients.get(region)
        if client is None:
            import boto3

            client = _clients[region] = boto3.client("ses", region_name=region)
        return client


def forget_clients() -> None:
    with _client_lock:
        _clients.clear()


def send(to: str, subject: str, text: str, link: Optional[str] = None) -> None:
    """Send one plain-text message (the link, if any, is part of `text`)."""
    cfg = settings()
    if cfg.mail_from:
        _ses().send_email(
            Source=cfg.mail_from,
            Destination={"ToAddresses": [to]},
            Message={"Subject": {"Data": subject, "Charset": "UTF-8"},
                     "Body": {"Text": {"Data": text, "Charset": "UTF-8"}}},
        )
        return
    folder = Path(cfg.mail_outbox_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.json"
    message = {"to": to, "subject": subject, "text": text, "link": link}
    tmp = folder / (name + ".tmp")
    tmp.write_text(json.dumps(message, ensure_ascii=False, indent=1))
    tmp.rename(folder / name)
    log.warning("mail to %s: %s %s (outbox %s)", to, subject, link or "", folder / name)
