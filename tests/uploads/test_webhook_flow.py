"""The whole flow against the local stack: sign an upload, build the notification Cloudinary
would send, sign it the way Cloudinary does, post it; then duplicates, out-of-order
deliveries, failures, and every way a notification can fail verification.

`_assert_published` checks the end state through SQL and through the repo's VISIBLE filter;
extend it (e.g. with /v1/feed) as the read routes land.
"""
from __future__ import annotations

import json
import time

import pytest

from chalicelib import db, models
from chalicelib.repo import videos as videos_repo
from tests.support.cloudinary_kit import (
    DEV_API_SECRET, body_text, eager_notification, signed_headers, upload_notification,
)

from .test_start_upload import GOOD

STATE = ("status, deleted_at, duration_seconds, width, height, bytes, format, failure_reason,"
         " upload_received_at, eager_ready_at, updated_at, destroy_requested_at")


def _state(sql, video_id):
    rows = sql(f"SELECT {STATE} FROM videos WHERE id = %s", (video_id,))
    return rows[0] if rows else None


def _visible_videos():
    rows = db.fetch_all(
        f"SELECT {videos_repo.VIDEO_COLUMNS} FROM {videos_repo.VIDEO_FROM}"
        f" WHERE {videos_repo.VISIBLE} ORDER BY v.created_at DESC"
    )
    return [models.video(r) for r in rows]


def _assert_published(sql, video_id, public_id, client=None):
    row = _state(sql, video_id)
    assert row["status"] == "ready" and row["deleted_at"] is None
    assert (row["duration_seconds"], row["width"], row["height"], row["bytes"], row["format"]) == (
        14.52, 1080, 1920, 7340032, "mp4")
    [video] = [v for v in _visible_videos() if v["id"] == video_id]
    assert video["status"] == "ready" and video["duration"] == 14.52
    # The SDK puts a default version (v1) before a public id that has folders.
    assert video["hls_url"].endswith(f"/video/upload/sp_auto/v1/{public_id}.m3u8")
    assert video["thumbnail_url"].endswith(f"/video/upload/so_1/f_auto,q_auto/v1/{public_id}.jpg")
    assert video["video_url"].startswith("https://res.cloudinary.com/trendke-dev/video/upload/")
    assert video["title"] == "Matatu ride through Nairobi"
    assert video["hashtags"] == ["nairobi", "matatu_culture", "kenya254"]
    if client is not None:  # and the frontend sees it: in the feed and on its own page
        import json

        feed = json.loads(client.http.get("/v1/feed").body)
        [listed] = [v for v in feed["items"] if v["id"] == video_id]
        assert listed == video
        page = client.http.get(f"/v1/videos/{video_id}")
        assert page.status_code == 200 and json.loads(page.body) == video
    return video


@pytest.fixture
def pending(start_upload, make_user):
    status, body, _ = start_upload(make_user(), GOOD)
    assert status == 201
    return body["video_id"], f"{body['fields']['folder']}/{body['fields']['public_id']}"


def _send(post_notification, payload, **sign):
    text = body_text(payload)
    return post_notification(text, signed_headers(text, **sign))


def test_sign_upload_notify_ready_then_the_same_notification_changes_nothing(pending, post_notification, sql, client):
    video_id, public_id = pending
    assert _state(sql, video_id)["status"] == "pending"
    assert _visible_videos() == []
    assert client.http.get("/v1/feed").body and json.loads(client.http.get("/v1/feed").body)["items"] == []
    assert client.http.get(f"/v1/videos/{video_id}").status_code == 404  # pending: not public

    text = body_text(upload_notification(public_id))
    headers = signed_headers(text)
    # Cross-check: the SDK's own verification accepts what we send.
    from chalicelib import media
    media.sdk()
    from cloudinary.utils import verify_notification_signature
    assert verify_notification_signature(text, headers["X-Cld-Timestamp"], headers["X-Cld-Signature"],
                                         algorithm="sha256")

    status, body = post_notification(text, headers)
    assert status == 200 and body["result"] == "applied" and body["video_id"] == video_id
    _assert_published(sql, video_id, public_id, client)
    before = _state(sql, video_id)

    status, body = post_notification(text, headers)  # the same delivery again
    assert status == 200 and body["result"] == "duplicate"
    assert _state(sql, video_id) == before

    status, body = _send(post_notification, eager_notification(public_id))
    assert status == 200 and body["result"] == "applied"
    after_eager = _state(sql, video_id)
    assert after_eager["eager_ready_at"] is not None and after_eager["status"] == "ready"
    assert _send(post_notification, eager_notification(public_id))[1]["result"] == "duplicate"
    assert _state(sql, video_id) == after_eager


