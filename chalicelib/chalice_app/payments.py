"""Payment routes (issue 14): coin packages, buying coins with PesaPal (M-Pesa) or Stripe
(cards), the providers' callbacks, and the buyer's payment history. Thin: parse, call
chalicelib.payments, answer privately (packages are public)."""
from __future__ import annotations

from chalice import Blueprint

from ..gifts import catalogue
from ..http import private_json, public_json
from ..payments import history as payment_history
from . import cache_policies, paging
from .identity import signed_in

bp = Blueprint(__name__)


@bp.route("/payments/packages", methods=["GET"])
def packages():
    return public_json(bp.current_request, catalogue.packages(), cache_policies.CATALOGUE)


@bp.route("/v1/payments/packages", methods=["GET"])
def v1_packages():
    body = {"items": catalogue.packages(), "next_cursor": None}
    return public_json(bp.current_request, body, cache_policies.CATALOGUE)


@bp.route("/payments/history", methods=["GET"])
def history():
    request = bp.current_request
    limit = paging.limit(request, 50, paging.COMPAT_MAX_LIMIT)
    user = signed_in(request)
    return private_json(payment_history.list_for(user.user_id, limit))


@bp.route("/v1/payments/history", methods=["GET"])
def v1_history():
    request = bp.current_request
    limit, cursor = paging.cursor_limit(request), paging.cursor(request)
    user = signed_in(request)
    return private_json(payment_history.page_for(user.user_id, limit, cursor))
