"""POST /v1/uploads, POST /v1/webhooks/cloudinary, DELETE /v1/videos/{id}, and the
retired POST /videos/upload."""
from __future__ import annotations

from chalice import Blueprint

from ..lazy import lazy
from .. import observability
from ..errors import DomainError, Gone
from ..schema.common import IdPath
from ..schema.uploads import UploadRequest, UploadTicket, WebhookOutcome
from .error_answers import status_of
from .declare import SIGNED_IN, WEBHOOK, Call, Header, Reply, endpoint

lifecycle = lazy("chalicelib.uploads.lifecycle")
notifications = lazy("chalicelib.uploads.notifications")
service = lazy("chalicelib.uploads.service")

bp = Blueprint(__name__)


@endpoint(bp, "POST", "/v1/uploads", summary="Start an upload: a pending video and the signed fields to post to Cloudinary",
          tag="uploads", auth=SIGNED_IN, body=UploadRequest, answer=UploadTicket, status=201, also_ok=(200,),
          rate_limit="upload", errors=(409,),
          headers=(Header("Idempotency-Key", {"type": "string", "maxLength": 200}),),
          description="201 for a new upload; 200 when an Idempotency-Key repeats a finished one.")
def start_upload(call: Call):
    started = service.start_upload(call.user_id, call.body, call.idempotency_key())
    return Reply(started.as_json(), status=201 if started.created else 200)


@endpoint(bp, "POST", "/v1/webhooks/cloudinary", summary="Cloudinary notification (signature checked)",
          tag="uploads", auth=WEBHOOK, answer=WebhookOutcome, errors=(400, 401),
          headers=(Header("X-Cld-Signature", required=True), Header("X-Cld-Timestamp", required=True)))
def cloudinary_webhook(call: Call):
    request = call.request
    try:
        outcome = notifications.handle(request.raw_body or b"", request.headers)
    except DomainError as exc:  # refused (bad signature, stale, malformed): counted, then answered
        observability.webhook_outcome(f"refused_{status_of(exc)}")
        raise
    observability.webhook_outcome(outcome.result)
    return outcome.as_json()


@endpoint(bp, "DELETE", "/v1/videos/{id}", summary="Delete my video", tag="uploads", params=IdPath,
          auth=SIGNED_IN, answer=None, status=204, errors=(403, 404))
def delete_video(call: Call):
    lifecycle.delete_video(call.path.id, call.user_id)


# Any body answers 410, so an old client learns the new flow whatever it posts. "*/*" is how
# Chalice says "every type" (chalice deploy refuses a list mixing binary and text types);
# multipart/form-data is a binary type app-wide (register_http), so API Gateway hands a
# multipart file over base64-encoded instead of as mangled text.
@endpoint(bp, "POST", "/videos/upload", summary="Retired: use POST /v1/uploads", tag="uploads",
          answer=None, status=410, errors=(410,), deprecated=True, content_types=("*/*",))
def retired_upload(call: Call):
    raise Gone(
        "This route is retired: call POST /v1/uploads for signed parameters, then post the file"
        " straight to Cloudinary's upload_url with exactly those fields (README: Uploads)"
    )
