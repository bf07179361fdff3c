"""OpenAPI entries of issue 16: search, reports, moderation and blocks (merged in document.py)."""
from __future__ import annotations

from .operations import CURSOR, LIMIT_CURSOR, UUID_SCHEMA, op, path_param
from .schemas import COUNT, NULLABLE_STR, TIMESTAMP, UUID, page_of, ref

REDIRECT = {"308": {"description": "`q` is not in its normal form: Location names the normal "
                                   "form (cacheable); only the normal form is computed and cached."}}

SCHEMAS = {
    "UserPage": page_of("User"),
    "HashtagCount": {"type": "object", "required": ["hashtag", "videos_count"],
                     "properties": {"hashtag": {"type": "string"}, "videos_count": COUNT}},
    "HashtagPage": page_of("HashtagCount"),
    "Report": {
        "type": "object",
        "required": ["id", "target_type", "target_id", "reason", "note", "status", "created_at"],
        "properties": {"id": UUID, "target_type": {"enum": ["video", "comment", "user"]},
                       "target_id": UUID, "reason": {"type": "string"}, "note": NULLABLE_STR,
                       "status": {"enum": ["open", "actioned", "dismissed"]}, "created_at": TIMESTAMP},
    },
    "ReportQueueItem": {
        "type": "object",
        "required": ["target_type", "target_id", "weight", "reports_count", "reasons"],
        "properties": {"target_type": {"type": "string"}, "target_id": UUID, "weight": {"type": "number"},
                       "reports_count": COUNT, "reasons": {"type": "array", "items": {"type": "string"}},
                       "first_reported_at": TIMESTAMP, "last_reported_at": TIMESTAMP},
    },
    "ReportQueue": page_of("ReportQueueItem"),
    "ModerationResult": {
        "type": "object",
        "required": ["target_type", "target_id", "action", "reason", "changed", "hidden"],
        "properties": {"target_type": {"type": "string"}, "target_id": UUID, "action": {"type": "string"},
                       "reason": {"type": "string"}, "changed": {"type": "boolean"},
                       "hidden": {"type": "boolean"}, "audited_at": {"type": ["string", "null"]}},
    },
    "BlockState": {"type": "object", "required": ["blocked"],
                   "properties": {"blocked": {"type": "boolean"}, "changed": {"type": "boolean"}}},
    "BlockList": {"type": "object", "required": ["ids"],
                  "properties": {"ids": {"type": "array", "items": UUID}}},
}

REASONS = ["spam", "misinformation", "other", "copyright", "harassment", "hate", "sexual_content",
           "violence", "self_harm", "child_safety"]
REPORT_BODY = {
    "type": "object", "required": ["target_type", "target_id", "reason"], "additionalProperties": False,
    "properties": {"target_type": {"enum": ["video", "comment", "user"]}, "target_id": UUID,
                   "reason": {"enum": REASONS}, "note": {"type": "string", "maxLength": 1000}},
}
REASON_BODY = {"type": "object", "required": ["reason"], "additionalProperties": False,
               "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 1000}}}
ID = path_param("id", UUID_SCHEMA)


def _q(what: str) -> dict:
    return {"name": "q", "in": "query", "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": 256}, "description": what}


def _search(summary: str, page: str, q: str) -> dict:
    operation = op(summary, "search", ref(page), cacheable=True, params=[_q(q), CURSOR, LIMIT_CURSOR])
    operation["responses"].update(REDIRECT)
    return operation


OPERATIONS = {
    ("GET", "/v1/search/videos"): _search(
        "Videos whose title, hashtags or description hold every word (the last also as a "
        "prefix), by relevance, popularity and freshness", "VideoPage",
        "Words; normal form: NFKC, lower case, words joined by one space (at most 8)."),
    ("GET", "/v1/search/users"): _search(
        "People by username or full name, typos tolerated (trigram similarity) or a "
        "username prefix", "UserPage", "A name; normal form: lower case, no `@`, single spaces."),
    ("GET", "/v1/search/hashtags"): _search(
        "Hashtags starting with q (completion), most videos first", "HashtagPage",
        "A prefix; normal form: lower case, no `#`, letters, digits and `_` only."),
}


def _admin(summary: str, description: str) -> dict:
    return op(summary, "moderation", ref("ModerationResult"), auth="required", params=[ID],
              body=REASON_BODY, errors=(403, 404), description=description)


_HIDE = ("Hidden at once from every list, search, single read and trending (stored lists "
         "rewritten, CDN invalidated); the reason kept and audited; the owner notified; open "
         "reports on it resolved. Repeating it changes nothing (`changed: false`).")
OPERATIONS.update({
    ("POST", "/v1/reports"): op(
        "Report a video, comment or user", "moderation", ref("Report"), status=201, also_ok=(200,),
        auth="required", body=REPORT_BODY, errors=(404, 429),
        description="One open report per reporter and target: a repeat answers the open one "
                    "(200). Rate-limited (RATE_LIMITS `report`)."),
    ("GET", "/v1/admin/reports"): op(
        "The moderators' queue: reported targets, heaviest first", "moderation", ref("ReportQueue"),
        auth="required", errors=(403,), params=[CURSOR, LIMIT_CURSOR]),
    ("POST", "/v1/admin/videos/{id}/takedown"): _admin("Take a video down", _HIDE),
    ("POST", "/v1/admin/videos/{id}/restore"): _admin("Restore a taken-down video", "Audited; the owner notified."),
    ("POST", "/v1/admin/comments/{id}/takedown"): _admin("Take a comment down", _HIDE),
    ("POST", "/v1/admin/comments/{id}/restore"): _admin("Restore a taken-down comment", "Audited; the owner notified."),
    ("POST", "/v1/admin/users/{id}/suspend"): _admin(
        "Suspend a user", "Their tokens are refused (401), their profile, videos and comments hidden, "
                          "their videos purged from trending. Audited."),
    ("POST", "/v1/admin/users/{id}/restore"): _admin("Restore a suspended user", "Audited."),
})

_BLOCK = ("A block removes the follows both ways; while it lasts neither may follow, comment on "
          "the other's videos, gift or notify the other, and the blocker's private lists "
          "(following feed, notifications) leave the other out. Idempotent.")
OPERATIONS.update({
    ("PUT", "/v1/users/{id}/block"): op("Block a user", "blocks", ref("BlockState"), auth="required",
                                        params=[ID], errors=(404, 429), description=_BLOCK),
    ("DELETE", "/v1/users/{id}/block"): op("Unblock a user", "blocks", ref("BlockState"),
                                           auth="required", params=[ID], description=_BLOCK),
    ("GET", "/v1/me/blocks"): op(
        "The ids I block (to filter public, cached lists on the client)", "blocks", ref("BlockList"),
        auth="required"),
})
