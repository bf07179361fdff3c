"""Which query parameters each route reads, found by calling it: every request's query
parameters are replaced by a mapping that records the names the code looks up. Until the
route declarations (issue 12) state them, this is what the edge's cache keys are checked
against (tests/test_edge_cache_keys.py)."""
from __future__ import annotations

import re
import threading
from typing import Dict, Set

ALL = "*"  # the route reads every parameter it was sent (dict(query(...)))
PROBE = "zz_probe"  # sent with every call, so the parameters are never empty (`or {}`)
SAMPLE_ID = "00000000-0000-4000-8000-000000000001"
_state = threading.local()


def _recording_class():
    from chalice.app import MultiDict

    class Recording(MultiDict):
        def __getitem__(self, key):
            _reads().add(key)
            return super().__getitem__(key)

        def getlist(self, key):
            _reads().add(key)
            return super().getlist(key)

        def __iter__(self):
            if not getattr(_state, "sizing", False):
                _reads().add(ALL)
            return super().__iter__()

    return Recording


def _reads() -> Set[str]:
    if not hasattr(_state, "reads"):
        _state.reads = set()
    return _state.reads


def sample_path(template: str) -> str:
    path = template.replace("{tag}", "kenya")
    return re.sub(r"\{[^}]+\}", SAMPLE_ID, path)


def reads_of_routes(chalice_app, monkeypatch, headers: Dict[str, str]) -> Dict[tuple, Set[str]]:
    """{(method, route template): names read} for every route but OPTIONS, called once with
    `headers` (a signed-in caller's, so routes needing one get past the 401)."""
    from chalice.app import Request
    from chalice.test import Client

    from chalicelib.chalice_app import middleware

    recording = _recording_class()
    original_init, original_size = Request.__init__, middleware.check_query_size

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.query_params = recording(dict(self.query_params or {}))

    def sizing(request):
        _state.sizing = True
        try:
            return original_size(request)
        finally:
            _state.sizing = False

    monkeypatch.setattr(Request, "__init__", init)
    monkeypatch.setattr(middleware, "check_query_size", sizing)
    out: Dict[tuple, Set[str]] = {}
    with Client(chalice_app, stage_name="test") as client:
        for template, entries in chalice_app.routes.items():
            for method in entries:
                if method == "OPTIONS":
                    continue
                _state.reads = set()
                client.http.request(method, f"{sample_path(template)}?{PROBE}=1",
                                    headers={"Content-Type": "application/json", **headers},
                                    body=b"{}")
                out[(method, template)] = _reads() - {PROBE}
    return out
