"""POST /v1/uploads: validation, the signed parameters, limits, idempotency; the old route."""
from __future__ import annotations

import json
import time

import pytest

from tests.conftest import auth_headers
from tests.support.cloudinary_kit import DEV_API_SECRET

from .conftest import PUBLIC_BASE_URL

GOOD = {"title": "  Matatu ride through Nairobi  ", "description": "Friday vibes",
        "hashtags": ["#Nairobi", "matatu_culture", "NAIROBI", "kenya254"]}


def _video_rows(sql):
    return sql("SELECT * FROM videos ORDER BY created_at")


def _verify_with_sdk(fields, algorithm="sha256"):
    """The SDK's own signing over what the browser will post (minus signature and api_key)."""
    from cloudinary.utils import api_sign_request

    signed = {k: v for k, v in fields.items() if k not in ("signature", "api_key", "file")}
    return api_sign_request(signed, DEV_API_SECRET, algorithm) == fields["signature"]


def test_start_records_a_pending_video_and_answers_signed_fields(start_upload, make_user, sql):
    user = make_user()
    status, body, headers = start_upload(user, GOOD)
    assert status == 201, body
    assert headers["Cache-Control"] == "private, no-store"
    assert set(body) == {"video_id", "upload_url", "fields", "expires_at"}
    [row] = _video_rows(sql)
    assert str(row["id"]) == body["video_id"] and row["user_id"] == user["id"]
    assert row["status"] == "pending" and row["deleted_at"] is None
    assert row["title"] == "Matatu ride through Nairobi"
    assert row["description"] == "Friday vibes"
    assert row["hashtags"] == ["nairobi", "matatu_culture", "kenya254"]
    assert row["cloudinary_public_id"] == f"trendke/videos/{body['video_id']}"
    # The NOT NULL video_url holds the deterministic delivery URL of the public id.
    assert row["video_url"].startswith("https://res.cloudinary.com/trendke-dev/video/upload/")
    assert row["cloudinary_public_id"] in row["video_url"]

    fields = body["fields"]
    assert body["upload_url"].endswith("/v1_1/trendke-dev/video/upload")
    assert fields["public_id"] == body["video_id"]
    assert fields["folder"] == "trendke/videos"
    assert fields["eager"] == "sp_auto/m3u8|so_1/jpg"
    assert fields["eager_async"] == "1"
    assert fields["overwrite"] == "0"
    assert fields["type"] == "upload"
    assert fields["notification_url"] == PUBLIC_BASE_URL + "/v1/webhooks/cloudinary"
    assert fields["eager_notification_url"] == fields["notification_url"]
    assert fields["allowed_formats"] == "mp4,mov,webm,m4v,3gp,mkv"
    assert fields["api_key"] == "111111111111111"
    assert abs(int(fields["timestamp"]) - time.time()) < 60
    assert body["expires_at"] == int(fields["timestamp"]) + 3600
    assert all(isinstance(v, str) for v in fields.values())


def test_signature_verifies_with_the_sdk_and_is_sha256(start_upload, make_user):
    _, body, _ = start_upload(make_user(), GOOD)
    fields = body["fields"]
    assert len(fields["signature"]) == 64  # SHA-256 hex, as configured
    assert _verify_with_sdk(fields)
    assert not _verify_with_sdk(fields, "sha1")


@pytest.mark.parametrize("extra", [
    {"overwrite": "1"}, {"public_id": "someone_elses_video"}, {"notification_url": "https://evil.test/hook"},
    {"upload_preset": "unsigned"}, {"eager": "w_4000/mp4"}, {"type": "private"}, {"invalidate": "1"},
])
def test_a_field_added_or_changed_by_the_browser_breaks_the_signature(start_upload, make_user, extra):
    _, body, _ = start_upload(make_user(), GOOD)
    tampered = {**body["fields"], **extra}
    assert not _verify_with_sdk(tampered)


@pytest.mark.parametrize("param", ["public_id", "folder", "notification_url", "eager", "overwrite",
                                   "resource_type", "upload_preset", "signature", "timestamp"])
def test_a_client_cannot_ask_for_any_upload_parameter(start_upload, make_user, sql, param):
    status, body, _ = start_upload(make_user(), {**GOOD, param: "chosen-by-client"})
    assert status == 400
    assert param in body["detail"]
    assert _video_rows(sql) == []


def test_sha1_when_the_account_signs_with_sha1(start_upload, make_user, settings_env):
    settings_env(CLOUDINARY_SIGNATURE_ALGORITHM="sha1")
    _, body, _ = start_upload(make_user(), GOOD)
    assert len(body["fields"]["signature"]) == 40
    assert _verify_with_sdk(body["fields"], "sha1")


