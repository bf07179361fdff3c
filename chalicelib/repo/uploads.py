"""SQL of the upload lifecycle on the videos table: pending rows, the limits, the transitions
Cloudinary's notifications cause, and the asset destroys owed to Cloudinary.

Every transition is one UPDATE whose WHERE clause says from which states it may happen, so a
duplicate or late notification finds nothing to change (idempotent by construction).
"""
from __future__ import annotations

from typing import Any, List, Optional

from .. import db
from ..timestamps import NOW_UTC

_LOCK_NAMESPACE = "trendke.uploads:"


def lock_user(conn: Any, user_id: str) -> None:
    """Serialise one user's upload starts (transaction-scoped: fine behind a pooler), so two
    concurrent requests cannot both pass the limits."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (_LOCK_NAMESPACE + user_id,))


def by_idempotency_key(conn: Any, user_id: str, key: str) -> Optional[dict]:
    return conn.execute(
        "SELECT id, title, description, coalesce(hashtags, '{}') AS hashtags, status, deleted_at,"
        " cloudinary_public_id FROM videos WHERE user_id = %s AND upload_idempotency_key = %s",
        (user_id, key),
    ).fetchone()


def recent_counts(conn: Any, user_id: str, pending_timeout_s: int) -> dict:
    """The user's live pendings and the videos started in the last 24 h, with the oldest of
    each (for Retry-After). A pending older than the timeout no longer counts: the sweep is
    about to fail it and its signature expired long ago."""
    return conn.execute(
        f"""
        SELECT
            count(*) FILTER (WHERE status = 'pending' AND deleted_at IS NULL
                             AND created_at > {NOW_UTC} - make_interval(secs => %(timeout)s)) AS pending,
            min(created_at) FILTER (WHERE status = 'pending' AND deleted_at IS NULL
                             AND created_at > {NOW_UTC} - make_interval(secs => %(timeout)s)) AS oldest_pending,
            count(*) FILTER (WHERE created_at > {NOW_UTC} - interval '1 day') AS today,
            min(created_at) FILTER (WHERE created_at > {NOW_UTC} - interval '1 day') AS oldest_today,
            {NOW_UTC} AS now
        FROM videos
        WHERE user_id = %(user_id)s
          AND created_at > {NOW_UTC} - greatest(interval '1 day', make_interval(secs => %(timeout)s))
        """,
        {"user_id": user_id, "timeout": pending_timeout_s},
    ).fetchone()


def insert_pending(conn: Any, row: dict) -> None:
    conn.execute(
        """
        INSERT INTO videos (id, user_id, title, description, hashtags, video_url, thumbnail_url,
                            status, cloudinary_public_id, upload_idempotency_key)
        VALUES (%(id)s, %(user_id)s, %(title)s, %(description)s, %(hashtags)s, %(video_url)s,
                %(thumbnail_url)s, 'pending', %(public_id)s, %(idempotency_key)s)
        """,
        row,
    )


def state_of(public_id: str) -> Optional[dict]:
    return db.fetch_one(
        "SELECT id, status, deleted_at FROM videos WHERE cloudinary_public_id = %s", (public_id,)
    )


# The asset exists now: if the video is already failed or deleted, it must go (again).
_OWE_DESTROY_IF_GONE = """
    destroy_requested_at = CASE WHEN status = 'failed' OR deleted_at IS NOT NULL
                                THEN coalesce(destroy_requested_at, now()) ELSE destroy_requested_at END,
    asset_destroyed_at = CASE WHEN status = 'failed' OR deleted_at IS NOT NULL
                              THEN NULL ELSE asset_destroyed_at END,
    destroy_next_at = CASE WHEN status = 'failed' OR deleted_at IS NOT NULL
                           THEN now() ELSE destroy_next_at END
