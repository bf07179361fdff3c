"""Gift routes (issue 14): the frontend's /gifts/* and the /v1 API. Thin: parse, call
chalicelib.gifts, answer (catalogue public and cacheable, everything else private)."""
from __future__ import annotations

import json

from chalice import Blueprint

from ..gifts import catalogue, leaderboard, sending
from ..http import json_body, private_json, public_json, uuid_param
from . import cache_policies, paging
from .identity import signed_in

bp = Blueprint(__name__)

HISTORY_DEFAULT = 50


def _gift_request(request):
    raw = request.raw_body or b""
    try:
        bare = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        bare = None
    if isinstance(bare, str):  # the frontend's GiftButton posts the receiver id alone
        return sending.parse_request(bare)
    return sending.parse_request(json_body(request))


def _send(required_key: bool):
    request = bp.current_request
    user = signed_in(request)
    gift = _gift_request(request)
    key = sending.clean_key(request.headers.get("idempotency-key"), required_key)
    return sending.send(user.user_id, gift, key)


@bp.route("/gifts/types", methods=["GET"])
def gift_types():
    return public_json(bp.current_request, catalogue.gift_types(), cache_policies.CATALOGUE)


@bp.route("/v1/gifts/types", methods=["GET"])
def v1_gift_types():
    body = {"items": catalogue.gift_types(), "next_cursor": None}
    return public_json(bp.current_request, body, cache_policies.CATALOGUE)


@bp.route("/gifts/send", methods=["POST"])
def send_gift():
    answer, _ = _send(required_key=False)
    return private_json(answer)


@bp.route("/v1/gifts", methods=["POST"])
def v1_send_gift():
    answer, created = _send(required_key=True)
    return private_json(answer, status=201 if created else 200)


@bp.route("/gifts/balance", methods=["GET"])
def balance():
    user = signed_in(bp.current_request)
    return private_json(catalogue.balance(user.user_id))


@bp.route("/gifts/balance/{user_id}", methods=["GET"])
def balance_of(user_id: str):
    target = uuid_param(user_id, "user_id")
    user = signed_in(bp.current_request)
    return private_json(catalogue.balance(user.user_id, target))


@bp.route("/v1/me/balance", methods=["GET"])
def v1_balance():
    user = signed_in(bp.current_request)
    return private_json(catalogue.balance(user.user_id))


@bp.route("/gifts/history", methods=["GET"])
def history():
    request = bp.current_request
    limit = paging.limit(request, HISTORY_DEFAULT, paging.COMPAT_MAX_LIMIT)
    user = signed_in(request)
    return private_json(catalogue.gift_history_list(user.user_id, limit))


@bp.route("/v1/gifts/history", methods=["GET"])
def v1_history():
    request = bp.current_request
    limit, cursor = paging.cursor_limit(request), paging.cursor(request)
    user = signed_in(request)
    return private_json(catalogue.gift_history(user.user_id, limit, cursor))


@bp.route("/gifts/leaderboard", methods=["GET"])
def gift_leaderboard():
    request = bp.current_request
    board = leaderboard.read(leaderboard.period_param(request.query_params or {}),
                             paging.limit(request, 50, leaderboard.SIZE))
    return public_json(request, board["items"], board["cache"])


@bp.route("/v1/gifts/leaderboard", methods=["GET"])
def v1_gift_leaderboard():
    request = bp.current_request
    board = leaderboard.read(leaderboard.period_param(request.query_params or {}),
                             paging.limit(request, 50, leaderboard.SIZE))
    body = {"items": board["items"], "period": board["period"], "next_cursor": None,
            "generated_at": board["generated_at"]}
    return public_json(request, body, board["cache"])
