"""GET / and GET /health."""
from __future__ import annotations

from chalice import Blueprint

from .. import health
from ..http import CachePolicy
from ..schema.system import Health, Welcome
from .declare import Call, endpoint

bp = Blueprint(__name__)

# The welcome document changes only with a deployment.
WELCOME_CACHE = CachePolicy(max_age=60, s_maxage=300, stale_while_revalidate=600, stale_if_error=86400)


@endpoint(bp, "GET", "/", summary="Welcome", tag="system", answer=Welcome, cache=WELCOME_CACHE)
def welcome(call: Call):
    return health.welcome()


@endpoint(bp, "GET", "/health", summary="Health", tag="system", answer=Health,
          description="Answers within a second; `degraded` when Postgres does not answer.")
def health_check(call: Call):
    # Never cached: a health check must see this environment, now.
    return health.health()
