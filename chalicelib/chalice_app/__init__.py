"""The HTTP API: Chalice blueprints whose routes parse the request, call a logic module and
shape the answer. No SQL and no business rules here."""
from __future__ import annotations

from chalice import Chalice


def register_http(app: Chalice) -> None:
    from . import engagement, follows, me, middleware, system

    app.register_middleware(middleware.errors_and_cors, "http")
    app.register_blueprint(system.bp)
    app.register_blueprint(me.bp)
    app.register_blueprint(engagement.bp)
    app.register_blueprint(follows.bp)
