"""GET / and GET /health."""
from __future__ import annotations

from chalice import Blueprint

from .. import health
from ..http import CachePolicy, private_json, public_json

bp = Blueprint(__name__)

# The welcome document changes only with a deployment.
WELCOME_CACHE = CachePolicy(max_age=60, s_maxage=300, stale_while_revalidate=600, stale_if_error=86400)


@bp.route("/", methods=["GET"])
def welcome():
    return public_json(bp.current_request, health.welcome(), WELCOME_CACHE)


@bp.route("/health", methods=["GET"])
def health_check():
    # Never cached: a health check must see this environment, now.
    return private_json(health.health())
