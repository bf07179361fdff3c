"""Moderation before publishing (CLOUDINARY_MODERATION): signed into the upload, the video
stays pending until approved, in either order; a rejection fails it with the reason."""
from __future__ import annotations

import json

import pytest

from tests.support.cloudinary_kit import body_text, signed_headers, upload_notification

GOOD = {"title": "Matatu ride", "hashtags": ["nairobi"]}


def _send(post_notification, payload):
    text = body_text(payload)
    return post_notification(text, signed_headers(text))


def _moderation(public_id, status):
    return {"notification_type": "moderation", "moderation_status": status,
            "moderation_kind": "aws_rek_video", "public_id": public_id}


@pytest.fixture
def moderated(start_upload, make_user, settings_env):
    settings_env(CLOUDINARY_MODERATION="aws_rek_video")
    status, body, _ = start_upload(make_user(), GOOD)
    assert status == 201
    return body, f"{body['fields']['folder']}/{body['fields']['public_id']}"


def _status(sql, video_id):
    return sql("SELECT status, failure_reason FROM videos WHERE id = %s", (video_id,))[0]


def _uploaded(public_id):
    return upload_notification(public_id, moderation=[{"kind": "aws_rek_video", "status": "pending"}])


def test_the_moderation_parameter_is_signed(moderated, start_upload, make_user, settings_env):
    body, _ = moderated
    assert body["fields"]["moderation"] == "aws_rek_video"
    # Signed: the SDK's own signature over the fields (minus what Cloudinary excludes) matches.
    from cloudinary.utils import api_sign_request

    fields = {k: v for k, v in body["fields"].items()
              if k not in ("signature", "api_key", "signature_algorithm")}
    assert api_sign_request(fields, "trendke-dev-api-secret", "sha256") == body["fields"]["signature"]
    settings_env(CLOUDINARY_MODERATION=None)
    _, unmoderated, _ = start_upload(make_user(), GOOD)
    assert "moderation" not in unmoderated["fields"]


def test_pending_until_approved(moderated, post_notification, sql, client):
    body, public_id = moderated
    assert _send(post_notification, _uploaded(public_id))[0] == 200
    assert _status(sql, body["video_id"])["status"] == "pending"
    assert client.http.get(f"/v1/videos/{body['video_id']}").status_code == 404
    assert _send(post_notification, _moderation(public_id, "approved"))[1]["kind"] == "approval"
    assert _status(sql, body["video_id"])["status"] == "ready"
    assert client.http.get(f"/v1/videos/{body['video_id']}").status_code == 200
    ready = sql("SELECT count(*) AS n FROM notification_outbox WHERE payload->>'type' = 'video_ready'")
    assert ready[0]["n"] == 1
    # A repeated approval changes nothing and notifies nobody again.
    assert _send(post_notification, _moderation(public_id, "approved"))[1]["result"] == "duplicate"


def test_approval_before_the_upload_notification(moderated, post_notification, sql):
    body, public_id = moderated
    _send(post_notification, _moderation(public_id, "approved"))
    assert _status(sql, body["video_id"])["status"] == "pending"
    _send(post_notification, _uploaded(public_id))
    assert _status(sql, body["video_id"])["status"] == "ready"


def test_a_rejection_fails_the_video_with_the_reason(moderated, post_notification, sql):
    body, public_id = moderated
    _send(post_notification, _uploaded(public_id))
    _send(post_notification, _moderation(public_id, "rejected"))
    state = _status(sql, body["video_id"])
    assert state == {"status": "failed", "failure_reason": "rejected by moderation (aws_rek_video)"}
    # A late approval does not bring it back.
    _send(post_notification, _moderation(public_id, "approved"))
    assert _status(sql, body["video_id"])["status"] == "failed"


def test_an_unsigned_approval_changes_nothing(moderated, post_notification, sql):
    body, public_id = moderated
    _send(post_notification, _uploaded(public_id))
    text = body_text(_moderation(public_id, "approved"))
    status, _ = post_notification(text, {**signed_headers(text), "X-Cld-Signature": "0" * 64})
    assert status == 401
    assert _status(sql, body["video_id"])["status"] == "pending"
