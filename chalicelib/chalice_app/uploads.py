"""POST /v1/uploads, POST /v1/webhooks/cloudinary, DELETE /v1/videos/{id}, and the
retired POST /videos/upload."""
from __future__ import annotations

from chalice import Blueprint, Response

from .. import observability
from ..errors import ApiError, Gone
from ..http import json_body, private_json, uuid_param
from ..uploads import lifecycle, notifications, service, validation
from .identity import signed_in

bp = Blueprint(__name__)


@bp.route("/v1/uploads", methods=["POST"])
def start_upload():
    request = bp.current_request
    principal = signed_in(request)
    upload = validation.upload_request(json_body(request))
    key = validation.idempotency_key(request.headers.get("idempotency-key"))
    started = service.start_upload(principal.user_id, upload, key)
    return private_json(started.as_json(), status=201 if started.created else 200)


@bp.route("/v1/webhooks/cloudinary", methods=["POST"], content_types=["application/json"])
def cloudinary_webhook():
    request = bp.current_request
    try:
        outcome = notifications.handle(request.raw_body or b"", request.headers)
    except ApiError as exc:  # refused (bad signature, stale, malformed): counted, then answered
        observability.webhook_outcome(f"refused_{exc.status}")
        raise
    observability.webhook_outcome(outcome.result)
    return private_json(outcome.as_json())


@bp.route("/v1/videos/{id}", methods=["DELETE"])
def delete_video(id: str):  # noqa: A002 - the path parameter's name, shared with GET /v1/videos/{id}
    principal = signed_in(bp.current_request)
    lifecycle.delete_video(uuid_param(id, "id"), principal.user_id)
    return Response(body="", status_code=204, headers={"Cache-Control": "private, no-store"})


# Any body answers 410, so an old client learns the new flow whatever it posts. "*/*" is how
# Chalice says "every type" (chalice deploy refuses a list mixing binary and text types);
# multipart/form-data is a binary type app-wide (register_http), so API Gateway hands a
# multipart file over base64-encoded instead of as mangled text.
@bp.route("/videos/upload", methods=["POST"], content_types=["*/*"])
def retired_upload():
    raise Gone(
        "This route is retired: call POST /v1/uploads for signed parameters, then post the file"
        " straight to Cloudinary's upload_url with exactly those fields (README: Uploads)"
    )
