"""Issue 15, item 5: uploads are bounded. The limits and the resource type are signed into
the upload's fields (a browser cannot change them without breaking the signature), and the
upload notification is checked against them before anything is marked ready: a file too big
or too long, or not a video at all (resource_type sits outside Cloudinary's signature: the
same fields posted to /image/upload or /raw/upload make an image or raw asset), fails with
its reason, notifies the owner, and leaves the asset owed a destroy."""
from __future__ import annotations

import pytest

from tests.support.cloudinary_kit import body_text, signed_headers, upload_notification

from .test_start_upload import GOOD, _verify_with_sdk

MAX_BYTES, MAX_S = 50_000_000, 60


@pytest.fixture
def pending(start_upload, make_user, settings_env, uploads_env):
    settings_env(UPLOAD_MAX_BYTES=str(MAX_BYTES), UPLOAD_MAX_DURATION_S=str(MAX_S))
    owner = make_user()
    _, body, _ = start_upload(owner, GOOD)
    return owner, body


def _deliver(post_notification, public_id, **overrides):
    text = body_text(upload_notification(public_id, **overrides))
    return post_notification(text, {"Content-Type": "application/json", **signed_headers(text)})


def _state(sql, video_id):
    return sql("SELECT status, failure_reason, destroy_requested_at, bytes FROM videos WHERE id = %s",
               (video_id,))[0]


def test_the_limits_and_the_resource_type_are_signed(pending):
    _, body = pending
    fields = body["fields"]
    assert fields["context"] == f"max_bytes={MAX_BYTES}|max_duration_s={MAX_S}|resource_type=video"
    assert _verify_with_sdk(fields)
    loosened = {**fields, "context": f"max_bytes={MAX_BYTES * 100}|max_duration_s=3600|resource_type=raw"}
    assert not _verify_with_sdk(loosened)  # Cloudinary refuses the edited form
    assert body["upload_url"].endswith("/video/upload")


@pytest.mark.parametrize("overrides, reason", [
    ({"bytes": MAX_BYTES + 1}, "file size"),
    ({"duration": MAX_S + 0.5}, "duration"),
    ({"resource_type": "image", "duration": None}, "not a video"),
    ({"resource_type": "raw"}, "not a video"),
    ({"bytes": None}, "no file size"),
    ({"duration": "14"}, "no file size or duration"),
])
def test_an_upload_outside_the_limits_fails_with_its_reason(pending, post_notification, sql, overrides, reason):
    owner, body = pending
    public_id = f"{body['fields']['folder']}/{body['fields']['public_id']}"
    status, answer = _deliver(post_notification, public_id, **overrides)
    assert status == 200 and answer["kind"] == "failure" and answer["result"] == "applied"
    row = _state(sql, body["video_id"])
    assert row["status"] == "failed" and reason in row["failure_reason"]
    assert row["destroy_requested_at"] is not None  # the stored asset goes too
    [note] = sql("SELECT payload FROM notification_outbox WHERE kind = 'direct' AND user_id = %s",
                 (owner["id"],))
    assert reason in note["payload"]["message"]
    # A later in-bounds delivery for the same id cannot bring it back.
    _deliver(post_notification, public_id)
    assert _state(sql, body["video_id"])["status"] == "failed"


def test_an_upload_at_the_limits_is_ready(pending, post_notification, sql):
    _, body = pending
    public_id = f"{body['fields']['folder']}/{body['fields']['public_id']}"
    status, answer = _deliver(post_notification, public_id, bytes=MAX_BYTES, duration=float(MAX_S))
    assert status == 200 and answer["result"] == "applied"
    row = _state(sql, body["video_id"])
    assert (row["status"], row["bytes"], row["failure_reason"]) == ("ready", MAX_BYTES, None)
