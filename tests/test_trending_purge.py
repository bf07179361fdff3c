"""Gone means gone through the trending_purge function (issue 16 item 5): the API may not write
the public trending objects, so it invokes the purge asynchronously and hides the video in its
own answers at once; the purge is idempotent, purges do not undo each other, and a refresh
ranked before a removal cannot bring the video back."""
from __future__ import annotations

import json
import threading

import pytest

from chalicelib.trending import cdn, hidden, purge_call, reader, removal, writer
from tests.conftest import auth_headers
from tests.support.trending import add_likes, add_video, make_users, trending_env  # noqa: F401
from tests.test_iam_policy import BUCKET as PROD_BUCKET, POLICIES, TRENDING, allowed

BUCKET = "trendke-trending-test"
FUNCTION = "trendke-api-test-trending_purge"


def _ids(client, path="/v1/trending"):
    body = json.loads(client.http.get(path).body)
    return [v["id"] for v in (body if isinstance(body, list) else body["items"])]


def _stored_ids(s3, key="trending/global.json"):
    return [v["id"] for v in json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())["items"]]


def _act(client, admin, path):
    return client.http.post(path, headers={**auth_headers(admin["id"]), "Content-Type": "application/json"},
                            body=json.dumps({"reason": "Abuse"}))


def _seed(sql, make_user, n=3):
    owner, admin = make_user("creator"), make_user("mod", role="admin")
    fans = make_users(sql, n + 1)
    videos = []
    for i in range(n):
        video = add_video(sql, str(owner["id"]), age_h=2 + i)
        add_likes(sql, video, fans[: n + 1 - i], age_h=1)
        videos.append(video)
    return owner, admin, videos


