"""Migrations on the live database (built from tests/legacy_schema, with rows written the way
the current backend writes them) and on an empty one, twice, losing nothing, and leaving the
same tables, columns and types on both."""
from __future__ import annotations

import psycopg
import pytest

from chalicelib.migrate import migrate, migration_files
from devtools import local_db
from tests.support import legacy

AMINA = "11111111-1111-1111-1111-111111111111"
BRIAN = "22222222-2222-2222-2222-222222222222"
CHEBET = "33333333-3333-3333-3333-333333333333"
OLD_VIDEO = "44444444-4444-4444-4444-444444444444"


def _scratch(database_url, name):
    admin = local_db.with_database(database_url, "postgres")
    return admin, local_db.ensure_database(admin, name, recreate=True)


@pytest.fixture
def scratch_db(database_url):
    admin, url = _scratch(database_url, "trendke_migration_test")
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS trendke_migration_test WITH (FORCE)")


@pytest.fixture
def second_db(database_url):
    admin, url = _scratch(database_url, "trendke_migration_test_2")
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS trendke_migration_test_2 WITH (FORCE)")


def fill_like_the_current_backend(conn) -> None:
    """Rows in most live tables, written as the current backend writes them: inserts with the
    database's defaults, then its RPCs (so the counters are double counted)."""
    statements = """
        INSERT INTO users (id, email, username, password_hash, role, coin_balance, total_earnings)
        VALUES (%(a)s, 'amina@x.ke', 'amina', '$2b$12$abcdefghijklmnopqrstuu5Fj2kVzQ7bq1mX3oQ4bLhWm8b9Xy0Ze', 'creator', 40, 12.80),
               (%(b)s, 'brian@x.ke', 'brian', '$2b$12$abcdefghijklmnopqrstuu5Fj2kVzQ7bq1mX3oQ4bLhWm8b9Xy0Zf', 'user', 0, 0),
               (%(c)s, 'chebet@x.ke', 'chebet', '$2b$12$abcdefghijklmnopqrstuu5Fj2kVzQ7bq1mX3oQ4bLhWm8b9Xy0Zg', 'user', 5, 0);
        INSERT INTO videos (id, user_id, title, video_url, hashtags, views_count)
        VALUES (%(v)s, %(a)s, 'Old video', 'https://res.cloudinary.com/x/video/upload/v1/old.mp4',
                ARRAY['kenya'], 7);
        INSERT INTO email_verifications (user_id, token, expires_at)
        VALUES (%(b)s, 'verify-token', now() + interval '1 day');
        INSERT INTO notifications (user_id, type, title, message, data)
        VALUES (%(a)s, 'new_like', 'New like', 'brian liked your video', '{"video_id": "x"}');
        INSERT INTO live_sessions (host_id, title, session_type, status)
        VALUES (%(a)s, 'Live from Nairobi', 'voice', 'active');
        INSERT INTO gift_transactions (sender_id, recipient_id, gift_type_id, video_id, coin_amount,
                                       creator_earnings, platform_fee)
        SELECT %(c)s, %(a)s, id, %(v)s, 10, 8.00, 2.00 FROM gift_types WHERE name = 'Rose';
        INSERT INTO payment_transactions (user_id, package_id, amount_usd, coins_purchased, payment_provider)
        SELECT %(c)s, id, 0.99, 100, 'pesapal' FROM coin_packages WHERE name = 'Starter Pack'
        """
    for statement in statements.split(";\n"):
        conn.execute(statement, {"a": AMINA, "b": BRIAN, "c": CHEBET, "v": OLD_VIDEO})
    legacy.like(conn, BRIAN, OLD_VIDEO)
    legacy.like(conn, CHEBET, OLD_VIDEO)
    legacy.comment(conn, BRIAN, OLD_VIDEO, "Poa!")
    legacy.follow(conn, BRIAN, AMINA)
    legacy.view(conn, OLD_VIDEO)


def _tables(conn) -> list:
    return [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]


def _snapshot(conn) -> dict:
    """Every row of every table, every column, in column order."""
    out = {}
    for table in _tables(conn):
        cols = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND table_schema = 'public' ORDER BY ordinal_position", (table,))]
        out[table] = (cols, conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall())
    return out


