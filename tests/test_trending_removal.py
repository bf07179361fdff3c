"""Gone means gone: a takedown, an owner's delete, a suspension or a failed moderation leaves
the stored trending lists and the in-memory copies within seconds, and the CDN is told.

The bound: at once in the environment that acted; within TRENDING_REVALIDATE_S (5 s in
production) in every other warm environment; at the edge when CloudFront finishes the
invalidation (measured here on the local stack without the edge)."""
from __future__ import annotations

import json
import time

import pytest

from chalicelib.trending import cdn, reader, removal, writer
from tests.conftest import auth_headers
from tests.support.cloudinary_kit import body_text, signed_headers
from tests.support.trending import add_likes, add_video, make_users, trending_env  # noqa: F401


def _trending_ids(client, path="/v1/trending"):
    body = json.loads(client.http.get(path).body)
    return [v["id"] for v in (body if isinstance(body, list) else body["items"])]


@pytest.fixture
def ranked(sql, make_user, trending_env):
    owner, admin = make_user("creator"), make_user("mod", role="admin")
    fans = make_users(sql, 4)
    videos = []
    for i in range(4):
        video = add_video(sql, str(owner["id"]), age_h=3 + i, hashtags=["kenya"] if i else ["kenya", "nairobi"],
                          title=f"Video {i}")
        add_likes(sql, video, fans[: 4 - i], age_h=1)
        videos.append(video)
    writer.refresh()
    return {"owner": owner, "admin": admin, "videos": videos, "store": trending_env}


def _takedown(client, admin, video_id):
    return client.http.post(f"/v1/admin/videos/{video_id}/takedown", headers={
        **auth_headers(admin["id"]), "Content-Type": "application/json"}, body=json.dumps({"reason": "Abuse"}))


def test_takedown_rewrites_the_lists_holding_it_and_this_environment_sees_it_at_once(client, ranked):
    top = ranked["videos"][0]
    assert _trending_ids(client)[0] == top
    assert top in _trending_ids(client, "/v1/trending/hashtags/nairobi")
    other_list = (ranked["store"] / "trending" / "hashtags" / "kenya.json")
    started = time.perf_counter()
    assert _takedown(client, ranked["admin"], top).status_code == 200
    for path in ("/v1/trending", "/videos/trending/videos", "/v1/trending/hashtags/nairobi",
                 "/v1/trending/hashtags/kenya"):
        assert top not in _trending_ids(client, path), path
    took = time.perf_counter() - started
    print(f"takedown to absence from the trending read, same environment: {took * 1000:.1f} ms")
    assert took < 1.0
    # The others keep their order: no re-ranking.
    assert _trending_ids(client) == ranked["videos"][1:]
    stored = json.loads(other_list.read_bytes())
    assert [v["id"] for v in stored["items"]] == ranked["videos"][1:]
    index = json.loads((ranked["store"] / "trending" / "index.json").read_bytes())
    assert index["global"]["count"] == 3


def test_another_warm_environment_drops_it_within_the_revalidation_period(client, ranked, settings_env):
    """Another environment holds a fresh copy it checked just now; it must not serve the video
    past TRENDING_REVALIDATE_S (0.5 s here, to keep the test short)."""
    settings_env(TRENDING_REVALIDATE_S="0.5")
    reader.reset()
    top = ranked["videos"][0]
    assert _trending_ids(client)[0] == top  # the copy is held
    removal.purge([top], "another-environment")  # the purge function's work, not this one's
    reader._holder.checked_at = time.monotonic()  # as if this copy had just revalidated elsewhere
    started = time.perf_counter()
    while top in _trending_ids(client):
        assert time.perf_counter() - started < 2.0
        time.sleep(0.02)
    took = time.perf_counter() - started
    print(f"absent from another environment's copy after {took * 1000:.0f} ms (revalidate 500 ms)")
    assert took <= 0.5 + 0.2


def test_owner_delete_leaves_trending_at_once(client, ranked):
    top = ranked["videos"][0]
    answer = client.http.delete(f"/v1/videos/{top}", headers=auth_headers(ranked["owner"]["id"]))
    assert answer.status_code == 204
    assert top not in _trending_ids(client)


