"""GET and PATCH /v1/me: the signed-in user's own profile, and its avatar upload."""
from __future__ import annotations

from chalice import Blueprint

from ..lazy import lazy
from .. import models
from ..schema import accounts as shape
from .declare import PROFILE, Call, endpoint
from .identity import signed_in_profile

avatars = lazy("chalicelib.accounts.avatars")
service = lazy("chalicelib.accounts.service")

bp = Blueprint(__name__)
TAG = "users"


@endpoint(bp, "GET", "/v1/me", summary="The signed-in user's profile", tag=TAG, auth=PROFILE,
          answer=shape.User, errors=(404,))
def v1_me(call: Call):
    return models.user(call.profile)  # the token check read the row itself


@endpoint(bp, "PATCH", "/v1/me", summary="Change my username, full name or bio", tag=TAG, auth=PROFILE,
          body=shape.ProfileUpdate, answer=shape.User, errors=(404,), max_body=4096)
def update_me(call: Call):
    return models.user(service.update_profile(call.user_id, call.body.changes()))


@endpoint(bp, "POST", "/v1/me/avatar", tag=TAG,
          summary="Signed fields for a direct image upload of my avatar to Cloudinary",
          auth=PROFILE, body=shape.NoFields, answer=shape.AvatarUploadTicket, max_body=1024,
          description="POST the image as `file` with exactly these fields to `upload_url`, then "
          "PUT /v1/me/avatar with Cloudinary's `public_id`, `version` and `signature`.")
def sign_avatar_upload(call: Call):
    """Signed fields for the browser's direct image upload to Cloudinary."""
    return avatars.sign(call.user_id)


@endpoint(bp, "PUT", "/v1/me/avatar", summary="Set my avatar from Cloudinary's signed upload answer", tag=TAG,
          auth=PROFILE, body=shape.AvatarConfirmation, answer=shape.User, max_body=2048)
def confirm_avatar(call: Call):
    """Cloudinary's signed upload answer; avatar_url is built from the verified public id."""
    upload = call.body
    avatars.confirm(call.user_id, upload.public_id, upload.version, upload.signature)
    _, row = signed_in_profile(call.request)  # the row as it is now
    return models.user(row)