def test_eager_before_upload_ends_in_the_same_state(pending, post_notification, sql):
    video_id, public_id = pending
    assert _send(post_notification, eager_notification(public_id))[0] == 200
    assert _state(sql, video_id)["status"] == "pending"  # not ready before the upload proof
    assert _send(post_notification, upload_notification(public_id))[0] == 200
    _assert_published(sql, video_id, public_id)
    assert _state(sql, video_id)["eager_ready_at"] is not None


def test_a_late_upload_notification_never_undoes_ready(pending, post_notification, sql):
    video_id, public_id = pending
    _send(post_notification, upload_notification(public_id))
    # A second, different upload notification (e.g. re-sent with other numbers) changes nothing.
    status, body = _send(post_notification, upload_notification(public_id, duration=99.0, bytes=1))
    assert status == 200 and body["result"] == "duplicate"
    _assert_published(sql, video_id, public_id)


@pytest.mark.parametrize("failure", [
    lambda pid: eager_notification(pid, failed=True),
    lambda pid: {"notification_type": "upload", "public_id": pid, "status": "failed",
                 "reason": "Unsupported video codec"},
    lambda pid: {"notification_type": "upload", "public_id": pid, "error": {"message": "File is corrupt"}},
    lambda pid: {"notification_type": "moderation", "public_id": pid, "moderation_status": "rejected"},
])
def test_failures_mark_the_video_failed_with_the_reason_in_any_order(pending, post_notification, sql, failure):
    video_id, public_id = pending
    status, body = _send(post_notification, failure(public_id))
    assert status == 200 and body["kind"] == "failure" and body["result"] == "applied"
    row = _state(sql, video_id)
    assert row["status"] == "failed" and row["failure_reason"]
    assert row["destroy_requested_at"] is not None  # whatever reached Cloudinary is removed
    # The upload notification arriving afterwards does not resurrect it ...
    _send(post_notification, upload_notification(public_id))
    assert _state(sql, video_id)["status"] == "failed"
    assert _state(sql, video_id)["failure_reason"] == row["failure_reason"]
    # ... and the same failure again changes nothing.
    before = _state(sql, video_id)
    assert _send(post_notification, failure(public_id))[1]["result"] == "duplicate"
    assert _state(sql, video_id) == before
    assert _visible_videos() == []


def test_a_failure_after_ready_wins(pending, post_notification, sql):
    video_id, public_id = pending
    _send(post_notification, upload_notification(public_id))
    _send(post_notification, eager_notification(public_id, failed=True))
    row = _state(sql, video_id)
    assert row["status"] == "failed" and "Video is too long" in row["failure_reason"]
    assert _visible_videos() == []


def test_unknown_public_id_is_acknowledged_and_logged(pending, post_notification, sql, caplog):
    video_id, _ = pending
    before = _state(sql, video_id)
    with caplog.at_level("WARNING", logger="trendke.uploads"):
        status, body = _send(post_notification, upload_notification("trendke/videos/not-ours"))
    assert status == 200 and body["result"] == "unknown"
    assert "not-ours" in caplog.text
    assert _state(sql, video_id) == before


def test_other_notification_types_are_acknowledged_and_ignored(pending, post_notification, sql):
    video_id, public_id = pending
    before = _state(sql, video_id)
    status, body = _send(post_notification, {"notification_type": "rename", "public_id": public_id})
    assert status == 200 and body["result"] == "ignored"
    assert _state(sql, video_id) == before