def _columns(conn) -> dict:
    """(table, column) -> type, length, precision, nullability, for every table and view."""
    rows = conn.execute(
        "SELECT table_name, column_name, data_type, character_maximum_length,"
        " numeric_precision, numeric_scale, is_nullable FROM information_schema.columns"
        " WHERE table_schema = 'public'").fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def test_migrations_only_add_to_the_live_schema(scratch_db):
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        legacy.build_live_schema(conn)
        fill_like_the_current_backend(conn)
        before, types_before = _snapshot(conn), _columns(conn)
        assert before["video_likes"][1] and before["video_comments"][1]

        first = migrate(conn)
        second = migrate(conn)
        after, types_after = _snapshot(conn), _columns(conn)

    assert first == [p.stem for p in migration_files()]
    assert second == []
    for key, kind in types_before.items():
        assert types_after[key] == kind, f"{key}: its type changed"
    for table, (cols, rows) in before.items():
        new_cols, new_rows = after[table]
        assert new_cols[: len(cols)] == cols, f"{table}: a column was changed or dropped"
        assert len(new_rows) == len(rows), f"{table}: rows were lost or added"
        for old, new in zip(rows, new_rows):
            assert tuple(new[: len(cols)]) == tuple(old), f"{table}: a value changed"


def test_an_empty_database_gets_the_live_tables_columns_and_types(scratch_db, second_db):
    with psycopg.connect(scratch_db, autocommit=True) as live, \
            psycopg.connect(second_db, autocommit=True) as empty:
        legacy.build_live_schema(live)
        migrate(live)
        migrate(empty)
        assert _columns(empty) == _columns(live)
        triggers = ("SELECT event_object_table, trigger_name, event_manipulation, action_timing"
                    " FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2, 3")
        assert live.execute(triggers).fetchall() == empty.execute(triggers).fetchall()
        checks = ("SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint"
                  " WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2")
        assert live.execute(checks).fetchall() == empty.execute(checks).fetchall()
        # The catalogues the current backend seeded, once.
        for conn in (live, empty):
            assert conn.execute("SELECT count(*) FROM gift_types").fetchone()[0] == 7
            assert conn.execute("SELECT count(*) FROM coin_packages").fetchone()[0] == 5


def test_the_live_rpcs_keep_working_and_count_once(scratch_db):
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        legacy.build_live_schema(conn)
        migrate(conn)
        conn.execute("INSERT INTO users (id, email, username, password_hash) VALUES"
                     " (%s, 'a@x.ke', 'amina', 'h'), (%s, 'b@x.ke', 'brian', 'h')", (AMINA, BRIAN))
        conn.execute("INSERT INTO videos (id, user_id, title, video_url) VALUES (%s, %s, 't', 'u')",
                     (OLD_VIDEO, AMINA))
        legacy.like(conn, BRIAN, OLD_VIDEO)
        legacy.comment(conn, BRIAN, OLD_VIDEO, "Poa")
        legacy.follow(conn, BRIAN, AMINA)
        legacy.view(conn, OLD_VIDEO)
        conn.execute("SELECT increment_shares(%s)", (OLD_VIDEO,))
        pending = conn.execute(
            "SELECT sum(likes), sum(comments), sum(views), sum(shares) FROM video_count_deltas").fetchone()
        assert pending == (1, 1, 1, 1)
        assert conn.execute("SELECT sum(followers), sum(following) FROM user_count_deltas").fetchone() == (1, 1)
        # No hot-row update: the counters themselves wait for the fold.
        assert conn.execute("SELECT likes_count, views_count FROM videos").fetchone() == (0, 0)


def test_existing_videos_become_ready(scratch_db):
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        legacy.build_live_schema(conn)
        conn.execute("INSERT INTO users (id, email, username, password_hash)"
                     " VALUES (%s, 'a@x.ke', 'amina', 'h')", (AMINA,))
        conn.execute("INSERT INTO videos (user_id, title, video_url) VALUES (%s, 't', 'u')", (AMINA,))
        migrate(conn)
        assert conn.execute("SELECT status, deleted_at FROM videos").fetchall() == [("ready", None)]


