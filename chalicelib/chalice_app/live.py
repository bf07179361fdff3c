"""Live session routes (issue 17, FRONTEND.md section 6). Thin: parse, call
chalicelib.live.sessions, answer. The session list and one session are public and briefly
cacheable (no per-user field in them); everything a user does or may see alone is private."""
from __future__ import annotations

from chalice import Blueprint

from ..http import CachePolicy, int_param, json_body, private_json, public_json, query, uuid_param
from ..live import realtime, sessions
from .identity import signed_in

bp = Blueprint(__name__)

# Who is live, and how many watch: a few seconds behind is fine; the room itself is live
# over the socket.
LIVE_LIST = CachePolicy(max_age=5, s_maxage=5, stale_while_revalidate=10, stale_if_error=60)
LIST_MAX = 100


def listen_for_gifts() -> None:
    """A gift sent during a session appears in its chat (chalicelib.gifts.events)."""
    from ..gifts import events
    from ..live import chat

    events.subscribe(chat.announce_gift)


@bp.route("/live/start", methods=["POST"])
def start():
    request = bp.current_request
    user = signed_in(request)
    return private_json(sessions.start(user.user_id, sessions.parse_start(json_body(request))))


@bp.route("/live/list", methods=["GET"])
def listing():
    request = bp.current_request
    status = query(request).get("status", "active")
    limit = int_param(request, "limit", 50, minimum=1, maximum=LIST_MAX)
    return public_json(request, sessions.listing(status, limit), LIVE_LIST)


@bp.route("/live/join", methods=["POST"])
def join():
    request = bp.current_request
    body = json_body(request)
    session_id = uuid_param(body.get("session_id"), "session_id")
    user = signed_in(request)
    return private_json(sessions.join(user.user_id, session_id))


@bp.route("/live/{session_id}/end", methods=["POST"])
def end(session_id: str):
    session_id = uuid_param(session_id, "session_id")
    user = signed_in(bp.current_request)
    return private_json(sessions.end(user.user_id, session_id))


@bp.route("/live/{session_id}", methods=["GET"])
def one(session_id: str):
    request = bp.current_request
    return public_json(request, sessions.read(uuid_param(session_id, "session_id")), LIVE_LIST)


@bp.route("/live/participants/{session_id}", methods=["GET"])
def participants(session_id: str):
    request = bp.current_request
    session_id = uuid_param(session_id, "session_id")
    limit = int_param(request, "limit", 100, minimum=1, maximum=500)
    return public_json(request, sessions.participants(session_id, limit), LIVE_LIST)


@bp.route("/live/guest-requests/{session_id}", methods=["GET"])
def guest_requests(session_id: str):
    request = bp.current_request
    session_id = uuid_param(session_id, "session_id")
    limit = int_param(request, "limit", 50, minimum=1, maximum=200)
    user = signed_in(request)
    status = query(request).get("status", "pending")
    return private_json(sessions.guest_requests(user.user_id, session_id, status, limit))


@bp.route("/live/request-guest", methods=["POST"])
def request_guest():
    request = bp.current_request
    body = json_body(request)
    session_id = uuid_param(body.get("session_id"), "session_id")
    user = signed_in(request)
    row = sessions.request_guest(user.user_id, session_id, body.get("message"),
                                 body.get("request_type", "guest"))
    realtime.to_session(session_id, realtime.frame(
        "guest_request", user_id=user.user_id, username=row["username"], timestamp=row["created_at"]),
        roles=["host", "cohost"])
    return private_json(row)