def _refused(post_notification, sql, video_id, text, headers):
    before = _state(sql, video_id)
    status, body = post_notification(text, headers)
    assert status == 401, body
    assert body["detail"]
    assert _state(sql, video_id) == before
    return body["detail"]


def test_tampered_body_is_401_and_changes_nothing(pending, post_notification, sql):
    video_id, public_id = pending
    text = body_text(upload_notification(public_id))
    headers = signed_headers(text)
    tampered = text.replace('"duration":14.52', '"duration":1452')
    assert tampered != text
    _refused(post_notification, sql, video_id, tampered, headers)
    # Re-serialised JSON (same content, other bytes) is not the signed body either.
    _refused(post_notification, sql, video_id, text.replace(",", ", "), headers)


def test_stale_or_future_timestamp_is_401(pending, post_notification, sql):
    video_id, public_id = pending
    text = body_text(upload_notification(public_id))
    stale = signed_headers(text, timestamp=int(time.time()) - 7201)
    assert "Stale" in _refused(post_notification, sql, video_id, text, stale)
    future = signed_headers(text, timestamp=int(time.time()) + 3600)
    _refused(post_notification, sql, video_id, text, future)


def test_timestamp_is_part_of_the_signature(pending, post_notification, sql):
    video_id, public_id = pending
    text = body_text(upload_notification(public_id))
    headers = signed_headers(text, timestamp=int(time.time()) - 10)
    headers["X-Cld-Timestamp"] = str(int(time.time()))
    _refused(post_notification, sql, video_id, text, headers)


def test_wrong_secret_or_algorithm_is_401(pending, post_notification, sql):
    video_id, public_id = pending
    text = body_text(upload_notification(public_id))
    _refused(post_notification, sql, video_id, text, signed_headers(text, secret="not-the-secret"))
    _refused(post_notification, sql, video_id, text, signed_headers(text, algorithm="sha1"))
    assert DEV_API_SECRET  # the right one is accepted elsewhere


@pytest.mark.parametrize("drop", ["X-Cld-Signature", "X-Cld-Timestamp", "both"])
def test_missing_headers_are_401(pending, post_notification, sql, drop):
    video_id, public_id = pending
    text = body_text(upload_notification(public_id))
    headers = signed_headers(text)
    for name in (["X-Cld-Signature", "X-Cld-Timestamp"] if drop == "both" else [drop]):
        del headers[name]
    _refused(post_notification, sql, video_id, text, headers)


@pytest.mark.parametrize("signature,timestamp", [
    ("zz" * 32, None), ("abc", None), (None, "12.5"), (None, "-1"), (None, "now"),
])
def test_malformed_headers_are_401(pending, post_notification, sql, signature, timestamp):
    video_id, public_id = pending
    text = body_text(upload_notification(public_id))
    headers = signed_headers(text)
    if signature is not None:
        headers["X-Cld-Signature"] = signature
    if timestamp is not None:
        headers["X-Cld-Timestamp"] = timestamp
    _refused(post_notification, sql, video_id, text, headers)


def test_sha1_accounts_are_verified_with_sha1(pending, post_notification, sql, settings_env):
    settings_env(CLOUDINARY_SIGNATURE_ALGORITHM="sha1")
    video_id, public_id = pending
    text = body_text(upload_notification(public_id))
    _refused(post_notification, sql, video_id, text, signed_headers(text, algorithm="sha256"))
    status, _ = post_notification(text, signed_headers(text, algorithm="sha1"))
    assert status == 200
    _assert_published(sql, video_id, public_id)


def test_signed_but_malformed_body_is_400_and_changes_nothing(pending, post_notification, sql):
    video_id, _ = pending
    before = _state(sql, video_id)
    for text in ("[1,2]", "{not json"):
        status, body = post_notification(text, signed_headers(text))
        assert status == 400 and body["detail"]
    assert _state(sql, video_id) == before
