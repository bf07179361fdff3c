"""Notifications made from the writes (issue 13): likes, comments, replies, follows, uploads,
grouped, never for self-actions, undone before they are read, exact under a storm."""
from __future__ import annotations

import threading

from tests.support.engagement import make_video
from tests.support import legacy


def materialise() -> dict:
    from chalicelib.notifications import materialise as m

    return m.materialise()


def notes(sql, user):
    return sql("SELECT * FROM notifications WHERE user_id = %s ORDER BY created_at DESC, id DESC",
               (user["id"],))


def unread(sql, user) -> int:
    rows = sql("SELECT unread FROM notification_unread_counts WHERE user_id = %s", (user["id"],))
    return rows[0]["unread"] if rows else 0


def _like(fan, video, liked=True):
    from chalicelib.engagement import likes

    return likes.set_like(str(fan["id"]), str(video["id"]), liked)


def _follow(fan, user, following=True):
    from chalicelib.engagement import follows

    return follows.set_following(str(fan["id"]), str(user["id"]), following)


def test_a_like_notifies_the_owner_once_and_a_self_like_nobody(sql, make_user):
    owner, fan = make_user("amina"), make_user("brian")
    video = make_video(sql, owner)
    _like(fan, video)
    _like(owner, video)
    assert notes(sql, owner) == []  # nothing on the write's path
    assert materialise()["events"] == 2
    [note] = notes(sql, owner)
    assert note["type"] == "new_like" and note["is_read"] is False
    assert note["message"] == 'brian liked your video "Nairobi sunset"'
    assert note["data"]["video_id"] == str(video["id"]) and note["data"]["actor_count"] == 1
    assert unread(sql, owner) == 1
    assert sql("SELECT count(*) AS n FROM notification_outbox")[0]["n"] == 0
    assert materialise()["events"] == 0


def _concurrently(n, work):
    barrier = threading.Barrier(n)
    errors = []

    def run(i):
        from chalicelib import db

        try:
            barrier.wait()
            work(i)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_storm_of_48_likes_with_retries_is_one_notification_with_exact_counts(sql, make_user):
    owner = make_user("amina")
    video = make_video(sql, owner)
    fans = [make_user() for _ in range(48)]
    stop = threading.Event()
    runs = []

    def keep_materialising():
        from chalicelib import db

        while not stop.is_set():
            runs.append(materialise())
        db.close()

    background = threading.Thread(target=keep_materialising)
    background.start()
    try:
        def like_and_retry(i):
            _like(fans[i], video)
            _like(fans[i], video)  # a retry: no new event row, no new event
        _concurrently(48, like_and_retry)
    finally:
        stop.set()
        background.join()
    materialise()
    [note] = notes(sql, owner)
    assert note["data"]["actor_count"] == 48
    assert note["message"].endswith('and 47 others liked your video "Nairobi sunset"')
    assert unread(sql, owner) == 1


def _storm_with_materialiser(work, n):
    stop = threading.Event()

    def keep_materialising():
        from chalicelib import db

        while not stop.is_set():
            materialise()
        db.close()

    background = threading.Thread(target=keep_materialising)
    background.start()
    try:
        _concurrently(n, work)
    finally:
        stop.set()
        background.join()
    materialise()


def test_a_like_unlike_storm_counts_only_the_likes_that_stand(sql, make_user):
    owner = make_user("amina")
    video, other = make_video(sql, owner), make_video(sql, owner, title="Other")
    fans = [make_user() for _ in range(48)]

    def flip(i):
        _like(fans[i], video)
        _like(fans[i], video, False)
        _like(fans[i], other)
        _like(fans[i], other, False)
        if i % 2 == 0:
            _like(fans[i], video)

    _storm_with_materialiser(flip, 48)
    [note] = notes(sql, owner)
    assert note["data"]["video_id"] == str(video["id"]) and note["data"]["actor_count"] == 24
    assert unread(sql, owner) == 1


