"""DELETE /v1/videos/{id}, asset destroys through the real SDK against a loopback stand-in,
and the scheduled sweep (expired pendings, destroys retried until they succeed)."""
from __future__ import annotations

import json

import pytest

from chalicelib.uploads import lifecycle
from tests.conftest import auth_headers
from tests.support.cloudinary_kit import body_text, signed_headers, upload_notification

from .test_start_upload import GOOD


def _delete(client, video_id, user):
    response = client.http.delete(f"/v1/videos/{video_id}", headers=auth_headers(user["id"]))
    return response.status_code, json.loads(response.body) if response.body else None


def _row(sql, video_id):
    return sql("SELECT * FROM videos WHERE id = %s", (video_id,))[0]


@pytest.fixture
def ready_video(start_upload, make_user, post_notification):
    owner = make_user()
    _, body, _ = start_upload(owner, GOOD)
    public_id = f"{body['fields']['folder']}/{body['fields']['public_id']}"
    text = body_text(upload_notification(public_id))
    assert post_notification(text, signed_headers(text))[0] == 200
    return owner, body["video_id"], public_id


def test_owner_deletes_hidden_at_once_and_asset_destroyed(client, ready_video, sql, cloudinary_standin):
    owner, video_id, public_id = ready_video
    status, _ = _delete(client, video_id, owner)
    assert status == 204
    row = _row(sql, video_id)
    assert row["deleted_at"] is not None and row["asset_destroyed_at"] is not None
    assert row["destroy_attempts"] == 0 and row["destroy_last_error"] is None
    assert cloudinary_standin.destroyed_public_ids() == [public_id]
    [(path, form)] = cloudinary_standin.calls
    assert path == "/v1_1/trendke-dev/video/destroy"  # resource_type video, through the SDK
    assert 'name="invalidate"' in form and 'name="signature"' in form
    assert sql("SELECT count(*) AS n FROM videos v WHERE v.status = 'ready' AND v.deleted_at IS NULL")[0]["n"] == 0

    # Deleting again (a retry) answers the same and calls Cloudinary no more.
    assert _delete(client, video_id, owner)[0] == 204
    assert len(cloudinary_standin.calls) == 1


def test_only_the_owner_may_delete(client, ready_video, make_user, sql, cloudinary_standin):
    owner, video_id, _ = ready_video
    stranger = make_user()
    status, body = _delete(client, video_id, stranger)
    assert status == 403 and body["detail"]
    assert _row(sql, video_id)["deleted_at"] is None
    assert cloudinary_standin.calls == []
    # Once deleted, it does not exist for anybody else.
    _delete(client, video_id, owner)
    assert _delete(client, video_id, stranger)[0] == 404


def test_unknown_or_malformed_ids(client, uploads_env, make_user):
    user = make_user()
    assert _delete(client, "3f1c3b5e-1d7c-4a53-9a43-5d2f0b2c9d11", user)[0] == 404
    assert _delete(client, "not-a-uuid", user)[0] == 400
    assert client.http.delete("/v1/videos/3f1c3b5e-1d7c-4a53-9a43-5d2f0b2c9d11").status_code == 401


def test_a_legacy_video_without_asset_is_deleted_without_calling_cloudinary(client, uploads_env, make_user, sql,
                                                                           cloudinary_standin):
    owner = make_user()
    [video] = sql("INSERT INTO videos (user_id, title, video_url) VALUES (%s, 'old', 'https://x.test/v.mp4')"
                  " RETURNING id", (owner["id"],))
    assert _delete(client, video["id"], owner)[0] == 204
    assert _row(sql, video["id"])["deleted_at"] is not None
    assert cloudinary_standin.calls == []


