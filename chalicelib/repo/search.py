"""SQL for search: one statement per page, ordered by a score that does not depend on the
clock (so a cursor stays valid and a cached page stays right), ties broken by the key.

Videos: the GIN expression index of migration 0061 finds the matches; the score blends
  20 · ts_rank({0.1, 0.2, 0.4, 1.0}, document, query)         relevance (title/tags weigh A)
  + ln(1 + 0.2·views + likes + 3·comments + 5·shares)          popularity (trending's weights)
  + ln 2 · (weeks since 2025-01-01)                             freshness: a week newer counts
                                                                 as twice the engagement
People: pg_trgm's similarity to the username or full name (typos), or a username prefix:
  10 · max(similarity(username), similarity(full_name), 1 if username starts with q)
  + ln(1 + followers)
Hashtags: the prefix in search_hashtags (text_pattern_ops), most videos first.
"""
from __future__ import annotations

from typing import Optional, Tuple

from .. import db
from .users import USER_COLUMNS
from .video_lists import LISTED
from .videos import VIDEO_COLUMNS, VISIBLE

DOCUMENT = "trendke_video_document(v.title, v.description, v.hashtags)"
VIDEO_SCORE = f"""
    20 * ts_rank('{{0.1, 0.2, 0.4, 1.0}}', {DOCUMENT}, q.query)
    + ln(1 + greatest(0, 0.2 * coalesce(v.views_count, 0) + coalesce(v.likes_count, 0)
                         + 3 * coalesce(v.comments_count, 0) + 5 * coalesce(v.shares_count, 0)))
    + ln(2) * date_part('epoch', v.created_at - timestamp '2025-01-01') / 604800
"""
After = Optional[Tuple[float, str]]
_AFTER = " WHERE (s.score, s.id) < (%(after_score)s, %(after_id)s)"


def _after(after: After) -> tuple:
    if after is None:
        return "", {}
    return _AFTER, {"after_score": after[0], "after_id": after[1]}


def videos(tsquery: str, after: After, limit: int) -> list:
    cond, params = _after(after)
    return db.fetch_all(
        f"""
        SELECT s.* FROM (
            SELECT {VIDEO_COLUMNS}, {VIDEO_SCORE} AS score
            FROM (SELECT to_tsquery('simple', %(q)s) AS query) q,
                 videos v JOIN users u ON u.id = v.user_id
            WHERE {DOCUMENT} @@ q.query AND {LISTED}
        ) s{cond}
        ORDER BY s.score DESC, s.id DESC LIMIT %(n)s
        """,
        {**params, "q": tsquery, "n": limit},
    )


_NAME_SIMILARITY = """greatest(
    similarity(lower(u.username), %(q)s),
    similarity(lower(coalesce(u.full_name, '')), %(q)s),
    CASE WHEN lower(u.username) LIKE %(prefix)s THEN 1 ELSE 0 END)"""


def users(name: str, prefix: str, after: After, limit: int) -> list:
    cond, params = _after(after)
    return db.fetch_all(
        f"""
        SELECT s.* FROM (
            SELECT {USER_COLUMNS},
                   10 * {_NAME_SIMILARITY} + ln(1 + greatest(0, coalesce(u.followers_count, 0)))
                   AS score
            FROM users u
            WHERE (lower(u.username) %% %(q)s OR lower(u.full_name) %% %(q)s
                   OR lower(u.username) LIKE %(prefix)s)
              AND u.suspended_at IS NULL
        ) s{cond}
        ORDER BY s.score DESC, s.id DESC LIMIT %(n)s
        """,
        {**params, "q": name, "prefix": prefix, "n": limit},
    )


def hashtags(prefix: str, after: Optional[Tuple[float, str]], limit: int) -> list:
    cond, params = "", {}
    if after is not None:
        cond = " AND (videos_count < %(c)s OR (videos_count = %(c)s AND hashtag > %(h)s))"
        params = {"c": int(after[0]), "h": after[1]}
    return db.fetch_all(
        "SELECT hashtag, videos_count FROM search_hashtags"
        f" WHERE hashtag LIKE %(prefix)s{cond} ORDER BY videos_count DESC, hashtag LIMIT %(n)s",
        {**params, "prefix": prefix, "n": limit},
    )


def refresh_hashtags(conn) -> int:
    """Recount every tag of the listed videos (the trending job runs it): one transaction, so
    readers see the old counts or the new ones."""
    conn.execute("DELETE FROM search_hashtags")
    return conn.execute(
        f"""
        INSERT INTO search_hashtags (hashtag, videos_count)
        SELECT t.tag, count(DISTINCT v.id)
        FROM videos v, LATERAL (SELECT lower(btrim(raw, '# ')) AS tag FROM unnest(v.hashtags) raw) t
        WHERE {VISIBLE} AND t.tag ~ '^\\w{{1,64}}$'
        GROUP BY t.tag
        """
    ).rowcount
