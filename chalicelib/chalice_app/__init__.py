"""The HTTP API: Chalice blueprints whose routes parse the request, call a logic module and
shape the answer. No SQL and no business rules here."""
from __future__ import annotations

from chalice import Chalice, CORSConfig

from ..config import settings

# Browsers may keep a preflight answer this long (Chrome caps it at 2 hours).
PREFLIGHT_MAX_AGE_S = 7200
MULTIPART = "multipart/form-data"


def register_http(app: Chalice) -> None:
    from . import (accounts, blocks, docs, engagement, feed, follows, gifts, live, me, middleware,
                   moderation, notifications, payments, people, search, system, trending, uploads)

    # Every route answers CORS preflight for the frontend's origin: API Gateway from the
    # deployed definition, `chalice local` and the test client the same way. Set before the
    # blueprints are registered: Chalice copies it into each route then.
    app.api.cors = CORSConfig(
        allow_origin=settings().cors_allow_origin,
        allow_headers=["If-None-Match", "Idempotency-Key", "X-Viewer-Key"],
        expose_headers=["ETag", "Retry-After", "X-Viewer-Key"],
        max_age=PREFLIGHT_MAX_AGE_S,
    )
    # The retired multipart upload route gets its body through API Gateway's binary handling
    # (base64). App-wide, but no other route accepts multipart, and JSON stays text.
    if MULTIPART not in app.api.binary_types:
        app.api.binary_types.append(MULTIPART)
    # Registered first, so outermost: it sees the final status, 500s included.
    app.register_middleware(middleware.observe, "http")
    app.register_middleware(middleware.errors_and_cors, "http")
    app.register_blueprint(system.bp)
    app.register_blueprint(me.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(feed.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(trending.bp)
    app.register_blueprint(uploads.bp)
    app.register_blueprint(engagement.bp)
    app.register_blueprint(follows.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(gifts.bp)
    app.register_blueprint(payments.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(moderation.bp)
    app.register_blueprint(blocks.bp)
    app.register_blueprint(live.bp)
    live.listen_for_gifts()
    app.register_blueprint(docs.bp)