def test_suspension_takes_all_their_videos_out(client, ranked):
    client.http.post(f"/v1/admin/users/{ranked['owner']['id']}/suspend", headers={
        **auth_headers(ranked["admin"]["id"]), "Content-Type": "application/json"},
        body=json.dumps({"reason": "Spam ring"}))
    assert _trending_ids(client) == []


def test_failed_moderation_leaves_trending(client, ranked, sql, settings_env):
    settings_env(CLOUDINARY_SIGNATURE_ALGORITHM="sha256")
    top = ranked["videos"][0]
    sql("UPDATE videos SET cloudinary_public_id = %s WHERE id = %s", (f"trendke/videos/{top}", top))
    text = body_text({"notification_type": "moderation", "moderation_status": "rejected",
                      "public_id": f"trendke/videos/{top}", "moderation_kind": "aws_rek_video"})
    answer = client.http.post("/v1/webhooks/cloudinary", headers=signed_headers(text), body=text)
    assert answer.status_code == 200, answer.body
    assert top not in _trending_ids(client)
    assert sql("SELECT status, failure_reason FROM videos WHERE id = %s", (top,))[0]["status"] == "failed"


def test_on_s3_the_cdn_gets_one_batched_invalidation(sql, make_user, settings_env):
    from moto import mock_aws

    with mock_aws():
        import boto3

        from chalicelib.trending import store

        settings_env(TRENDING_BUCKET="trendke-trending-test", TRENDING_PREFIX="trending/",
                     AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x")
        boto3.client("s3").create_bucket(Bucket="trendke-trending-test")
        cloudfront = boto3.client("cloudfront")
        distribution = cloudfront.create_distribution(DistributionConfig={
            "CallerReference": "t", "Comment": "", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "example.com",
                                                  "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                                                         "OriginProtocolPolicy": "https-only"}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all",
                                     "MinTTL": 0, "ForwardedValues": {"QueryString": True,
                                                                      "Cookies": {"Forward": "none"}}},
        })["Distribution"]["Id"]
        settings_env(CLOUDFRONT_DISTRIBUTION_ID=distribution)
        store.forget()
        cdn.forget()
        reader.reset()
        owner = make_user()
        fans = make_users(sql, 2)
        videos = [add_video(sql, str(owner["id"]), age_h=2 + i) for i in range(2)]
        for v in videos:
            add_likes(sql, v, fans, age_h=1)
        writer.refresh()
        result = removal.purge([videos[0]], "ref-1")
        assert result.rewritten == ["global.json", "hashtags/kenya.json"]
        assert len(result.invalidations) == 1
        listed = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]
        assert listed["Quantity"] == 1
        batch = cloudfront.get_invalidation(DistributionId=distribution, Id=result.invalidations[0])
        paths = batch["Invalidation"]["InvalidationBatch"]["Paths"]["Items"]
        assert set(paths) == {"/v1/trending*", "/videos/trending/*", "/trending/*", "/v1/search/*",
                              f"/v1/videos/{videos[0]}"}
        stored = json.loads(boto3.client("s3").get_object(
            Bucket="trendke-trending-test", Key="trending/global.json")["Body"].read())
        assert [v["id"] for v in stored["items"]] == [videos[1]]
        # Lambda's retry or a duplicate delivery: nothing rewritten, and the same
        # CallerReference, for which CloudFront returns the first invalidation (moto makes a
        # second record; the reference is what the real service dedupes on).
        again = removal.purge([videos[0]], "ref-1")
        assert again.rewritten == [] and again.index_written is False
        listed = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]["Items"]
        references = {cloudfront.get_invalidation(DistributionId=distribution, Id=i["Id"])
                      ["Invalidation"]["InvalidationBatch"]["CallerReference"] for i in listed}
        assert references == {"trendke-ref-1-0"}
        store.forget()
        cdn.forget()


def test_without_a_distribution_the_invalidation_is_a_no_op(trending_env):
    assert cdn.invalidate(["/v1/trending*"]) is None
    assert removal.purge([], "r").rewritten == []
