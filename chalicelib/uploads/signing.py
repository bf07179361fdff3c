"""The signed parameters of a direct browser -> Cloudinary upload.

The server chooses every parameter; the browser posts the file with exactly these fields.
Cloudinary signs every parameter it receives (except file, cloud_name, resource_type and
api_key), so a field added or changed by the browser breaks the signature and the upload is
refused. resource_type is in the URL (`/video/upload`), outside the signature: a client can
post the same fields to `/image/upload` or `/raw/upload`.

Limits (issue 15): the Upload API has no parameter that caps a file's bytes or duration (the
SDK's own list, cloudinary.utils.upload_params, has none; the upload widget's maxFileSize is
checked in the browser only). What Cloudinary enforces from the signed fields is
`allowed_formats` (video containers only). The limits themselves are signed into `context`
(max_bytes, max_duration_s, resource_type=video), so they travel with the asset and its
notification, and the webhook (notifications.py) checks the real bytes, duration and
resource type before anything is marked ready: outside them the video fails, with the
reason, and the asset is owed a destroy.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict

from .. import media
from ..config import settings
from ..errors import ServiceUnavailable

# Cloudinary accepts a signature for one hour after its timestamp.
SIGNATURE_TTL_S = 3600
ALLOWED_FORMATS = ("mp4", "mov", "webm", "m4v", "3gp", "mkv")
WEBHOOK_PATH = "/v1/webhooks/cloudinary"


@dataclass(frozen=True)
class SignedUpload:
    upload_url: str
    fields: Dict[str, str]
    expires_at: int


def public_id_for(video_id: str) -> str:
    """The asset's public id: the folder, then the video id (what Cloudinary reports)."""
    return f"{settings().cloudinary_upload_folder}/{video_id}"


def notification_url() -> str:
    """This API's webhook. Outside production the local stack's address stands in."""
    cfg = settings()
    base = cfg.public_base_url
    if not base:
        if cfg.stage == "prod":
            raise ServiceUnavailable("Uploads are not configured (PUBLIC_BASE_URL)")
        base = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
    return base.rstrip("/") + WEBHOOK_PATH


def check_configured() -> None:
    """Fail before any row is written when uploads cannot be signed."""
    try:
        media.account()
    except RuntimeError as exc:
        raise ServiceUnavailable("Uploads are not configured (CLOUDINARY_URL)") from exc
    if settings().cloudinary_signature_algorithm not in ("sha1", "sha256"):
        raise ServiceUnavailable("CLOUDINARY_SIGNATURE_ALGORITHM must be sha1 or sha256")
    notification_url()


def limits() -> Dict[str, object]:
    cfg = settings()
    return {"max_bytes": cfg.upload_max_bytes, "max_duration_s": cfg.upload_max_duration_s,
            "resource_type": "video"}


def server_params(video_id: str, timestamp: int) -> Dict[str, object]:
    """Every parameter of the upload, chosen here and nowhere else."""
    from cloudinary.utils import build_eager, encode_context

    hook = notification_url()
    return {
        "timestamp": timestamp,
        "public_id": video_id,
        "folder": settings().cloudinary_upload_folder,
        "type": "upload",  # public delivery
        "overwrite": False,  # a replayed form cannot replace a published video
        "eager": build_eager([media.EAGER_HLS, media.EAGER_POSTER]),
        "eager_async": True,
        "notification_url": hook,
        "eager_notification_url": hook,
        "allowed_formats": ",".join(ALLOWED_FORMATS),
        "context": encode_context(limits()),
        # Moderation before publishing (CLOUDINARY_MODERATION, e.g. aws_rek_video): signed like
        # everything else, so the browser cannot drop it; the video stays pending until approved.
        **({"moderation": settings().cloudinary_moderation} if settings().cloudinary_moderation else {}),
    }


def sign(video_id: str, timestamp: int) -> SignedUpload:
    """Sign with the SDK (the configured algorithm: sha256 or sha1); fields as strings, the
    way a browser's FormData sends them."""
    cloudinary = media.sdk()
    from cloudinary.utils import cloudinary_api_url, sign_request

    signed = sign_request(
        server_params(video_id, timestamp),
        {"signature_algorithm": cloudinary.config().signature_algorithm},
    )
    fields = {key: str(value) for key, value in signed.items()}
    return SignedUpload(
        upload_url=cloudinary_api_url("upload", resource_type="video"),
        fields=fields,
        expires_at=timestamp + SIGNATURE_TTL_S,
    )
