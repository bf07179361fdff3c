"""The CloudFront Function that lets signed-in readers share public cache entries
(infra/public_reads.js, StripAuthorizationOnPublicReads): the template holds the file byte for
byte, node runs it, and it strips the token only from GET and HEAD of the public reads. Which
routes those are is checked against the declarations in tests/test_edge_stack.py."""
from __future__ import annotations

from pathlib import Path

from tests.support import cloudfront_function
from tests.test_edge_stack import _behaviours, distribution, template  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
CODE = (ROOT / "infra" / "public_reads.js").read_text()
SID = "3b7ee8a2-61f5-4a4b-9b1b-6f3e3a1f0c55"
TOKEN = {"authorization": {"value": "Bearer eyJhbGciOi.x.y"}, "if-none-match": {"value": '"e1"'}}


def _kept(requests: list) -> list:
    """For each (method, uri): whether Authorization reaches the cache key."""
    out = cloudfront_function.run("public_reads.js", [
        {"method": m, "uri": u, "headers": dict(TOKEN)} for m, u in requests])
    for request in out:
        assert request["headers"]["if-none-match"] == TOKEN["if-none-match"]  # nothing else goes
    return ["authorization" in r["headers"] for r in out]


def test_the_template_inlines_the_file_byte_for_byte(template):
    function = template["Resources"]["StripAuthorizationOnPublicReads"]["Properties"]
    assert function["FunctionCode"] == CODE
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"


def test_public_reads_lose_the_token_on_get_and_head():
    reads = [f"/v1/videos/{SID}", f"/v1/videos/{SID}/comments", f"/v1/users/{SID}/videos",
             f"/v1/users/{SID}/followers", f"/v1/users/{SID}/following", "/live/list",
             f"/live/{SID}", f"/live/participants/{SID}"]
    assert _kept([(m, u) for u in reads for m in ("GET", "HEAD")]) == [False] * (2 * len(reads))


def test_writes_and_private_reads_keep_the_token():
    """What an attacker or a careless client could aim at: a write on a public path, a host-only
    live read, my own video, the view-counting old detail, near misses of the patterns."""
    kept = [("POST", f"/v1/videos/{SID}/comments"), ("PUT", f"/v1/users/{SID}/follow"),
            ("DELETE", f"/v1/users/{SID}/block"), ("DELETE", f"/v1/videos/{SID}"),
            ("POST", "/live/start"), ("POST", f"/live/{SID}/end"), ("OPTIONS", "/live/list"),
            ("GET", f"/live/guest-requests/{SID}"), ("GET", f"/v1/me/videos/{SID}"),
            ("GET", f"/videos/{SID}"), ("GET", "/auth/me"), ("GET", "/gifts/balance"),
            ("GET", f"/v1/users/{SID}/follow"), ("GET", f"/v1/videos/{SID}/comments/x"),
            ("GET", f"/xv1/videos/{SID}"), ("GET", f"/live/{SID}/end")]
    assert _kept(kept) == [True] * len(kept)


def test_the_function_runs_where_public_reads_share_a_token_keyed_behaviour(template, distribution):
    """The default behaviour (a video, the live room), comments, and the paths under a profile:
    each keys on Authorization for its writes, so each needs the function for its reads."""
    attached = {path for path, b in _behaviours(distribution).items()
                if any(a["FunctionARN"]["Fn::GetAtt"][0] == "StripAuthorizationOnPublicReads"
                       for a in b.get("FunctionAssociations", []))}
    assert attached == {"*", "/v1/videos/*/comments", "/v1/users/*/*"}