def test_a_failed_destroy_is_recorded_and_the_sweep_retries_it(client, ready_video, sql, cloudinary_standin):
    owner, video_id, public_id = ready_video
    cloudinary_standin.answers = [(500, {"error": {"message": "General Error"}}), (200, {"result": "ok"})]
    assert _delete(client, video_id, owner)[0] == 204  # the deletion itself took effect
    row = _row(sql, video_id)
    assert row["deleted_at"] is not None and row["asset_destroyed_at"] is None
    assert row["destroy_attempts"] == 1 and "General Error" in row["destroy_last_error"]
    assert row["destroy_next_at"] > row["deleted_at"]  # backed off

    assert lifecycle.sweep().destroyed == 0  # not due yet
    sql("UPDATE videos SET destroy_next_at = now() WHERE id = %s", (video_id,))
    report = lifecycle.sweep()
    assert (report.destroyed, report.destroy_failures) == (1, 0)
    row = _row(sql, video_id)
    assert row["asset_destroyed_at"] is not None and row["destroy_last_error"] is None
    assert cloudinary_standin.destroyed_public_ids() == [public_id, public_id]
    assert lifecycle.sweep().destroyed == 0  # nothing owed any more


def test_an_unreachable_cloudinary_is_recorded_never_lost(client, ready_video, sql, settings_env):
    owner, video_id, _ = ready_video
    import socket
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    settings_env(CLOUDINARY_UPLOAD_PREFIX=f"http://127.0.0.1:{dead}")
    assert _delete(client, video_id, owner)[0] == 204
    row = _row(sql, video_id)
    assert row["deleted_at"] is not None and row["asset_destroyed_at"] is None
    assert row["destroy_attempts"] == 1 and row["destroy_last_error"]


def test_not_found_at_cloudinary_counts_as_destroyed(client, ready_video, sql, cloudinary_standin):
    owner, video_id, _ = ready_video
    cloudinary_standin.answers = [(200, {"result": "not found"})]
    _delete(client, video_id, owner)
    assert _row(sql, video_id)["asset_destroyed_at"] is not None


def test_sweep_fails_old_pendings_only(start_upload, make_user, sql, settings_env, cloudinary_standin):
    settings_env(UPLOAD_PENDING_TIMEOUT_S="3600")
    user = make_user()
    old = start_upload(user, GOOD)[1]["video_id"]
    fresh = start_upload(user, GOOD)[1]["video_id"]
    sql("UPDATE videos SET created_at = now() - interval '61 minutes' WHERE id = %s", (old,))
    report = lifecycle.sweep()
    assert report.expired == 1
    assert _row(sql, old)["status"] == "failed" and "1 h" in _row(sql, old)["failure_reason"]
    assert _row(sql, fresh)["status"] == "pending"
    # The expired upload's public id is destroyed in case a late upload left an asset.
    assert cloudinary_standin.destroyed_public_ids() == [_row(sql, old)["cloudinary_public_id"]]
    assert lifecycle.sweep().expired == 0  # idempotent


def test_an_upload_that_lands_after_deletion_is_destroyed_again(client, start_upload, make_user, sql,
                                                               post_notification, cloudinary_standin):
    owner = make_user()
    _, body, _ = start_upload(owner, GOOD)
    video_id = body["video_id"]
    public_id = f"{body['fields']['folder']}/{body['fields']['public_id']}"
    cloudinary_standin.answers = [(200, {"result": "not found"})]
    assert _delete(client, video_id, owner)[0] == 204  # deleted while still pending
    text = body_text(upload_notification(public_id))
    post_notification(text, signed_headers(text))  # ... and then the upload completes
    row = _row(sql, video_id)
    assert row["deleted_at"] is not None and row["asset_destroyed_at"] is None
    cloudinary_standin.answers = [(200, {"result": "ok"})]
    assert lifecycle.sweep().destroyed == 1
    assert _row(sql, video_id)["asset_destroyed_at"] is not None


def test_the_scheduled_handler_runs_the_sweep(client, start_upload, make_user, sql, settings_env):
    settings_env(UPLOAD_PENDING_TIMEOUT_S="60")
    video_id = start_upload(make_user(), GOOD)[1]["video_id"]
    sql("UPDATE videos SET created_at = now() - interval '2 minutes'")
    result = client.lambda_.invoke("uploads_sweep", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    assert result.payload["expired"] == 1
    assert _row(sql, video_id)["status"] == "failed"


def test_retry_delay_backs_off_and_is_capped():
    delays = [lifecycle.retry_delay_s(n) for n in range(1, 15)]
    assert delays == sorted(delays) and delays[0] == 120 and delays[-1] == 6 * 3600
