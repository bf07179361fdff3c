"""SQL for search: one statement per page, ordered by a score that does not depend on the
clock (so a cursor stays valid and a cached page stays right), ties broken by the key.

Videos: the GIN expression index of migration 0061 finds the matches; the score blends
  12 if every word is in the title or hashtags, else 5 (a description match)   relevance
  + ln(1 + 0.2·views + likes + 3·comments + 5·shares)   popularity (trending's weights)
  + ln 2 · (weeks since 2025-01-01)                      freshness: a week newer counts as
                                                          twice the engagement
The relevance class comes from a second index (0064, title and hashtags only) as a semi-join,
so no document is built at query time (ts_rank rebuilt one per match: 0.8 s for 12k matches);
in the window (see videos()) the few candidates check their title document directly.
Only ids and scores are sorted; the page alone is joined to its columns.
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
TITLE_DOCUMENT = "trendke_video_title_document(v.title, v.hashtags)"
# The same document as 0063's function, written out: a function with SET search_path is not
# inlined, and its call costs ~40 us a row where the window checks each candidate's title.
TITLE_DOCUMENT_INLINE = ("to_tsvector('simple'::regconfig, coalesce(v.title, '') || ' '"
                         " || coalesce(array_to_string(v.hashtags, ' '), ''))")
TITLE_POINTS, DESCRIPTION_POINTS = 12, 5
# The part of the score that does not depend on the query (float8: numeric's ln cost ~10 us a
# row); the search window (migration 0068) is a floor on it.
HOTNESS = """(
    ln(1 + greatest(0, 0.2::float8 * coalesce(v.views_count, 0) + coalesce(v.likes_count, 0)
                       + 3 * coalesce(v.comments_count, 0) + 5 * coalesce(v.shares_count, 0)))
    + ln(2::float8) * date_part('epoch', v.created_at - timestamp '2025-01-01') / 604800)"""
CLASS = f"CASE WHEN {{titled}} THEN {TITLE_POINTS} ELSE {DESCRIPTION_POINTS} END"
VIDEO_SCORE = f"{CLASS} + {HOTNESS}"
# The window: the matches at least as hot as the WINDOW_SIZE-th hottest listed video.
WINDOW_SIZE = 2000
After = Optional[Tuple[float, str]]
_AFTER = " WHERE (s.score, s.id) < (%(after_score)s, %(after_id)s)"


def _after(after: After) -> tuple:
    if after is None:
        return "", {}
    return _AFTER, {"after_score": after[0], "after_id": after[1]}


def videos(tsquery: str, after: After, limit: int) -> list:
    """One statement. `hot` scores only the matches in the window (hotness >= floor): the
    GIN bitmap's rows are filtered on the cheap hotness before the owner probe, the title
    check and the sort. Any video below the floor scores under 12 + floor, so window rows
    scoring above it are exactly the global order's: when `limit` of them exist (after the
    cursor) they are the page. Otherwise (a rare word, a word of descriptions, deep pages)
    the second branch, behind a one-time filter, scores every match as before. The same
    score either way, so cursors mean the same whichever branch answered.
    (A constant query instead of the CTE gave the planner better estimates and a plan 10x
    slower for two common words on the bench: kept as a CTE.)"""
    cond, params = _after(after)
    hot_cond = cond.replace(" WHERE ", " AND ")
    return db.fetch_all(
        f"""
        WITH q AS MATERIALIZED (SELECT to_tsquery('simple', %(q)s) AS query),
        w AS MATERIALIZED (
            SELECT coalesce((SELECT hotness_floor FROM search_window), '-Infinity') AS floor
        ),
        win AS MATERIALIZED (  -- a fence: the cursor's test must not run before the floor's
            SELECT v.id, {VIDEO_SCORE.format(titled=f"{TITLE_DOCUMENT_INLINE} @@ q.query")} AS score
            FROM q, videos v
            WHERE {DOCUMENT} @@ q.query AND {HOTNESS} >= (SELECT floor FROM w) AND {LISTED}
        ),
        hot AS MATERIALIZED (
            SELECT s.id, s.score FROM win s, w
            WHERE s.score > {TITLE_POINTS} + w.floor{hot_cond}
            ORDER BY s.score DESC, s.id DESC LIMIT %(n)s
        ),
        complete AS MATERIALIZED (
            SELECT (SELECT count(*) FROM hot) = %(n)s OR w.floor = '-Infinity' AS ok FROM w
        ),
        titled AS MATERIALIZED (
            SELECT v.id FROM q, videos v WHERE {TITLE_DOCUMENT} @@ q.query AND {LISTED}
        ),
        page AS (
            SELECT hot.id, hot.score FROM hot WHERE (SELECT ok FROM complete)
            UNION ALL
            (SELECT s.id, s.score FROM (
                SELECT v.id, {VIDEO_SCORE.format(titled="t.id IS NOT NULL")} AS score
                FROM q, videos v LEFT JOIN titled t ON t.id = v.id
                WHERE {DOCUMENT} @@ q.query AND {LISTED} AND NOT (SELECT ok FROM complete)
            ) s{cond}
            ORDER BY s.score DESC, s.id DESC LIMIT %(n)s)
        )
        SELECT {VIDEO_COLUMNS}, page.score
        FROM page JOIN videos v ON v.id = page.id JOIN users u ON u.id = v.user_id
        ORDER BY page.score DESC, v.id DESC
        """,
        {**params, "q": tsquery, "n": limit},
    )


def refresh_window(conn) -> Optional[float]:
    """The floor: the hotness of the WINDOW_SIZE-th hottest ready video (none: no floor, the
    window is everything). Any floor keeps answers exact; this one keeps the window small."""
    row = conn.execute(
        f"""
        INSERT INTO search_window (id, hotness_floor, updated_at)
        SELECT true, coalesce((SELECT {HOTNESS} FROM videos v
                               WHERE v.status = 'ready' AND v.deleted_at IS NULL
                                 AND v.created_at IS NOT NULL
                               ORDER BY 1 DESC OFFSET %(k)s LIMIT 1), '-Infinity'), now()
        ON CONFLICT (id) DO UPDATE SET hotness_floor = EXCLUDED.hotness_floor, updated_at = now()
        RETURNING hotness_floor
        """,
        {"k": WINDOW_SIZE - 1},
    ).fetchone()
    return row["hotness_floor"]


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
