"""Migrations on an empty database and on TrendKe's existing one, twice, losing nothing."""
from __future__ import annotations

import psycopg
import pytest

from chalicelib.migrate import migrate, migration_files
from devtools import local_db

# The current backend's schema as deployed, with none of this project's additions.
EXISTING = (migration_files()[0]).read_text()


@pytest.fixture
def scratch_db(database_url):
    admin = local_db.with_database(database_url, "postgres")
    url = local_db.ensure_database(admin, "trendke_migration_test", recreate=True)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS trendke_migration_test WITH (FORCE)")


def _snapshot(conn) -> dict:
    """Every row of the contract's tables, every column, as text."""
    out = {}
    for table in ("users", "videos", "video_likes", "video_comments", "follows"):
        cols = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = %s AND table_schema = 'public' ORDER BY ordinal_position",
                (table,),
            )
        ]
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        out[table] = (cols, rows)
    return out


def test_migrations_only_add_to_the_existing_schema(scratch_db):
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        conn.execute(EXISTING)  # what the live database looks like, no schema_migrations
        conn.execute(
            """
            INSERT INTO users (id, email, username, password_hash, followers_count)
            VALUES ('11111111-1111-1111-1111-111111111111', 'a@x.ke', 'amina', 'bcrypt$1', 1),
                   ('22222222-2222-2222-2222-222222222222', 'b@x.ke', 'brian', 'bcrypt$2', 0);
            INSERT INTO videos (id, user_id, title, video_url, hashtags, likes_count, created_at)
            VALUES ('33333333-3333-3333-3333-333333333333', '11111111-1111-1111-1111-111111111111',
                    'Old video', 'https://res.cloudinary.com/x/video/upload/v1/old.mp4',
                    ARRAY['kenya'], 1, '2025-01-02T03:04:05Z');
            INSERT INTO video_likes (user_id, video_id)
            VALUES ('22222222-2222-2222-2222-222222222222', '33333333-3333-3333-3333-333333333333');
            INSERT INTO video_comments (user_id, video_id, content)
            VALUES ('22222222-2222-2222-2222-222222222222', '33333333-3333-3333-3333-333333333333', 'Poa!');
            INSERT INTO follows (follower_id, following_id)
            VALUES ('22222222-2222-2222-2222-222222222222', '11111111-1111-1111-1111-111111111111');
            """
        )
        before = _snapshot(conn)

        first = migrate(conn)
        second = migrate(conn)
        after = _snapshot(conn)

    assert first == [p.stem for p in migration_files()]
    assert second == []
    for table, (cols, rows) in before.items():
        new_cols, new_rows = after[table]
        assert new_cols[: len(cols)] == cols, f"{table}: a column was changed or dropped"
        assert len(new_rows) == len(rows), f"{table}: rows were lost or added"
        for old, new in zip(rows, new_rows):
            assert tuple(new[: len(cols)]) == tuple(old), f"{table}: a value changed"


def test_existing_videos_become_ready(scratch_db):
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        conn.execute(EXISTING)
        conn.execute(
            "INSERT INTO users (id, email, username, password_hash) VALUES"
            " ('11111111-1111-1111-1111-111111111111', 'a@x.ke', 'amina', 'h');"
            "INSERT INTO videos (user_id, title, video_url) VALUES"
            " ('11111111-1111-1111-1111-111111111111', 't', 'u')"
        )
        migrate(conn)
        assert conn.execute("SELECT status, deleted_at FROM videos").fetchall() == [("ready", None)]


def test_migrations_build_an_empty_database(scratch_db):
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        migrate(conn)
        tables = {
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
    assert {"users", "videos", "video_likes", "video_comments", "follows", "schema_migrations"} <= tables


def _index_files():
    from chalicelib.migrate import NO_TRANSACTION

    return [p for p in migration_files() if p.read_text().startswith(NO_TRANSACTION)]


def test_indexes_on_live_tables_are_built_concurrently_and_valid(scratch_db):
    import re

    assert _index_files(), "no index file"
    names = [n for p in _index_files() for n in re.findall(r"EXISTS (\w+)", p.read_text())]
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        conn.execute(EXISTING)
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
