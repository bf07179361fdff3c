"""The CloudFront Function of the /ws/* behaviour (infra/ws_rewrite.js): the template holds
the file byte for byte, and node runs it on the requests the frontend makes."""
from __future__ import annotations

import json
from pathlib import Path

from tests.support import cloudfront_function

ROOT = Path(__file__).resolve().parent.parent
CODE = (ROOT / "infra" / "ws_rewrite.js").read_text()
SID = "3b7ee8a2-61f5-4a4b-9b1b-6f3e3a1f0c55"


def _run(requests: list) -> list:
    return cloudfront_function.run("ws_rewrite.js", requests)


def test_the_template_inlines_the_file_byte_for_byte():
    from cfnlint.decode import decode

    template, matches = decode(str(ROOT / "infra" / "edge.yaml"))
    assert not matches
    function = template["Resources"]["WsRewriteFunction"]["Properties"]
    assert function["FunctionCode"] == CODE
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"


def test_the_stage_path_is_the_chalice_stage():
    chalice = json.loads((ROOT / ".chalice" / "config.json").read_text())
    assert f"var STAGE_PATH = '/{chalice['stages']['prod']['api_gateway_stage']}';" in CODE


def test_the_session_path_moves_into_the_query_string():
    token = {"value": "eyJhbGciOi.x.y"}
    out = _run([
        {"uri": f"/ws/live/{SID}", "querystring": {"token": token, "username": {"value": "amina%20k"}}},
        {"uri": f"/ws/live/{SID.upper()}/", "querystring": {"token": token, "session_id": {"value": "other"}}},
    ])
    assert out[0]["uri"] == "/api"
    assert out[0]["querystring"] == {"token": token, "username": {"value": "amina%20k"},
                                     "session_id": {"value": SID}}
    assert out[1]["uri"] == "/api" and out[1]["querystring"]["session_id"] == {"value": SID}


def test_anything_else_under_ws_is_a_404_at_the_edge():
    out = _run([{"uri": u, "querystring": {}} for u in
                ("/ws/live/", "/ws/live/not-a-uuid", f"/ws/live/{SID}/extra", "/ws/connect", f"/ws/live/{SID}x")])
    assert [o.get("statusCode") for o in out] == [404] * 5
    assert all(json.loads(o["body"]) == {"detail": "Not found"} for o in out)
