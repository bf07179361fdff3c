"""Comments: posting (replies one level deep, Idempotency-Key), soft delete by the author or
the video's owner, and comments_count equal to the live rows after the fold."""
from __future__ import annotations

from tests.conftest import auth_headers
from tests.support.engagement import body, fold, make_video

FIELDS = {"id", "video_id", "user_id", "username", "avatar_url", "content", "created_at", "parent_id"}


def _post(client, video_id, user_id, payload, **headers):
    return client.http.post(
        f"/v1/videos/{video_id}/comments", body=__import__("json").dumps(payload),
        headers={**auth_headers(user_id), "Content-Type": "application/json", **headers},
    )


def _live(sql, video_id):
    return sql("SELECT count(*) AS n FROM video_comments WHERE video_id = %s AND deleted_at IS NULL",
               (video_id,))[0]["n"]


def _stored_count(sql, video_id):
    return sql("SELECT comments_count FROM videos WHERE id = %s", (video_id,))[0]["comments_count"]


def test_post_comment_trims_and_answers_a_comment(client, sql, make_user):
    owner, fan = make_user(), make_user(avatar_url="https://a/x.png")
    video = make_video(sql, owner)
    response = _post(client, video["id"], fan["id"], {"content": "  Sawa sawa!  "})
    assert response.status_code == 201
    comment = body(response)
    assert set(comment) == FIELDS
    assert comment["content"] == "Sawa sawa!"
    assert comment["username"] == fan["username"]
    assert comment["avatar_url"] == "https://a/x.png"
    assert comment["parent_id"] is None
    assert _live(sql, video["id"]) == 1
    fold()
    assert _stored_count(sql, video["id"]) == 1


def test_frontend_comment_route_answers_a_comment(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    response = client.http.post(f"/videos/{video['id']}/comment", body='{"content": "Poa"}',
                                headers={**auth_headers(fan["id"]), "Content-Type": "application/json"})
    assert response.status_code == 200
    assert body(response)["content"] == "Poa"
    assert body(response)["video_id"] == str(video["id"])


def test_idempotency_key_returns_the_first_comment(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    first = _post(client, video["id"], fan["id"], {"content": "once"}, **{"Idempotency-Key": "k-1"})
    retry = _post(client, video["id"], fan["id"], {"content": "once"}, **{"Idempotency-Key": "k-1"})
    other = _post(client, video["id"], fan["id"], {"content": "once"}, **{"Idempotency-Key": "k-2"})
    assert body(first) == body(retry)
    assert body(other)["id"] != body(first)["id"]
    assert _live(sql, video["id"]) == 2
    fold()
    assert _stored_count(sql, video["id"]) == 2


def test_idempotency_key_reused_on_another_video_is_409(client, sql, make_user):
    owner, fan = make_user(), make_user()
    one, two = make_video(sql, owner), make_video(sql, owner)
    _post(client, one["id"], fan["id"], {"content": "x"}, **{"Idempotency-Key": "k"})
    response = _post(client, two["id"], fan["id"], {"content": "x"}, **{"Idempotency-Key": "k"})
    assert response.status_code == 409
    assert _live(sql, two["id"]) == 0


def test_replies_are_one_level_deep(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    top = body(_post(client, video["id"], fan["id"], {"content": "top"}))
    reply = _post(client, video["id"], owner["id"], {"content": "reply", "parent_id": top["id"]})
    assert reply.status_code == 201
    assert body(reply)["parent_id"] == top["id"]
    deeper = _post(client, video["id"], fan["id"], {"content": "deeper", "parent_id": body(reply)["id"]})
    assert deeper.status_code == 400
    assert _live(sql, video["id"]) == 2


def test_reply_to_a_comment_of_another_video_is_400(client, sql, make_user):
    owner, fan = make_user(), make_user()
    one, two = make_video(sql, owner), make_video(sql, owner)
    top = body(_post(client, one["id"], fan["id"], {"content": "top"}))
    response = _post(client, two["id"], fan["id"], {"content": "r", "parent_id": top["id"]})
    assert response.status_code == 400
    assert _live(sql, two["id"]) == 0


def test_author_deletes_comment_and_its_replies(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    top = body(_post(client, video["id"], fan["id"], {"content": "top"}))
    _post(client, video["id"], owner["id"], {"content": "reply", "parent_id": top["id"]})
    _post(client, video["id"], owner["id"], {"content": "another top"})
    fold()
    assert _stored_count(sql, video["id"]) == 3
    response = client.http.delete(f"/v1/comments/{top['id']}", headers=auth_headers(fan["id"]))
    assert response.status_code == 200
    assert body(response) == {"id": top["id"], "deleted": True}
    again = client.http.delete(f"/v1/comments/{top['id']}", headers=auth_headers(fan["id"]))
    assert again.status_code == 200
    assert _live(sql, video["id"]) == 1
    fold()
    assert _stored_count(sql, video["id"]) == 1
    # Soft delete: the rows stay.
    assert sql("SELECT count(*) AS n FROM video_comments")[0]["n"] == 3


def test_video_owner_may_delete_a_fans_comment(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    top = body(_post(client, video["id"], fan["id"], {"content": "spam"}))
    response = client.http.delete(f"/v1/comments/{top['id']}", headers=auth_headers(owner["id"]))
    assert response.status_code == 200
    assert _live(sql, video["id"]) == 0


def test_reply_to_a_deleted_comment_is_404(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    top = body(_post(client, video["id"], fan["id"], {"content": "top"}))
    client.http.delete(f"/v1/comments/{top['id']}", headers=auth_headers(fan["id"]))
    response = _post(client, video["id"], owner["id"], {"content": "late", "parent_id": top["id"]})
    assert response.status_code == 404
    assert _live(sql, video["id"]) == 0


def test_concurrent_retries_with_one_key_make_one_comment(sql, make_user, database_url):
    import threading

    from chalicelib import db
    from chalicelib.engagement import comments

    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    barrier = threading.Barrier(6)
    answers, errors = [], []

    def post():
        try:
            barrier.wait()
            answers.append(comments.post(str(fan["id"]), str(video["id"]), "same", None, "retry-key"))
        except Exception as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({a["id"] for a in answers}) == 1
    assert _live(sql, video["id"]) == 1
    fold()
    assert _stored_count(sql, video["id"]) == 1
