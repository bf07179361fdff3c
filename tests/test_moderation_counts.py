"""comments_count counts what the comment list shows: a takedown takes a comment out once, a
restore puts it back once, a suspension takes its author's comments out (a restore back),
however often or concurrently the actions run and whichever backend writes the comments."""
from __future__ import annotations

import threading

from tests.support import legacy
from tests.support.engagement import fold, run_concurrently
from tests.support.feed_rows import insert_comment, insert_video
from tests.test_moderation import _post


def _count(sql, video_id) -> int:
    fold()
    return sql("SELECT comments_count FROM videos WHERE id = %s", (video_id,))[0]["comments_count"]


def _no_drift() -> bool:
    from chalicelib.engagement import reconcile

    return reconcile.reconcile_all("video").drifted == 0


def _act(client, admin, kind, target, action):
    return _post(client, f"/v1/admin/{kind}/{target}/{action}", admin, {"reason": "r"})[1]


def test_a_takedown_and_a_restore_move_the_count_once_each(client, sql, make_user):
    owner, fan, admin = make_user(), make_user(), make_user(role="admin")
    video = insert_video(sql, owner["id"])
    comments = [insert_comment(sql, video["id"], fan["id"], f"c{i}", minutes=i) for i in range(3)]
    assert _count(sql, video["id"]) == 3
    cid = comments[0]["id"]
    assert _act(client, admin, "comments", cid, "takedown")["changed"] is True
    assert _act(client, admin, "comments", cid, "takedown")["changed"] is False  # a repeat
    assert _count(sql, video["id"]) == 2
    assert _act(client, admin, "comments", cid, "restore")["changed"] is True
    assert _act(client, admin, "comments", cid, "restore")["changed"] is False
    assert _count(sql, video["id"]) == 3
    # Taken down, then deleted by its author: it left the count once, at the takedown.
    _act(client, admin, "comments", cid, "takedown")
    sql("UPDATE video_comments SET deleted_at = now() WHERE id = %s", (cid,))
    assert _count(sql, video["id"]) == 2
    _act(client, admin, "comments", cid, "restore")  # visible only if not deleted: still 2
    assert _count(sql, video["id"]) == 2 and _no_drift()


def test_concurrent_takedowns_and_restores_count_once(client, sql, make_user):
    """Eight moderators hammering the same comment: the count ends where the mark ends."""
    from chalicelib.moderation import actions

    owner, fan = make_user(), make_user()
    admins = [str(make_user(role="admin")["id"]) for _ in range(8)]
    video = insert_video(sql, owner["id"])
    cid = str(insert_comment(sql, video["id"], fan["id"], "contested")["id"])
    insert_comment(sql, video["id"], fan["id"], "other", minutes=1)

    def loop(admin):
        for i in range(6):
            actions.act(admin, "takedown_comment" if i % 2 == 0 else "restore_comment", cid, "r")
        actions.act(admin, "takedown_comment", cid, "r")

    assert run_concurrently([lambda a=a: loop(a) for a in admins]) == []
    assert _count(sql, video["id"]) == 1
    changes = sql("SELECT count(*) AS n FROM moderation_actions")[0]["n"]
    assert changes % 2 == 1  # every audited change alternated; the last one hid it
    assert _no_drift()


def test_the_current_backends_comments_count_once(client, sql, make_user, database_url):
    """Its insert + increment_comments RPC and its hard delete, around our takedowns."""
    import psycopg

    owner, fan, admin = make_user(), make_user(), make_user(role="admin")
    video = insert_video(sql, owner["id"])
    with psycopg.connect(database_url, autocommit=True) as old:
        first = legacy.comment(old, fan["id"], video["id"], "Poa")
        second = legacy.comment(old, fan["id"], video["id"], "Sana")
        assert _count(sql, video["id"]) == 2
        _act(client, admin, "comments", first, "takedown")
        assert _count(sql, video["id"]) == 1
        legacy.delete_comment(old, first)  # already out of the count: no second -1
        legacy.delete_comment(old, second)
    assert _count(sql, video["id"]) == 0 and _no_drift()


def test_a_suspension_takes_the_authors_comments_out_and_a_restore_back(client, sql, make_user,
                                                                       database_url):
    import psycopg

    owner, fan, other, admin = make_user(), make_user(), make_user(), make_user(role="admin")
    videos = [insert_video(sql, owner["id"], minutes=i) for i in range(2)]
    for i, v in enumerate(videos):
        insert_comment(sql, v["id"], fan["id"], "fan", minutes=i)
        insert_comment(sql, v["id"], other["id"], "other", minutes=i)
    taken = insert_comment(sql, videos[0]["id"], fan["id"], "taken", minutes=3)
    _act(client, admin, "comments", taken["id"], "takedown")
    assert [_count(sql, v["id"]) for v in videos] == [2, 2]
    assert _act(client, admin, "users", fan["id"], "suspend")["changed"] is True
    assert _act(client, admin, "users", fan["id"], "suspend")["changed"] is False
    assert [_count(sql, v["id"]) for v in videos] == [1, 1]
    # While suspended, what the current backend writes for them (it knows no suspension)
    # and what moderators do to their comments move nothing: none of it is shown.
    with psycopg.connect(database_url, autocommit=True) as old:
        late = legacy.comment(old, fan["id"], videos[1]["id"], "late")
    _act(client, admin, "comments", late, "takedown")
    _act(client, admin, "comments", taken["id"], "restore")
    assert [_count(sql, v["id"]) for v in videos] == [1, 1] and _no_drift()
    assert _act(client, admin, "users", fan["id"], "restore")["changed"] is True
    # Back: the two first comments and the restored one; `late` is taken down.
    assert [_count(sql, v["id"]) for v in videos] == [3, 2] and _no_drift()


def test_a_comment_racing_a_suspension_is_counted_by_exactly_one_of_them(sql, make_user, database_url):
    """A comment insert still open when the suspension runs: the suspension's recount waits
    for it (the author's advisory lock), then takes it out with the others."""
    import psycopg

    from chalicelib.moderation import actions

    owner, fan, admin = make_user(), make_user(), make_user(role="admin")
    video = insert_video(sql, owner["id"])
    insert_comment(sql, video["id"], fan["id"], "before")
    done = threading.Event()

    def suspend():
        from chalicelib import db

        try:
            actions.act(str(admin["id"]), "suspend_user", str(fan["id"]), "r")
            done.set()
        finally:
            db.close()

    with psycopg.connect(database_url) as writer:  # one open transaction
        legacy.comment(writer, fan["id"], video["id"], "in flight")
        suspender = threading.Thread(target=suspend)
        suspender.start()
        assert not done.wait(0.5)  # blocked behind the open comment
        writer.commit()
    suspender.join(10)
    assert done.is_set()
    assert _count(sql, video["id"]) == 0 and _no_drift()
