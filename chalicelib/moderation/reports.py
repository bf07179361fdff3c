"""Reports: what a user may report and why, and the queue moderators work through."""
from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from .. import cursors, db, ratelimit, timestamps
from ..errors import BadRequest, NotFound
from ..feed import Page
from ..repo import moderation as repo
from .reasons import REASONS


def _shape(row: dict) -> Dict[str, Any]:
    return {"id": str(row["id"]), "target_type": row["target_type"],
            "target_id": str(row["target_id"]), "reason": row["reason"], "note": row["note"],
            "status": row["status"], "created_at": timestamps.iso(row["created_at"])}


def report(reporter_id: str, target_type: str, target_id: str, reason: str,
           note: Optional[str]) -> Tuple[Dict[str, Any], bool]:
    """(the report, created?). A repeat while the first is open answers the first (200).
    The fields are checked by the body's model (schema.moderation.NewReport)."""
    if target_type == "user" and target_id == reporter_id:
        raise BadRequest("You cannot report yourself")

    def work(conn: Any) -> Tuple[dict, bool]:
        existing = repo.open_report(conn, reporter_id, target_type, target_id)
        if existing is not None:
            return existing, False
        if not repo.target_exists(conn, target_type, target_id):
            raise NotFound(f"{target_type.title()} not found")
        ratelimit.check(conn, reporter_id, "report")
        row = repo.insert_report(conn, reporter_id, target_type, target_id, reason, note)
        if row is None:  # a concurrent duplicate committed first
            return repo.open_report(conn, reporter_id, target_type, target_id), False
        return row, True

    row, created = db.in_transaction(work)
    return _shape(row), created


def queue(cursor: Optional[str], limit: int) -> Page:
    after = cursors.decode_ranked("reports-queue", cursor) if cursor is not None else None
    rows = repo.queue(list(REASONS), list(REASONS.values()), after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursors.encode_ranked("reports-queue", rows[-1]["weight"], rows[-1]["key"]) if more else None
    items = [{
        "target_type": r["target_type"], "target_id": str(r["target_id"]), "weight": r["weight"],
        "reports_count": r["reports_count"], "reasons": list(r["reasons"]),
        "first_reported_at": timestamps.iso(r["first_reported_at"]),
        "last_reported_at": timestamps.iso(r["last_reported_at"]),
    } for r in rows]
    return Page(items, next_cursor)


def dismiss(moderator_id: str, target_type: str, target_id: str, reason: str) -> Dict[str, Any]:
    """Close every open report on the target without acting on it: one transaction, audited
    (`dismiss_reports`) only when some were open; a repeat changes and audits nothing. A
    report filed later opens the target's queue entry again (a new signal)."""

    def work(conn: Any) -> Dict[str, Any]:
        if repo.hidden_state(conn, target_type, target_id) is None:
            raise NotFound(f"{target_type.title()} not found")
        dismissed = repo.dismiss_reports(conn, target_type, target_id, moderator_id)
        if not dismissed:
            return {"changed": False, "reports_dismissed": 0, "audited_at": None}
        entry = repo.audit(conn, moderator_id, "dismiss_reports", target_type, target_id, reason)
        return {"changed": True, "reports_dismissed": dismissed,
                "audited_at": timestamps.iso(entry["created_at"])}

    outcome = db.in_transaction(work)
    return {"target_type": target_type, "target_id": target_id, "action": "dismiss_reports",
            "reason": reason, **outcome}