@pytest.fixture
def on_aws(settings_env, monkeypatch):
    """moto's S3, CloudFront and Lambda (the purge function deployed, no Docker); the
    invocations the code makes are recorded from boto3's own event hooks."""
    from moto import mock_aws

    with mock_aws(config={"lambda": {"use_docker": False}}):
        import boto3

        from chalicelib.trending import store

        settings_env(TRENDING_BUCKET=BUCKET, TRENDING_PREFIX="trending/", AWS_DEFAULT_REGION="us-east-1",
                     AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", CLOUDFRONT_DISTRIBUTION_ID=None)
        boto3.setup_default_session()
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        role = boto3.client("iam").create_role(RoleName="purge", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        boto3.client("lambda").create_function(
            FunctionName=FUNCTION, Runtime="python3.11", Role=role, Handler="app.trending_purge",
            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})
        invoked = []
        boto3.DEFAULT_SESSION.events.register(
            "provide-client-params.lambda.Invoke", lambda params, **kw: invoked.append(dict(params)))
        monkeypatch.setenv("TRENDING_PURGE_FUNCTION", FUNCTION)
        store.forget()
        cdn.forget()
        purge_call.forget()
        reader.reset()
        yield {"s3": s3, "invoked": invoked}
        store.forget()
        cdn.forget()
        reader.reset()
        purge_call.forget()
        boto3.DEFAULT_SESSION = None


def test_the_api_cannot_write_the_lists_yet_the_takedown_purges_them_through_the_function(
        client, sql, make_user, on_aws, chalice_app):
    from tests.support.lambda_events import LambdaContext

    for key in TRENDING:  # the production policy: no write on the trending objects
        assert not allowed(POLICIES["api_handler"], "s3:PutObject", f"arn:aws:s3:::{PROD_BUCKET}/{key}")
        assert allowed(POLICIES["trending_purge"], "s3:PutObject", f"arn:aws:s3:::{PROD_BUCKET}/{key}")
    s3 = on_aws["s3"]
    _, admin, videos = _seed(sql, make_user)
    writer.refresh()
    top = videos[0]
    assert _ids(client)[0] == top
    before = s3.head_object(Bucket=BUCKET, Key="trending/global.json")["ETag"]

    assert _act(client, admin, f"/v1/admin/videos/{top}/takedown").status_code == 200
    # The acting environment: gone from its answers when the route returns.
    assert top not in _ids(client) and top not in _ids(client, "/v1/trending/hashtags/kenya")
    assert _ids(client) == videos[1:]
    # The API wrote nothing: the stored list is the refresh's, still holding the video ...
    assert s3.head_object(Bucket=BUCKET, Key="trending/global.json")["ETag"] == before
    assert top in _stored_ids(s3)
    # ... it asked the purge function, asynchronously, once.
    [call] = on_aws["invoked"]
    assert call["FunctionName"] == FUNCTION and call["InvocationType"] == "Event"
    event = json.loads(call["Payload"])
    assert event["video_ids"] == [top] and len(event["reference"]) == 32

    # Lambda delivers the event to the deployed function.
    handler = chalice_app.handler_map["trending_purge"]
    out = handler(event, LambdaContext("trendke-api-test-trending_purge"))
    assert out["rewritten"] == ["global.json", "hashtags/kenya.json"] and out["purged"] == 1
    assert _stored_ids(s3) == videos[1:] and top not in _stored_ids(s3, "trending/hashtags/kenya.json")
    # A retry or a duplicate delivery: nothing to rewrite, no write at all.
    after = s3.head_object(Bucket=BUCKET, Key="trending/index.json")["ETag"]
    assert handler(event, LambdaContext("trendke-api-test-trending_purge"))["rewritten"] == []
    assert s3.head_object(Bucket=BUCKET, Key="trending/index.json")["ETag"] == after
    # Another environment (nothing held, nothing hidden) reads the rewritten lists.
    reader.reset()
    assert _ids(client) == videos[1:]


def test_when_the_invocation_fails_the_acting_environment_still_hides_it(
        client, sql, make_user, on_aws, caplog):
    _, admin, videos = _seed(sql, make_user, 2)
    writer.refresh()
    import boto3
    from botocore.exceptions import EndpointConnectionError

    def unreachable(**kwargs):  # the Lambda API cannot be reached
        raise EndpointConnectionError(endpoint_url="https://lambda.us-east-1.amazonaws.com")

    boto3.DEFAULT_SESSION.events.register("before-send.lambda.Invoke", unreachable)
    assert _act(client, admin, f"/v1/admin/videos/{videos[0]}/takedown").status_code == 200
    assert _ids(client) == videos[1:]
    assert f"could not ask {FUNCTION} to purge 1 video(s)" in caplog.text


def test_a_malformed_event_is_dropped_and_changes_nothing(trending_env, chalice_app):
    from tests.support.lambda_events import LambdaContext

    handler = chalice_app.handler_map["trending_purge"]
    for event in ({}, {"video_ids": "abc", "reference": "r"}, {"video_ids": [1], "reference": "r"},
                  {"video_ids": ["a"] * 1001, "reference": "r"}, {"video_ids": ["a"], "reference": ""}, []):
        assert handler(event, LambdaContext("trendke-api-test-trending_purge"))["error"] == "malformed event"
    assert not (trending_env / "trending" / "index.json").exists()


def test_concurrent_purges_keep_every_removal(sql, make_user, trending_env):
    """Eight removals at once, each rewriting the same lists: none undoes another (one purge at
    a time: a lock here, reserved concurrency 1 for the function)."""
    _, _, videos = _seed(sql, make_user, 9)
    writer.refresh()
    gone = videos[:8]
    threads = [threading.Thread(target=removal.purge, args=([v], f"ref-{i}")) for i, v in enumerate(gone)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = json.loads((trending_env / "trending" / "global.json").read_bytes())
    assert [v["id"] for v in stored["items"]] == videos[8:]
    index = json.loads((trending_env / "trending" / "index.json").read_bytes())
    assert index["global"]["count"] == 1


def test_a_refresh_ranked_before_the_removal_cannot_write_it_back(client, sql, make_user, trending_env):
    """The README's old known gap: the ranking ran, the takedown committed and purged, then the
    refresh wrote its (older) ranking. Its re-check after the write purges the video again."""
    _, admin, videos = _seed(sql, make_user)
    writer.refresh()
    stale = writer.compute()  # ranked while the video is still listable
    top = videos[0]
    assert _act(client, admin, f"/v1/admin/videos/{top}/takedown").status_code == 200
    result = writer.store_set(stale)
    assert result.removed_meanwhile == [top]
    stored = json.loads((trending_env / "trending" / "global.json").read_bytes())
    assert [v["id"] for v in stored["items"]] == videos[1:]
    reader.reset()  # another environment, which never saw the takedown
    assert _ids(client) == videos[1:]
    assert writer.refresh().removed_meanwhile == []  # the next refresh ranks without it


def test_a_restore_lists_it_again_at_the_next_refresh_in_the_acting_environment(
        client, sql, make_user, trending_env):
    _, admin, videos = _seed(sql, make_user, 2)
    writer.refresh()
    top = videos[0]
    assert _act(client, admin, f"/v1/admin/videos/{top}/takedown").status_code == 200
    assert top not in _ids(client)
    assert _act(client, admin, f"/v1/admin/videos/{top}/restore").status_code == 200
    writer.refresh()
    reader.expire()
    assert _ids(client) == videos


def test_hidden_ids_apply_only_to_lists_ranked_before_the_removal():
    hidden.reset()
    hidden.hide(["v1"])
    import time

    assert hidden.for_snapshot(time.time() - 60) == {"v1"}  # ranked before: filtered
    assert hidden.for_snapshot(time.time() + hidden.MARGIN_S + 1) == frozenset()  # after: dropped
    assert hidden.for_snapshot(0) == frozenset()  # and forgotten
