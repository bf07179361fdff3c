"""Gift routes (issue 14): the frontend's /gifts/* and the /v1 API. Thin: the declarations
decode (chalicelib/schema/money.py), chalicelib.gifts does the work (catalogue and
leaderboard public and cacheable, everything else private)."""
from __future__ import annotations

from typing import Callable, List, Optional

from chalice import Blueprint

from ..lazy import lazy
from ..http import CachePolicy, public_json
from ..schema import money
from ..schema.common import CursorPage, UserIdPath
from . import cache_policies
from .declare import SIGNED_IN, Call, Header, Reply, endpoint

catalogue = lazy("chalicelib.gifts.catalogue")
leaderboard = lazy("chalicelib.gifts.leaderboard")
sending = lazy("chalicelib.gifts.sending")

bp = Blueprint(__name__)
TAG = "gifts"
KEY = Header("Idempotency-Key", {"type": "string", "minLength": 1, "maxLength": 200})
KEY_REQUIRED = Header("Idempotency-Key", KEY.schema, required=True)
# The board's policy at the default rate (documents and checks the edge); each answer carries
# leaderboard.cache_policy(), from the configured LEADERBOARD_RATE_MINUTES.
BOARD = CachePolicy(max_age=60, s_maxage=300, stale_while_revalidate=300, stale_if_error=86400)
BOARD_NOTE = "From the stored board (every few minutes); 503 before the first run."


def _send(call: Call, required_key: bool):
    body = call.body
    gift = sending.GiftRequest(recipient_id=str(body.recipient_id), gift_type_id=str(body.gift_type_id),
                               quantity=body.count, video_id=body.video_id and str(body.video_id),
                               live_session_id=body.live_session_id and str(body.live_session_id))
    key = sending.clean_key(call.header("Idempotency-Key"), required_key)
    return sending.send(call.user_id, gift, key)


def catalogue_routes(bp: Blueprint, path: str, v1_path: str, name: str, *, summary: str, tag: str,
                     item: type, page: type, read: Callable[[], list]) -> None:
    """An operator-edited catalogue, public: the old route's array and the /v1 page of it."""
    def old(call: Call):
        return read()

    def v1(call: Call):
        return {"items": read(), "next_cursor": None}

    old.__name__, v1.__name__ = name, f"v1_{name}"
    endpoint(bp, "GET", path, summary=summary, tag=tag, answer=List[item], cache=cache_policies.CATALOGUE)(old)
    endpoint(bp, "GET", v1_path, summary=summary, tag=tag, answer=page, cache=cache_policies.CATALOGUE)(v1)


catalogue_routes(bp, "/gifts/types", "/v1/gifts/types", "gift_types", summary="The gift catalogue", tag=TAG,
                 item=money.GiftType, page=money.GiftTypePage, read=catalogue.gift_types)


@endpoint(bp, "POST", "/gifts/send", summary="Send a gift (the current frontend's route)", tag=TAG,
          auth=SIGNED_IN, body=money.GiftSend, answer=money.Gift, headers=(KEY,), errors=(402, 403, 404, 409),
          description="A bare JSON string body (the receiver id alone) is a 400 and moves nothing.")
def send_gift(call: Call):
    answer, _ = _send(call, required_key=False)
    return answer


@endpoint(bp, "POST", "/v1/gifts", summary="Send a gift", tag=TAG, auth=SIGNED_IN, body=money.GiftSend,
          answer=money.Gift, status=201, also_ok=(200,), headers=(KEY_REQUIRED,), errors=(402, 403, 404, 409),
          description="201 for a new gift; 200 when the Idempotency-Key was seen (the first gift).")
def v1_send_gift(call: Call):
    answer, created = _send(call, required_key=True)
    return Reply(answer, status=201 if created else 200)


@endpoint(bp, "GET", "/gifts/balance", summary="The caller's coins and earnings", tag=TAG, auth=SIGNED_IN,
          answer=money.Balance, errors=(404,))
def balance(call: Call):
    return catalogue.balance(call.user_id)


@endpoint(bp, "GET", "/gifts/balance/{user_id}", summary="A balance (the caller's own only)", tag=TAG,
          auth=SIGNED_IN, params=UserIdPath, answer=money.Balance, errors=(403, 404))
def balance_of(call: Call):
    # a plain str: logic echoing a path Uuid back would hand the encoder a type it refuses
    return catalogue.balance(call.user_id, str(call.path.user_id))


@endpoint(bp, "GET", "/v1/me/balance", summary="The caller's coins and earnings", tag=TAG, auth=SIGNED_IN,
          answer=money.Balance, errors=(404,))
def v1_balance(call: Call):
    return catalogue.balance(call.user_id)


def history_routes(bp: Blueprint, path: str, v1_path: str, name: str, *, summary: str, tag: str,
                   item: type, page: type, read_list: Callable[[str, int], list],
                   read_page: Callable[[str, int, Optional[str]], dict]) -> None:
    """The caller's own history, private: the old route's array and the /v1 cursor pages."""
    def old(call: Call):
        return read_list(call.user_id, call.query.limit)

    def v1(call: Call):
        return read_page(call.user_id, call.query.limit, call.query.cursor)

    old.__name__, v1.__name__ = name, f"v1_{name}"
    endpoint(bp, "GET", path, summary=summary, tag=tag, auth=SIGNED_IN, query=money.HistoryQuery,
             answer=List[item])(old)
    endpoint(bp, "GET", v1_path, summary=summary, tag=tag, auth=SIGNED_IN, query=CursorPage, answer=page)(v1)


history_routes(bp, "/gifts/history", "/v1/gifts/history", "gift_history", tag=TAG,
               summary="Gifts sent and received, newest first", item=money.Gift, page=money.GiftPage,
               read_list=catalogue.gift_history_list, read_page=catalogue.gift_history)


@endpoint(bp, "GET", "/gifts/leaderboard", summary="Top creators by coins received", tag=TAG,
          query=money.LeaderboardQuery, answer=List[money.LeaderboardEntry], cache=BOARD,
          description=BOARD_NOTE)
def gift_leaderboard(call: Call):
    board = leaderboard.read(call.query.period, call.query.limit)
    return public_json(call.request, board["items"], board["cache"])


@endpoint(bp, "GET", "/v1/gifts/leaderboard", summary="Top creators by coins received", tag=TAG,
          query=money.LeaderboardQuery, answer=money.LeaderboardPage, cache=BOARD)
def v1_gift_leaderboard(call: Call):
    board = leaderboard.read(call.query.period, call.query.limit)
    body = {"items": board["items"], "period": board["period"], "next_cursor": None,
            "generated_at": board["generated_at"]}
    return public_json(call.request, body, board["cache"])