BAD_BODIES = [
    ({}, "title"),
    ({"title": None}, "title"),
    ({"title": 42}, "title"),
    ({"title": "   "}, "1 to 150"),
    ({"title": "x" * 151}, "1 to 150"),
    ({"title": "ok", "description": "d" * 2201}, "2200"),
    ({"title": "ok", "description": 5}, "description"),
    ({"title": "ok", "hashtags": "nairobi"}, "list"),
    ({"title": "ok", "hashtags": [7]}, "string"),
    ({"title": "ok", "hashtags": ["#"]}, "empty"),
    ({"title": "ok", "hashtags": ["nai-robi"]}, "a-z"),
    ({"title": "ok", "hashtags": ["karibu kenya"]}, "a-z"),
    ({"title": "ok", "hashtags": ["émoji"]}, "a-z"),
    ({"title": "ok", "hashtags": ["a" * 51]}, "50"),
    ({"title": "ok", "hashtags": [f"tag{i}" for i in range(21)]}, "20"),
]


@pytest.mark.parametrize("payload,detail", BAD_BODIES)
def test_every_validation_rule_refuses_bad_input_and_writes_nothing(start_upload, make_user, sql, payload, detail):
    status, body, _ = start_upload(make_user(), payload)
    assert status == 400, body
    assert detail in body["detail"]
    assert _video_rows(sql) == []


def test_limits_at_the_edges_are_accepted(start_upload, make_user, sql, settings_env):
    settings_env(UPLOAD_MAX_PENDING="5")
    user = make_user()
    tags = [f"Tag{i}" for i in range(20)] + ["TAG0", "#tag1"]  # 22 given, 20 once normalised
    status, body, _ = start_upload(user, {"title": "t" * 150, "description": "d" * 2200, "hashtags": tags})
    assert status == 201, body
    status, body, _ = start_upload(user, {"title": "x", "hashtags": ["a" * 50], "description": None})
    assert status == 201, body
    rows = _video_rows(sql)
    assert rows[0]["hashtags"] == [f"tag{i}" for i in range(20)]
    assert rows[1]["hashtags"] == ["a" * 50] and rows[1]["description"] is None


def test_malformed_json_and_non_object_bodies_are_400(client, uploads_env, make_user, sql):
    user = make_user()
    for raw in ("{not json", "[1, 2]", '"title"'):
        response = client.http.post("/v1/uploads", body=raw,
                                    headers={"Content-Type": "application/json", **auth_headers(user["id"])})
        assert response.status_code == 400
        assert json.loads(response.body)["detail"]
    assert _video_rows(sql) == []


