"""Chat and reactions in a live session, with their limits: the session's chat switch and
slow mode (live_session_settings), a maximum length, and per-user rate limits (RATE_LIMITS
`live_chat`, `live_reaction`). Hosts and co-hosts are not slowed down."""
from __future__ import annotations

import math
from typing import Any

from .. import db, ratelimit
from ..errors import BadRequest, Forbidden, Gone, TooManyRequests
from ..repo import live, live_connections
from ..timestamps import iso

MAX_CHAT_CHARS = 500
REACTIONS = {"❤️", "🔥", "👏", "😮", "😂", "🎉", "👍", "💯", "😍", "🙏"}


def clean_message(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("'message' must be non-empty text")
    text = text.strip()
    if len(text) > MAX_CHAT_CHARS:
        raise BadRequest(f"'message' may be at most {MAX_CHAT_CHARS} characters")
    if "\x00" in text:
        raise BadRequest("Text may not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("Text must be valid Unicode") from None
    return text


def _active(conn: Any, session_id: str) -> None:
    session = live.session(conn, session_id)
    if session is None or session["status"] != "active":
        raise Gone("Live session has ended")


def post(caller: Any, text: Any) -> dict:
    """Store one chat message; answers the chat_message fields to broadcast."""
    text = clean_message(text)

    def unit(conn: Any) -> dict:
        _active(conn, caller.session_id)
        # First: the rate-limit row is locked per user, so two frames of one user queue here
        # and the slow-mode read below sees the other's message.
        ratelimit.check(conn, caller.user_id, "live_chat")
        rules = live.settings(conn, caller.session_id)
        if not caller.moderator:
            if rules["enable_chat"] is False:
                raise Forbidden("Chat is switched off in this live session")
            slow = int(rules["chat_slow_mode"] or 0)
            since = live_connections.seconds_since_last_message(conn, caller.session_id, caller.user_id)
            if slow > 0 and since is not None and since < slow:
                raise TooManyRequests(f"Slow mode: one message every {slow} s",
                                      retry_after_s=max(1, math.ceil(slow - since)))
        return live_connections.add_message(conn, caller.session_id, caller.user_id, text)

    row = db.in_transaction(unit)
    return {"id": str(row["id"]), "user_id": caller.user_id, "username": caller.username,
            "message": text, "timestamp": iso(row["created_at"])}


def react(caller: Any, reaction: Any) -> str:
    if reaction not in REACTIONS:
        raise BadRequest("'reaction' must be one of " + " ".join(sorted(REACTIONS)))

    def unit(conn: Any) -> None:
        _active(conn, caller.session_id)
        ratelimit.check(conn, caller.user_id, "live_reaction")
        live_connections.add_reaction(conn, caller.session_id, caller.user_id, reaction)

    db.in_transaction(unit)
    return reaction


def announce_gift(gift: dict) -> None:
    """A committed gift to a live session: a `gift` line in its chat, and `chat_message`
    (with the gift's fields) to every socket. Called after the gift's commit; a failure here
    is logged by the caller and the gift stands."""
    import json

    from . import realtime

    session_id = gift.get("live_session_id")
    if not session_id:
        return
    quantity = int(gift.get("amount") or 1)
    text = f"sent {gift.get('gift_emoji') or ''} {gift.get('gift_name') or 'a gift'}".replace("  ", " ")
    text += f" x{quantity}" if quantity > 1 else ""
    meta = {k: gift.get(k) for k in ("id", "gift_type_id", "gift_name", "gift_emoji", "amount",
                                     "total_coins", "recipient_id")}
    row = db.in_transaction(lambda c: live_connections.add_message(
        c, session_id, gift["sender_id"], text, "gift", json.dumps(meta)))
    realtime.to_session(session_id, realtime.frame(
        "chat_message", id=str(row["id"]), user_id=gift["sender_id"], username=gift.get("sender_username"),
        message=text, message_type="gift", gift=meta, timestamp=iso(row["created_at"])))
