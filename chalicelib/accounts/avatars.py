"""Avatars: a signed direct browser -> Cloudinary image upload, like videos (uploads.signing).

The server chooses every parameter: the public id is the user's id in the avatars folder
(ids, not names, are keys), image only, a few formats, cut to a square on the way in. The
browser then reports Cloudinary's answer (public_id, version, signature); the signature is
Cloudinary's over {public_id, version} with our API secret, checked with the SDK, and the
public id must be this user's own. avatar_url is then built by the SDK from it.
"""
from __future__ import annotations

import time
from typing import Any, Dict

from .. import media
from ..config import settings
from ..errors import BadRequest, ServiceUnavailable
from ..repo import accounts
from ..uploads.signing import SIGNATURE_TTL_S

AVATAR_FOLDER = "trendke/avatars"
ALLOWED_FORMATS = ("jpg", "jpeg", "png", "webp")
# Stored square and small: a profile picture, not a photo archive.
INCOMING = "c_fill,g_face,w_512,h_512"
MAX_BYTES = 5 * 1024 * 1024


def public_id_for(user_id: str) -> str:
    return f"{AVATAR_FOLDER}/{user_id}"


def sign(user_id: str) -> Dict[str, Any]:
    try:
        cloudinary = media.sdk()
    except RuntimeError as exc:
        raise ServiceUnavailable("Uploads are not configured (CLOUDINARY_URL)") from exc
    from cloudinary.utils import cloudinary_api_url, sign_request

    timestamp = int(time.time())
    params = {
        "timestamp": timestamp,
        "public_id": user_id,
        "folder": AVATAR_FOLDER,
        "type": "upload",
        "overwrite": True,  # a new picture replaces the old one; the version changes the URL
        "invalidate": True,
        "allowed_formats": ",".join(ALLOWED_FORMATS),
        "transformation": INCOMING,
    }
    signed = sign_request(params, {"signature_algorithm": cloudinary.config().signature_algorithm})
    return {
        "upload_url": cloudinary_api_url("upload", resource_type="image"),
        "fields": {key: str(value) for key, value in signed.items()},
        "expires_at": timestamp + SIGNATURE_TTL_S,
        "max_bytes": MAX_BYTES,
    }


def avatar_url(public_id: str, version: int) -> str:
    from cloudinary.utils import cloudinary_url

    media.sdk()
    return cloudinary_url(public_id, resource_type="image", version=version, secure=True,
                          transformation=[{"fetch_format": "auto", "quality": "auto"}])[0]


def confirm(user_id: str, public_id: str, version: int, signature: str) -> str:
    """Check Cloudinary's signature over the uploaded asset and store its URL."""
    from cloudinary.utils import verify_api_response_signature

    media.sdk()
    if public_id != public_id_for(user_id):
        raise BadRequest("That image is not this user's avatar upload")
    if not verify_api_response_signature(public_id, version, signature,
                                         algorithm=settings().cloudinary_signature_algorithm):
        raise BadRequest("Upload signature does not match")
    url = avatar_url(public_id, version)
    accounts.set_avatar(user_id, url)
    return url