def test_start_needs_a_signed_in_user(client, uploads_env, sql):
    response = client.http.post("/v1/uploads", body=json.dumps(GOOD), headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert _video_rows(sql) == []


def test_pending_limit_answers_429_with_retry_after(start_upload, make_user, sql, settings_env):
    settings_env(UPLOAD_MAX_PENDING="2", UPLOAD_PENDING_TIMEOUT_S="7200")
    user, other = make_user(), make_user()
    assert start_upload(user, GOOD)[0] == 201
    assert start_upload(user, GOOD)[0] == 201
    status, body, headers = start_upload(user, GOOD)
    assert status == 429
    assert "in progress" in body["detail"]
    assert 7000 < int(headers["Retry-After"]) <= 7200  # when the oldest pending times out
    assert len(_video_rows(sql)) == 2
    assert start_upload(other, GOOD)[0] == 201  # per user

    # A finished (ready) upload frees its slot.
    sql("UPDATE videos SET status = 'ready' WHERE id = (SELECT id FROM videos WHERE user_id = %s"
        " ORDER BY created_at LIMIT 1)", (user["id"],))
    assert start_upload(user, GOOD)[0] == 201


def test_daily_cap_counts_the_last_24_hours_including_deleted_and_failed(start_upload, make_user, sql, settings_env):
    settings_env(UPLOAD_DAILY_CAP="3", UPLOAD_MAX_PENDING="10")
    user = make_user()
    for _ in range(3):
        assert start_upload(user, GOOD)[0] == 201
    sql("UPDATE videos SET status = 'failed'")
    sql("UPDATE videos SET deleted_at = now(), created_at = now() - interval '23 hours'"
        " WHERE id = (SELECT id FROM videos ORDER BY created_at LIMIT 1)")
    status, body, headers = start_upload(user, GOOD)
    assert status == 429 and "a day" in body["detail"]
    assert 3500 < int(headers["Retry-After"]) <= 3600  # when the oldest of the day leaves the window
    sql("UPDATE videos SET created_at = now() - interval '25 hours'"
        " WHERE id = (SELECT id FROM videos ORDER BY created_at LIMIT 1)")
    assert start_upload(user, GOOD)[0] == 201


def test_a_retried_post_with_the_same_idempotency_key_answers_for_the_same_video(start_upload, make_user, sql):
    user = make_user()
    key = {"Idempotency-Key": "0b7e1c9a-retry-1"}
    status1, first, _ = start_upload(user, GOOD, key)
    status2, again, _ = start_upload(user, GOOD, key)
    assert (status1, status2) == (201, 200)
    assert again["video_id"] == first["video_id"]
    assert again["fields"]["public_id"] == first["fields"]["public_id"]
    assert _verify_with_sdk(again["fields"])
    assert len(_video_rows(sql)) == 1

    status, body, _ = start_upload(user, {**GOOD, "title": "Another video"}, key)
    assert status == 409 and "different request" in body["detail"]
    # Another user may use the same key for their own upload.
    assert start_upload(make_user(), GOOD, key)[0] == 201
    assert len(_video_rows(sql)) == 2

    sql("UPDATE videos SET status = 'ready' WHERE id = %s", (first["video_id"],))
    status, body, _ = start_upload(user, GOOD, key)
    assert status == 409 and "no longer pending" in body["detail"]


def test_an_idempotent_retry_does_not_count_against_the_limits(start_upload, make_user, settings_env, sql):
    settings_env(UPLOAD_MAX_PENDING="1")
    user = make_user()
    key = {"Idempotency-Key": "k1"}
    assert start_upload(user, GOOD, key)[0] == 201
    assert start_upload(user, GOOD, key)[0] == 200
    assert start_upload(user, GOOD)[0] == 429
    assert len(_video_rows(sql)) == 1


def test_a_bad_idempotency_key_is_400(start_upload, make_user, sql):
    status, body, _ = start_upload(make_user(), GOOD, {"Idempotency-Key": "x" * 201})
    assert status == 400 and "Idempotency-Key" in body["detail"]
    assert _video_rows(sql) == []


def test_production_without_public_base_url_refuses_before_writing(start_upload, make_user, settings_env, sql):
    settings_env(STAGE="prod", PUBLIC_BASE_URL=None)
    status, body, _ = start_upload(make_user(), GOOD)
    assert status == 503 and "PUBLIC_BASE_URL" in body["detail"]
    assert _video_rows(sql) == []


def test_the_old_multipart_route_is_gone_and_names_the_new_flow(client, make_user, sql):
    user = make_user()
    response = client.http.post(
        "/videos/upload",
        headers={"Content-Type": "multipart/form-data; boundary=xyz", **auth_headers(user["id"])},
        body="--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhi\r\n--xyz--\r\n",
    )
    assert response.status_code == 410
    assert "POST /v1/uploads" in json.loads(response.body)["detail"]
    assert _video_rows(sql) == []


def test_concurrent_starts_cannot_both_pass_the_pending_limit(uploads_env, make_user, settings_env, sql):
    """The per-user advisory lock: racing requests see each other's pending rows."""
    import threading

    from chalicelib import db
    from chalicelib.errors import TooManyRequests
    from chalicelib.uploads import service
    import msgspec

    from chalicelib.schema.uploads import UploadRequest

    settings_env(UPLOAD_MAX_PENDING="2")
    user_id = str(make_user()["id"])
    outcomes, barrier = [], threading.Barrier(6)

    def race():
        try:
            barrier.wait()
            service.start_upload(user_id, msgspec.convert(GOOD, UploadRequest))
            outcomes.append("created")
        except TooManyRequests:
            outcomes.append("429")
        finally:
            db.close()

    threads = [threading.Thread(target=race) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["429"] * 4 + ["created"] * 2
    assert len(_video_rows(sql)) == 2


def test_a_lone_surrogate_in_the_title_is_400_and_writes_nothing(start_upload, make_user, sql):
    status, body, _ = start_upload(make_user(), {**GOOD, "title": "x \udfff"})
    assert status == 400 and "surrogate" in body["detail"]
    status, body, _ = start_upload(make_user(), {**GOOD, "hashtags": ["ok", "\ud800"]})
    assert status == 400 and "surrogate" in body["detail"]
    assert _video_rows(sql) == []


def test_the_upload_rate_limit_answers_429_with_retry_after(start_upload, make_user, sql, settings_env):
    # The pending and daily caps raised, so only RATE_LIMITS' upload=2/600 can refuse.
    settings_env(RATE_LIMITS="upload=2/600", UPLOAD_MAX_PENDING="50", UPLOAD_DAILY_CAP="50")
    user = make_user()
    key = {"Idempotency-Key": "rl-1"}
    assert start_upload(user, GOOD, key)[0] == 201
    # A replayed key answers for the same video and does not use up the allowance.
    for _ in range(3):
        assert start_upload(user, GOOD, key)[0] == 200
    assert start_upload(user, GOOD)[0] == 201
    status, body, headers = start_upload(user, GOOD)
    assert status == 429 and "upload" in body["detail"]
    assert 0 < int(headers["Retry-After"]) <= 600
    assert len(_video_rows(sql)) == 2
    assert start_upload(make_user(), GOOD)[0] == 201  # per user