"""


def _one(conn: Any, sql: str, params: dict) -> Optional[dict]:
    if conn is None:
        return db.fetch_one(sql, params)
    return conn.execute(sql, params).fetchone()


def record_upload(public_id: str, meta: dict, conn: Any = None, awaits_moderation: bool = False) -> Optional[dict]:
    """The upload notification: pending -> ready with the asset's metadata. Only the first
    one counts; a failed video stays failed (failure wins whatever the order); a video whose
    moderation is pending stays pending until approved (record_approval), unless the approval
    came first. Answers the row (with `became_ready`) when this call changed it."""
    return _one(
        conn,
        f"""
        UPDATE videos SET
            upload_received_at = now(),
            duration_seconds = %(duration)s, width = %(width)s, height = %(height)s,
            bytes = %(bytes)s, format = %(format)s,
            status = CASE WHEN status = 'pending' AND NOT (%(awaits)s AND moderation_approved_at IS NULL)
                          THEN 'ready' ELSE status END,
            {_OWE_DESTROY_IF_GONE},
            updated_at = now()
        WHERE cloudinary_public_id = %(public_id)s AND upload_received_at IS NULL
        RETURNING id, status, user_id, title, deleted_at IS NULL AND status = 'ready' AS became_ready
        """,
        {**meta, "public_id": public_id, "awaits": awaits_moderation},
    )


def record_approval(public_id: str, conn: Any) -> Optional[dict]:
    """Moderation approved: recorded once; a pending video whose upload has arrived becomes
    ready (`became_ready`); a failed one stays failed."""
    return conn.execute(
        """
        WITH old AS (
            SELECT id, status FROM videos
            WHERE cloudinary_public_id = %(public_id)s AND moderation_approved_at IS NULL FOR UPDATE
        )
        UPDATE videos v SET
            moderation_approved_at = now(),
            status = CASE WHEN v.status = 'pending' AND v.upload_received_at IS NOT NULL
                          THEN 'ready' ELSE v.status END,
            updated_at = now()
        FROM old WHERE v.id = old.id
        RETURNING v.id, v.status, v.user_id, v.title,
                  old.status = 'pending' AND v.status = 'ready' AND v.deleted_at IS NULL AS became_ready
        """,
        {"public_id": public_id},
    ).fetchone()


def record_eager_ready(public_id: str) -> Optional[dict]:
    """The eager notification (HLS and poster made): a fact, whatever the status."""
    return db.fetch_one(
        "UPDATE videos SET eager_ready_at = now(), updated_at = now()"
        " WHERE cloudinary_public_id = %s AND eager_ready_at IS NULL RETURNING id, status",
        (public_id,),
    )


_FAIL = """
    status = 'failed', failure_reason = %(reason)s,
    destroy_requested_at = coalesce(destroy_requested_at, now()),
    destroy_next_at = coalesce(destroy_next_at, now()),
    updated_at = now()
"""


def record_failure(public_id: str, reason: str, conn: Any = None) -> Optional[dict]:
    """Any failure -> failed, from pending or ready; the first reason is kept. The asset (if
    any) is owed a destroy."""
    return _one(
        conn,
        f"UPDATE videos SET {_FAIL} WHERE cloudinary_public_id = %(public_id)s"
        " AND status <> 'failed' RETURNING id, status, user_id, title, deleted_at",
        {"public_id": public_id, "reason": reason[:1000]},
    )


def expire_pendings(timeout_s: int, reason: str, limit: int) -> List[str]:
    """Pendings older than the timeout -> failed (oldest first, at most `limit`)."""
    rows = db.fetch_all(
        f"""
        UPDATE videos SET {_FAIL}
        WHERE id IN (SELECT id FROM videos
                     WHERE status = 'pending' AND created_at < {NOW_UTC} - make_interval(secs => %(timeout)s)
                     ORDER BY created_at LIMIT %(limit)s FOR UPDATE SKIP LOCKED)
          AND status = 'pending'
        RETURNING id
        """,
        {"timeout": timeout_s, "reason": reason, "limit": limit},
    )
    return [str(r["id"]) for r in rows]


def lock_for_delete(conn: Any, video_id: str) -> Optional[dict]:
    return conn.execute(
        "SELECT id, user_id, deleted_at, cloudinary_public_id, asset_destroyed_at"
        " FROM videos WHERE id = %s FOR UPDATE",
        (video_id,),
    ).fetchone()


def mark_deleted(conn: Any, video_id: str) -> None:
    """Hidden everywhere at once; the asset, if any, is owed a destroy."""
    conn.execute(
        """
        UPDATE videos SET deleted_at = now(),
            destroy_requested_at = CASE WHEN cloudinary_public_id IS NOT NULL
                                        THEN coalesce(destroy_requested_at, now()) END,
            destroy_next_at = CASE WHEN cloudinary_public_id IS NOT NULL THEN now() END,
            updated_at = now()
        WHERE id = %s AND deleted_at IS NULL
        """,
        (video_id,),
    )


def due_destroys(limit: int) -> List[dict]:
    return db.fetch_all(
        """
        SELECT id, cloudinary_public_id, destroy_attempts FROM videos
        WHERE destroy_requested_at IS NOT NULL AND asset_destroyed_at IS NULL
          AND cloudinary_public_id IS NOT NULL AND destroy_next_at <= now()
        ORDER BY destroy_next_at LIMIT %s
        """,
        (limit,),
    )


def record_destroyed(video_id: str) -> None:
    db.execute(
        "UPDATE videos SET asset_destroyed_at = now(), destroy_last_error = NULL, updated_at = now()"
        " WHERE id = %s AND asset_destroyed_at IS NULL",
        (video_id,),
    )


def record_destroy_failure(video_id: str, error: str, retry_in_s: int) -> None:
    db.execute(
        """
        UPDATE videos SET destroy_attempts = destroy_attempts + 1, destroy_last_error = %s,
            destroy_next_at = now() + make_interval(secs => %s), updated_at = now()
        WHERE id = %s AND asset_destroyed_at IS NULL
        """,
        (error[:1000], retry_in_s, video_id),
    )
