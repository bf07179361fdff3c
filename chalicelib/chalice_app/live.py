"""Live session routes (issue 17, FRONTEND.md section 6). Thin: the declarations decode and
check, chalicelib.live.sessions does the work. The session list and one session are public and
briefly cacheable (no per-user field in them); everything a user does or may see alone is
private."""
from __future__ import annotations

from typing import List

import msgspec
from chalice import Blueprint

from ..lazy import lazy
from ..http import CachePolicy
from ..schema import live as shape
from .declare import SIGNED_IN, Call, endpoint

realtime = lazy("chalicelib.live.realtime")
sessions = lazy("chalicelib.live.sessions")

bp = Blueprint(__name__)
TAG = "live"

# Who is live, and how many watch: a few seconds behind is fine; the room itself is live
# over the socket.
LIVE_LIST = CachePolicy(max_age=5, s_maxage=5, stale_while_revalidate=10, stale_if_error=60)


def listen_for_gifts() -> None:
    """A gift sent during a session appears in its chat (chalicelib.gifts.events)."""
    from ..gifts import events
    from ..live import chat

    events.subscribe(chat.announce_gift)


@endpoint(bp, "POST", "/live/start", summary="Go live: a new active session hosted by me (my older active one ends)",
          tag=TAG, auth=SIGNED_IN, body=shape.LiveStart, answer=shape.LiveSession, rate_limit="live_start")
def live_start(call: Call):
    return sessions.start(call.user_id, msgspec.structs.asdict(call.body))


@endpoint(bp, "GET", "/live/list", summary="Live sessions by status, newest first (public; a few seconds of CDN cache)",
          tag=TAG, query=shape.LiveListQuery, answer=List[shape.LiveSession], cache=LIVE_LIST)
def live_list(call: Call):
    return sessions.listing(call.query.status, call.query.limit)


@endpoint(bp, "POST", "/live/join", summary="Take a seat in an active session (idempotent; the count moves with the socket)",
          tag=TAG, auth=SIGNED_IN, body=shape.LiveSessionRef, answer=shape.LiveJoin, errors=(403, 404, 410))
def live_join(call: Call):
    return sessions.join(call.user_id, call.body.session_id)


@endpoint(bp, "POST", "/live/{session_id}/end", summary="End my session (host only): every socket gets session_ended and is closed",
          tag=TAG, params=shape.SessionIdPath, auth=SIGNED_IN, answer=shape.LiveMessage, errors=(403, 404))
def live_end(call: Call):
    return sessions.end(call.user_id, call.path.session_id)


@endpoint(bp, "GET", "/live/{session_id}", summary="One live session (public)", tag=TAG,
          params=shape.SessionIdPath, answer=shape.LiveSession, cache=LIVE_LIST, errors=(404,))
def live_session(call: Call):
    return sessions.read(call.path.session_id)


@endpoint(bp, "GET", "/live/participants/{session_id}", summary="Who is in a session: host, co-hosts, guests, then viewers (public)",
          tag=TAG, params=shape.SessionIdPath, query=shape.ParticipantsQuery,
          answer=List[shape.LiveParticipant], cache=LIVE_LIST, errors=(404,))
def live_participants(call: Call):
    return sessions.participants(call.path.session_id, call.query.limit)


@endpoint(bp, "GET", "/live/guest-requests/{session_id}", summary="Guest requests of a session (host and co-hosts only)",
          tag=TAG, params=shape.SessionIdPath, query=shape.GuestRequestsQuery, auth=SIGNED_IN,
          answer=List[shape.LiveGuestRequest], errors=(403, 404))
def live_guest_requests(call: Call):
    return sessions.guest_requests(call.user_id, call.path.session_id, call.query.status, call.query.limit)


@endpoint(bp, "POST", "/live/request-guest", summary="Ask to join the stage (the host and co-hosts get guest_request on the socket)",
          tag=TAG, auth=SIGNED_IN, body=shape.LiveGuestAsk, answer=shape.LiveGuestRequest,
          rate_limit="live_guest_request", errors=(403, 404, 410))
def live_request_guest(call: Call):
    body = call.body
    row = sessions.request_guest(call.user_id, body.session_id, body.message, body.request_type)
    realtime.to_session(body.session_id, realtime.frame(
        "guest_request", user_id=call.user_id, username=row["username"], timestamp=row["created_at"]),
        roles=["host", "cohost"])
    return row