def test_an_undone_like_leaves_nothing_unless_it_was_read(sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    _like(fan, video)
    _like(fan, video, False)
    materialise()  # both in one batch
    assert notes(sql, owner) == []

    _like(fan, video)
    materialise()
    assert len(notes(sql, owner)) == 1 and unread(sql, owner) == 1
    _like(fan, video, False)
    materialise()  # undone in a later batch
    assert notes(sql, owner) == [] and unread(sql, owner) == 0

    _like(fan, video)
    materialise()
    sql("UPDATE notifications SET is_read = true WHERE user_id = %s", (owner["id"],))
    _like(fan, video, False)
    materialise()
    assert len(notes(sql, owner)) == 1 and unread(sql, owner) == 0


def test_a_follow_toggle_storm_does_not_spam(sql, make_user):
    star, fan, other = make_user("star"), make_user("fan"), make_user("other")
    for _ in range(5):
        _follow(fan, star)
        materialise()
        _follow(fan, star, False)
        materialise()
    assert notes(sql, star) == []
    for _ in range(3):
        _follow(fan, star)
        _follow(fan, star, False)
    _follow(fan, star)
    _follow(other, star)
    materialise()
    [note] = notes(sql, star)
    assert note["type"] == "new_follower" and note["data"]["actor_count"] == 2
    assert note["message"] in ("other and fan started following you", "fan and other started following you")
    assert unread(sql, star) == 1


def test_likes_group_until_read_then_a_new_notification_starts(sql, make_user):
    owner = make_user("amina")
    video, second = make_video(sql, owner), make_video(sql, owner, title="Second")
    fans = [make_user(f"fan{i}") for i in range(3)]
    for fan in fans:
        _like(fan, video)
        materialise()
    _like(fans[0], second)
    materialise()
    grouped = [n for n in notes(sql, owner) if n["data"]["video_id"] == str(video["id"])]
    assert len(grouped) == 1 and grouped[0]["message"] == 'fan2 and 2 others liked your video "Nairobi sunset"'
    assert unread(sql, owner) == 2
    sql("UPDATE notifications SET is_read = true WHERE id = %s", (grouped[0]["id"],))
    _like(make_user("late"), video)
    materialise()
    assert [n["message"] for n in notes(sql, owner) if n["data"]["video_id"] == str(video["id"])][0] \
        == 'late liked your video "Nairobi sunset"'
    assert unread(sql, owner) == 2


def test_the_group_window_closes_a_group(sql, make_user, settings_env):
    settings_env(NOTIFICATION_GROUP_WINDOW_S="0")
    owner = make_user()
    video = make_video(sql, owner)
    for _ in range(2):
        _like(make_user(), video)
        materialise()
    assert len(notes(sql, owner)) == 2 and unread(sql, owner) == 2


def test_comments_and_replies_notify_the_owner_and_the_parent_author(client, sql, make_user):
    from chalicelib.engagement import comments

    owner, fan, replier = make_user("owner"), make_user("fan"), make_user("replier")
    video = make_video(sql, owner)
    top = comments.post(str(fan["id"]), str(video["id"]), "Poa sana!")
    comments.post(str(owner["id"]), str(video["id"]), "Asante")  # own video: nobody
    materialise()
    [note] = notes(sql, owner)
    assert note["type"] == "new_comment"
    assert note["message"] == 'fan commented on your video "Nairobi sunset": "Poa sana!"'
    comments.post(str(replier["id"]), str(video["id"]), "Kweli", parent_id=top["id"])
    comments.post(str(owner["id"]), str(video["id"]), "Karibu", parent_id=top["id"])
    materialise()
    [reply] = notes(sql, fan)
    assert reply["data"]["reply"] is True and reply["data"]["parent_id"] == top["id"]
    assert reply["message"] == "owner and replier replied to your comment"
    [owners] = notes(sql, owner)
    assert owners["message"] == 'replier and fan commented on your video "Nairobi sunset"'
    assert unread(sql, owner) == 1 and unread(sql, fan) == 1
    comments.delete(str(fan["id"]), top["id"])  # the comment and its replies: all undone
    materialise()
    assert notes(sql, owner) == [] and notes(sql, fan) == []
    assert unread(sql, owner) == unread(sql, fan) == 0


def test_the_current_backends_writes_notify_too(sql, make_user, database_url):
    import psycopg

    owner, fan = make_user("owner"), make_user("fan")
    video = make_video(sql, owner)
    with psycopg.connect(database_url, autocommit=True) as conn:
        legacy.like(conn, fan["id"], video["id"])
        legacy.comment(conn, fan["id"], video["id"], "Safi")
        legacy.follow(conn, fan["id"], owner["id"])
    materialise()
    assert sorted(n["type"] for n in notes(sql, owner)) == ["new_comment", "new_follower", "new_like"]
    assert unread(sql, owner) == 3


def test_notify_for_other_code_and_its_self_check(sql, make_user):
    from chalicelib import db
    from chalicelib.notifications.outbox import notify

    creator, sender = make_user(), make_user()
    db.in_transaction(lambda conn: notify(conn, creator["id"], "gift_received", "You got a Rose",
                                          "sender sent you a Rose", {"gift": "Rose"}, actor_id=sender["id"]))
    db.in_transaction(lambda conn: notify(conn, creator["id"], "gift_received", "Self", actor_id=creator["id"]))
    materialise()
    [note] = notes(sql, creator)
    assert (note["type"], note["title"], note["data"]) == ("gift_received", "You got a Rose", {"gift": "Rose"})


def test_a_video_becoming_ready_or_failing_notifies_its_owner(sql, make_user):
    from chalicelib.uploads import notifications as webhook
    from tests.support.cloudinary_kit import upload_notification

    owner = make_user()
    ready = make_video(sql, owner, status="pending", title="Ready one",
                       cloudinary_public_id="trendke/videos/ready-one")
    make_video(sql, owner, status="pending", title="Broken", cloudinary_public_id="trendke/videos/broken")
    webhook.apply(upload_notification("trendke/videos/ready-one"))
    webhook.apply(upload_notification("trendke/videos/ready-one"))  # a duplicate delivery
    webhook.apply({"notification_type": "upload", "public_id": "trendke/videos/broken",
                   "error": {"message": "corrupt file"}})
    materialise()
    got = {n["type"]: n for n in notes(sql, owner)}
    assert sorted(got) == ["video_failed", "video_ready"]
    assert got["video_ready"]["data"] == {"video_id": str(ready["id"])}
    assert "corrupt file" in got["video_failed"]["message"]