def test_naive_defaults_write_utc_under_any_timezone(scratch_db):
    with psycopg.connect(scratch_db, autocommit=True, options="-c TimeZone=Asia/Kathmandu") as conn:
        migrate(conn)
        conn.execute("INSERT INTO users (id, email, username, password_hash) VALUES (%s, 'a@x.ke', 'a', 'h')",
                     (AMINA,))
        stored, utc_now = conn.execute(
            "SELECT created_at, now() AT TIME ZONE 'UTC' FROM users").fetchone()
    assert abs((utc_now - stored).total_seconds()) < 5  # not 5 h 45 min ahead


def _index_files():
    from chalicelib.migrate import NO_TRANSACTION

    return [p for p in migration_files() if p.read_text().startswith(NO_TRANSACTION)]


def test_indexes_on_live_tables_are_built_concurrently_and_valid(scratch_db):
    import re

    assert _index_files(), "no index file"
    names = [n for p in _index_files() for n in re.findall(r"EXISTS (\w+)", p.read_text())]
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        legacy.build_live_schema(conn)
        migrate(conn)
        rows = conn.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE c.relname = ANY(%s)", (names,)).fetchall()
    assert sorted(rows) == sorted((n, True) for n in names)


def test_an_interrupted_concurrent_build_is_dropped_and_rebuilt(scratch_db):
    # An interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index that IF NOT EXISTS
    # would keep for ever; mark one so, forget that its file ran, and migrate again.
    version = _index_files()[0].stem
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        migrate(conn)
        conn.execute(
            "UPDATE pg_index SET indisvalid = false"
            " WHERE indexrelid = 'videos_feed_keyset_idx'::regclass")
        conn.execute("DELETE FROM schema_migrations WHERE version = %s", (version,))
        assert migrate(conn) == [version]
        valid = conn.execute(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'videos_feed_keyset_idx'::regclass"
        ).fetchone()[0]
    assert valid is True


def test_the_vendored_legacy_schema_is_shared_legacy():
    """tests/legacy_schema is a copy of shared/legacy (where a checkout has it beside it)."""
    from pathlib import Path

    shared = Path(__file__).resolve().parents[2] / "shared" / "legacy"
    if not shared.is_dir():
        pytest.skip("no shared/legacy beside this checkout")
    for name in legacy.FILES:
        assert (legacy.LEGACY_DIR / name).read_bytes() == (shared / name).read_bytes(), name


def test_the_api_tables_refuse_a_role_that_does_not_own_them(sql):
    """What Supabase's anon role (granted on every new public table) could do through its REST
    API: nothing, on the tables this API added."""

    sql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'trendke_anon_test')"
        " THEN CREATE ROLE trendke_anon_test NOLOGIN; END IF; END $$")
    sql("GRANT ALL ON video_count_deltas, rate_limits, video_views TO trendke_anon_test")
    sql("INSERT INTO rate_limits (user_id, action, window_start, hits)"
        " VALUES (gen_random_uuid(), 'like', now(), 1)")
    sql("SET ROLE trendke_anon_test")
    try:
        assert sql("SELECT * FROM rate_limits") == []  # the row exists; this role sees none
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql("INSERT INTO video_count_deltas (video_id, likes) VALUES (gen_random_uuid(), 1000)")
    finally:
        sql("RESET ROLE")
    assert len(sql("SELECT * FROM rate_limits")) == 1


def test_every_table_this_api_adds_has_row_level_security(sql):
    import re

    created_by_legacy = set()
    for name in legacy.FILES:
        created_by_legacy |= set(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)",
                                            (legacy.LEGACY_DIR / name).read_text()))
    rows = sql("SELECT relname, relrowsecurity FROM pg_class"
               " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'")
    ours = {r["relname"]: r["relrowsecurity"] for r in rows if r["relname"] not in created_by_legacy}
    assert "video_count_deltas" in ours and "users" not in ours
    assert [name for name, on in ours.items() if not on] == []
