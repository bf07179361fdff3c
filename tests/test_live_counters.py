"""Both backends on one database: the live schema filled the way the current backend writes
(double counts included), migrated twice, reconciled, then written by both at once, and every
counter exact without reconciling in between."""
from __future__ import annotations

import json

import psycopg
import pytest

from chalicelib.migrate import migrate
from devtools import local_db
from tests.conftest import auth_headers
from tests.support import legacy
from tests.support.engagement import fold

AMINA = "11111111-1111-1111-1111-111111111111"  # creator
FANS = [f"2222222{i}-2222-2222-2222-222222222222" for i in range(6)]
VIDEO = "44444444-4444-4444-4444-444444444444"


@pytest.fixture
def live_db(database_url, settings_env):
    """A scratch database built from the legacy DDL, with the API pointed at it."""
    from chalicelib import db

    admin = local_db.with_database(database_url, "postgres")
    url = local_db.ensure_database(admin, "trendke_live_story", recreate=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ALTER DATABASE trendke_live_story SET timezone TO 'Africa/Nairobi'")
        legacy.build_live_schema(conn)
    db.close()
    settings_env(DATABASE_URL=url)
    yield url
    db.close()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS trendke_live_story WITH (FORCE)")


def _counts(conn) -> dict:
    """Each counter beside what its event rows say."""
    row = conn.execute(
        """
        SELECT v.likes_count, (SELECT count(*) FROM video_likes WHERE video_id = v.id),
               v.comments_count, (SELECT count(*) FROM video_comments c  -- deleted_at: 0003's
                                  WHERE c.video_id = v.id AND to_jsonb(c) ->> 'deleted_at' IS NULL),
               u.followers_count, (SELECT count(*) FROM follows WHERE following_id = u.id)
        FROM videos v JOIN users u ON u.id = v.user_id WHERE v.id = %s
        """, (VIDEO,)).fetchone()
    return {"likes": row[0:2], "comments": row[2:4], "followers": row[4:6]}


def test_both_backends_on_the_live_database(live_db, client):
    from chalicelib.engagement import reconcile

    with psycopg.connect(live_db, autocommit=True, options="-c TimeZone=UTC") as old:
        old.execute("INSERT INTO users (id, email, username, password_hash) VALUES (%s, 'a@x.ke', 'amina', 'h')",
                    (AMINA,))
        for i, fan in enumerate(FANS):
            old.execute("INSERT INTO users (id, email, username, password_hash)"
                        " VALUES (%s, %s, %s, 'h')", (fan, f"f{i}@x.ke", f"fan{i}"))
        old.execute("INSERT INTO videos (id, user_id, title, video_url, hashtags)"
                    " VALUES (%s, %s, 'Old video', 'https://x/old.mp4', ARRAY['kenya'])", (VIDEO, AMINA))
        # Before the migration: the trigger and the RPC both count (2 per like, comment, follow).
        for fan in FANS[:3]:
            legacy.like(old, fan, VIDEO)
        old_comment = legacy.comment(old, FANS[0], VIDEO, "Poa sana!")
        legacy.follow(old, FANS[0], AMINA)
        assert _counts(old) == {"likes": (6, 3), "comments": (2, 1), "followers": (2, 1)}

        assert migrate(old) and migrate(old) == []
        assert _counts(old) == {"likes": (6, 3), "comments": (2, 1), "followers": (2, 1)}

        videos = reconcile.reconcile_all("video")
        users = reconcile.reconcile_all("user")
        assert videos.counters["likes"] == {"rows": 1, "abs": 3, "net": -3}
        assert videos.counters["comments"] == {"rows": 1, "abs": 1, "net": -1}
        assert users.counters["followers"]["net"] == -1 and users.counters["following"]["net"] == -1
        assert _counts(old) == {"likes": (3, 3), "comments": (1, 1), "followers": (1, 1)}

        # Both backends at once. An old like removed through the API: no -1, no double count.
        gone = client.http.delete(f"/v1/videos/{VIDEO}/like", headers=auth_headers(FANS[0]))
        assert gone.status_code == 200 and json.loads(gone.body)["likes_count"] == 2
        added = client.http.put(f"/v1/videos/{VIDEO}/like", headers=auth_headers(FANS[3]))
        assert json.loads(added.body)["likes_count"] == 3
        legacy.like(old, FANS[4], VIDEO)
        legacy.unlike(old, FANS[1], VIDEO)
        toggled = client.http.post(f"/videos/{VIDEO}/like", headers=auth_headers(FANS[5]))
        assert json.loads(toggled.body)["liked"] is True

        posted = client.http.post(f"/videos/{VIDEO}/comment", headers=auth_headers(FANS[1]),
                                  body=json.dumps({"content": "Kweli kabisa"}))
        assert posted.status_code == 200, posted.body
        legacy.comment(old, FANS[2], VIDEO, "Hii ni moto")
        legacy.delete_comment(old, old_comment)
        client.http.put(f"/v1/users/{AMINA}/follow", headers=auth_headers(FANS[1]))
        legacy.follow(old, FANS[2], AMINA)
        legacy.unfollow(old, FANS[0], AMINA)
        legacy.view(old, VIDEO)

        # The API's comment is a row the current backend reads; its old one reads back here.
        texts = [r[0] for r in old.execute("SELECT comment FROM video_comments ORDER BY created_at")]
        assert texts == ["Kweli kabisa", "Hii ni moto"]
        listed = json.loads(client.http.get(f"/videos/{VIDEO}/comments").body)
        assert sorted(c["content"] for c in listed) == ["Hii ni moto", "Kweli kabisa"]

        fold()
        counts = _counts(old)
        assert counts == {"likes": (4, 4), "comments": (2, 2), "followers": (2, 2)}, counts
        assert old.execute("SELECT views_count FROM videos").fetchone()[0] == 1
        # Nothing left to repair: reconcile is idempotent and found the counts exact.
        assert reconcile.reconcile_all("video").drifted == 0
        assert reconcile.reconcile_all("user").drifted == 0


def test_a_bad_stored_counter_never_wedges_the_fold_nor_shows_negative(client, sql, make_user):
    from tests.support.engagement import make_video

    owner, fan, other_fan = make_user(), make_user(), make_user()
    broken = make_video(sql, owner)
    healthy = make_video(sql, owner)
    sql("INSERT INTO video_likes (user_id, video_id) VALUES (%s, %s)", (fan["id"], broken["id"]))
    fold()
    # A live counter that was already wrong (zero with a like row behind it).
    sql("UPDATE videos SET likes_count = 0 WHERE id = %s", (broken["id"],))
    gone = client.http.delete(f"/v1/videos/{broken['id']}/like", headers=auth_headers(fan["id"]))
    assert json.loads(gone.body)["likes_count"] == 0  # not -1
    client.http.put(f"/v1/videos/{healthy['id']}/like", headers=auth_headers(other_fan["id"]))
    folded = fold()
    assert folded["video_deltas"] == 2  # the whole batch, not stopped by the CHECK
    rows = {str(r["id"]): r["likes_count"] for r in sql("SELECT id, likes_count FROM videos")}
    assert rows == {str(broken["id"]): 0, str(healthy["id"]): 1}
    queued = {str(r["row_id"]) for r in sql("SELECT row_id FROM counter_reconcile_queue")}
    assert {str(broken["id"]), str(healthy["id"])} <= queued


def test_the_scheduled_reconcile_repairs_recent_and_swept_drift(client, sql, make_user):
    from tests.support.engagement import make_video
    from tests.support.lambda_events import scheduled_event

    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    client.http.put(f"/v1/videos/{video['id']}/like", headers=auth_headers(fan["id"]))
    fold()  # queues the video
    # A writer that bypasses the triggers: one row the fold changed, one it never saw.
    sql("UPDATE videos SET likes_count = 9 WHERE id = %s", (video["id"],))
    sql("UPDATE users SET followers_count = 5 WHERE id = %s", (owner["id"],))
    result = client.lambda_.invoke("reconcile_counters", scheduled_event())
    found = {d["kind"]: d for d in result.payload["reconciled"]}
    assert found["video"]["counters"]["likes"] == {"rows": 1, "abs": 8, "net": -8}
    assert found["user"]["counters"]["followers"] == {"rows": 1, "abs": 5, "net": -5}
    assert sql("SELECT likes_count FROM videos")[0]["likes_count"] == 1
    assert sql("SELECT followers_count FROM users WHERE id = %s", (owner["id"],))[0]["followers_count"] == 0
    assert sql("SELECT count(*) AS n FROM counter_reconcile_queue")[0]["n"] == 0
    again = client.lambda_.invoke("reconcile_counters", scheduled_event())
    assert all(d["drifted"] == 0 for d in again.payload["reconciled"])


def test_reconcile_while_writes_and_folds_run_stays_exact(sql, make_user):
    from chalicelib.engagement import counters, likes, reconcile
    from tests.support.engagement import make_video, run_concurrently

    owner = make_user()
    video = make_video(sql, owner)
    fans = [str(make_user()["id"]) for _ in range(24)]

    def liker(chunk):
        for fan in chunk:
            likes.set_like(fan, str(video["id"]), True)
            likes.set_like(fan, str(video["id"]), fan[-1] not in "0123")

    errors = run_concurrently(
        [lambda c=fans[i::3]: liker(c) for i in range(3)],
        background=[lambda: reconcile.reconcile_all("video", batch=1), lambda: counters.fold(batch=3)])
    assert errors == []
    counters.fold()
    rows = sql("SELECT count(*) AS n FROM video_likes")[0]["n"]
    assert rows == sum(1 for fan in fans if fan[-1] not in "0123")
    assert sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]["likes_count"] == rows


def test_reconcile_counters_command_prints_the_drift(sql, make_user, database_url):
    from click.testing import CliRunner

    import manage
    from tests.support.engagement import make_video

    owner, fan = make_user(), make_user()
    video = make_video(sql, owner, likes_count=7)
    sql("INSERT INTO video_likes (user_id, video_id) VALUES (%s, %s)", (fan["id"], video["id"]))
    out = CliRunner().invoke(manage.cli, ["reconcile-counters"], env={"DATABASE_URL": database_url})
    assert out.exit_code == 0, out.output
    # 7 stored, 1 like row with its delta still pending: the column should hold 0.
    assert "likes_count: 1 rows off by 7 in all (net -7" in out.output
    assert "videos: 1 rows checked, 1 drifted" in out.output
    assert "users: 2 rows checked, 0 drifted" in out.output
    fold()
    assert sql("SELECT likes_count FROM videos")[0]["likes_count"] == 1
