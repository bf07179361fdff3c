"""The writer and the reader against both stores: a local folder, and S3 faked by moto."""
from __future__ import annotations

import json

import pytest

from chalicelib.trending import lists, reader, store, writer
from tests.support.trending import add_likes, add_video, make_users, trending_env  # noqa: F401

BUCKET = "trendke-test-trending"


def seed(sql, make_user, tags=("kenya", "nairobi")):
    author = make_user()["id"]
    fans = make_users(sql, 5)
    videos = []
    for i in range(4):
        video = add_video(sql, author, age_h=5 + i, hashtags=list(tags), title=f"Video {i}")
        add_likes(sql, video, fans[: 5 - i], age_h=1)
        videos.append(video)
    return videos


@pytest.fixture
def s3(trending_env, settings_env):
    from moto import mock_aws

    with mock_aws():
        import boto3

        settings_env(TRENDING_BUCKET=BUCKET, TRENDING_PREFIX="trending/",
                     AWS_DEFAULT_REGION="eu-west-1")
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        store.forget()
        reader.reset()
        yield client
        store.forget()
        reader.reset()


def test_local_refresh_writes_every_list_then_the_index(sql, make_user, trending_env):
    videos = seed(sql, make_user)
    result = writer.refresh()
    assert result.written == ["global.json", "hashtags/kenya.json", "hashtags/nairobi.json", "index.json"]

    index = json.loads((trending_env / "trending" / "index.json").read_bytes())
    assert index["generated_at"] == result.generated_at
    assert [h["hashtag"] for h in index["hashtags"]] == ["kenya", "nairobi"]
    body = (trending_env / "trending" / "global.json").read_bytes()
    assert index["global"]["sha256"] == store.content_hash(body)
    items = json.loads(body)["items"]
    assert [i["id"] for i in items] == videos
    assert set(items[0]) >= {"id", "title", "video_url", "username", "likes_count", "created_at"}


def test_local_refresh_skips_unchanged_lists_and_rewrites_changed_ones(sql, make_user, trending_env):
    videos = seed(sql, make_user)
    writer.refresh()
    again = writer.refresh()
    assert again.written == ["index.json"]
    assert len(again.unchanged) == 3

    sql("UPDATE videos SET title = 'Renamed' WHERE id = %s", (videos[0],))
    third = writer.refresh()
    assert set(third.written) == {"global.json", "hashtags/kenya.json", "hashtags/nairobi.json", "index.json"}
    assert third.written[-1] == "index.json"


def test_local_store_conditional_read(trending_env):
    local = store.LocalStore(str(trending_env), "p/")
    assert local.read("a.json") is None
    local.write("a.json", b'{"a":1}', digest=store.content_hash(b'{"a":1}'), cache_control="public")
    first = local.read("a.json")
    assert first.body == b'{"a":1}' and first.content_hash == store.content_hash(b'{"a":1}')
    assert local.read("a.json", if_none_match=first.version) is store.NOT_MODIFIED
    local.write("a.json", b'{"a":22}', digest="x", cache_control="public")
    assert local.read("a.json", if_none_match=first.version).body == b'{"a":22}'


def test_s3_refresh_writes_objects_with_their_headers_and_hash(sql, make_user, s3):
    seed(sql, make_user)
    result = writer.refresh()
    assert result.store == f"s3://{BUCKET}/trending/"
    head = s3.head_object(Bucket=BUCKET, Key="trending/global.json")
    assert head["ContentType"] == "application/json"
    assert head["CacheControl"] == (
        "public, max-age=60, s-maxage=300, stale-while-revalidate=300, stale-if-error=86400"
    )
    body = s3.get_object(Bucket=BUCKET, Key="trending/global.json")["Body"].read()
    assert head["Metadata"]["content-sha256"] == store.content_hash(body)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {"trending/index.json", "trending/global.json", "trending/hashtags/kenya.json",
                    "trending/hashtags/nairobi.json"}

    before = s3.head_object(Bucket=BUCKET, Key="trending/global.json")["LastModified"]
    again = writer.refresh()
    assert again.written == ["index.json"]
    assert s3.head_object(Bucket=BUCKET, Key="trending/global.json")["LastModified"] == before


def test_s3_cache_control_follows_the_configured_rate(sql, make_user, s3, settings_env):
    settings_env(TRENDING_RATE_MINUTES="10")
    seed(sql, make_user)
    writer.refresh()
    head = s3.head_object(Bucket=BUCKET, Key="trending/index.json")
    assert "s-maxage=600, stale-while-revalidate=600" in head["CacheControl"]


def test_s3_reader_serves_the_stored_list_and_revalidates_conditionally(sql, make_user, s3, settings_env):
    videos = seed(sql, make_user)
    writer.refresh()
    settings_env(TRENDING_REVALIDATE_S="0")
    first = reader.answer(reader.COMPAT, 2)
    assert [v["id"] for v in json.loads(first.text)] == videos[:2]
    assert first.header.startswith("public, max-age=60, s-maxage=300")
    assert first.headers == {}

    s3_store = store.from_settings()
    index = s3_store.read(lists.INDEX_KEY)
    assert s3_store.read(lists.INDEX_KEY, if_none_match=index.version) is store.NOT_MODIFIED
    assert reader.answer(reader.COMPAT, 2) is first  # index not modified: same prepared answer

    sql("UPDATE videos SET title = 'Renamed' WHERE id = %s", (videos[0],))
    writer.refresh()
    changed = reader.answer(reader.COMPAT, 2)
    assert json.loads(changed.text)[0]["title"] == "Renamed"
    assert changed.etag != first.etag


def test_s3_reader_keeps_the_last_good_copy_when_the_bucket_is_gone(sql, make_user, s3, settings_env):
    videos = seed(sql, make_user)
    writer.refresh()
    settings_env(TRENDING_REVALIDATE_S="0")
    held = reader.answer(reader.V1, 10)
    for obj in s3.list_objects_v2(Bucket=BUCKET)["Contents"]:
        s3.delete_object(Bucket=BUCKET, Key=obj["Key"])
    s3.delete_bucket(Bucket=BUCKET)  # every read now fails with NoSuchBucket
    with pytest.raises(store.StoreUnavailable):
        store.from_settings().read(lists.INDEX_KEY)
    assert reader.answer(reader.V1, 10) is held
    assert [v["id"] for v in json.loads(held.text)["items"]] == videos


def test_the_scheduled_handler_refreshes_the_store(sql, make_user, trending_env, chalice_app):
    from tests.support.lambda_events import LambdaContext, scheduled_event

    seed(sql, make_user)
    handler = chalice_app.handler_map["trending_refresh"]
    out = handler(scheduled_event(), LambdaContext("trendke-api-dev-trending_refresh"))
    assert out["written"] == 4 and out["unchanged"] == 0
    index = json.loads((trending_env / "trending" / "index.json").read_bytes())
    assert index["generated_at"] == out["generated_at"]
    assert index["refresh_minutes"] == 5
