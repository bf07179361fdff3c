"""The live database as the current backend's repository built it (tests/legacy_schema, a copy
of shared/legacy), and writes made the way the current backend makes them.

The current backend inserts an event row (the live trigger fires), then calls its RPC, which
bumped the same counter again before migration 0008 made those RPCs no-ops.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

LEGACY_DIR = Path(__file__).resolve().parent.parent / "legacy_schema"
# The order legacy_schema/README.md gives.
FILES = (
    "SUPABASE_SCHEMA.sql",
    "EXTENDED_SCHEMA.sql",
    "LIVE_MULTI_GUEST_SCHEMA.sql",
    "003_social_features.sql",
    "MISSING_FUNCTIONS_FIX.sql",
)
# Supabase's auth.uid(), which file 3's policies call, on plain Postgres (the README's shim).
AUTH_SHIM = """
CREATE SCHEMA IF NOT EXISTS auth;
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS 'SELECT NULL::uuid';
"""


def build_live_schema(conn: Any) -> None:
    """Apply the five files in order on an empty database, as its operators did."""
    conn.execute(AUTH_SHIM)
    for name in FILES:
        conn.execute((LEGACY_DIR / name).read_text())


# ---- the current backend's writes ----------------------------------------------------------

def like(conn: Any, user_id, video_id) -> None:
    conn.execute("INSERT INTO video_likes (video_id, user_id) VALUES (%s, %s)", (video_id, user_id))
    conn.execute("SELECT increment_likes(%s)", (video_id,))


def unlike(conn: Any, user_id, video_id) -> None:
    conn.execute("DELETE FROM video_likes WHERE video_id = %s AND user_id = %s", (video_id, user_id))
    conn.execute("SELECT decrement_likes(%s)", (video_id,))


def comment(conn: Any, user_id, video_id, text: str) -> Any:
    row = conn.execute(
        "INSERT INTO video_comments (video_id, user_id, comment) VALUES (%s, %s, %s) RETURNING id",
        (video_id, user_id, text),
    ).fetchone()
    conn.execute("SELECT increment_comments(%s)", (video_id,))
    return row[0] if isinstance(row, tuple) else row["id"]


def delete_comment(conn: Any, comment_id) -> None:
    conn.execute("DELETE FROM video_comments WHERE id = %s", (comment_id,))


def follow(conn: Any, follower_id, following_id) -> None:
    conn.execute("INSERT INTO follows (follower_id, following_id) VALUES (%s, %s)",
                 (follower_id, following_id))
    conn.execute("SELECT increment_followers(%s)", (following_id,))
    conn.execute("SELECT increment_following(%s)", (follower_id,))


def unfollow(conn: Any, follower_id, following_id) -> None:
    conn.execute("DELETE FROM follows WHERE follower_id = %s AND following_id = %s",
                 (follower_id, following_id))
    conn.execute("SELECT decrement_followers(%s)", (following_id,))
    conn.execute("SELECT decrement_following(%s)", (follower_id,))


def view(conn: Any, video_id) -> None:
    """GET /videos/{id} on the current backend."""
    conn.execute("SELECT increment_views(%s)", (video_id,))
