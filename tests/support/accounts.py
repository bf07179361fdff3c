"""Helpers for the accounts tests: the frontend's JSON calls, the local outbox, snapshots of
every row the accounts routes could change."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

ACCOUNT_TABLES = ("users", "email_verifications", "password_resets", "two_factor_codes")
JSON = {"Content-Type": "application/json"}


def post(client, path: str, body: Any = None, *, token: Optional[str] = None,
         address: Optional[str] = None, raw: Optional[str] = None):
    headers = dict(JSON)
    if token:
        headers["Authorization"] = "Bearer " + token
    if address:  # as CloudFront sends it: the viewer's address, with the origin secret
        headers["CloudFront-Viewer-Address"] = f"{address}:443"
        headers["X-Origin-Verify"] = "test-origin-secret"
    data = raw if raw is not None else ("" if body is None else json.dumps(body))
    return client.http.post(path, headers=headers, body=data)


def get(client, path: str, token: Optional[str] = None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    return client.http.get(path, headers=headers)


def body(response) -> Any:
    return json.loads(response.body)


def signup(client, email="wanjiku@example.com", username="wanjiku", password="siri-yangu",
           full_name="", **kwargs) -> Dict[str, Any]:
    response = post(client, "/auth/signup", {"email": email, "username": username,
                                             "password": password, "full_name": full_name}, **kwargs)
    assert response.status_code == 200, response.body
    return body(response)


def login(client, email="wanjiku@example.com", password="siri-yangu", **kwargs):
    return post(client, "/auth/login", {"email": email, "password": password}, **kwargs)


def snapshot(sql) -> Dict[str, list]:
    return {table: sql(f"SELECT to_jsonb(t)::text AS row FROM {table} t ORDER BY 1") for table in ACCOUNT_TABLES}


class Outbox:
    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self) -> List[Dict[str, Any]]:
        if not self.folder.exists():
            return []
        return [json.loads(p.read_text()) for p in sorted(self.folder.glob("*.json"))]

    def last(self, to: str) -> Dict[str, Any]:
        mine = [m for m in self.messages() if m["to"] == to]
        assert mine, f"no mail to {to}"
        return mine[-1]

    def token(self, to: str) -> str:
        return re.search(r"token=([A-Za-z0-9_\-]+)", self.last(to)["text"]).group(1)

    def code(self, to: str) -> str:
        return re.search(r"\b(\d{6})\b", self.last(to)["text"]).group(1)


@pytest.fixture
def outbox(tmp_path, settings_env) -> Outbox:
    folder = tmp_path / "outbox"
    settings_env(MAIL_OUTBOX_DIR=str(folder), MAIL_FROM=None)
    return Outbox(folder)
