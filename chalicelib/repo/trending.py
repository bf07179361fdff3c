"""The trending ranking, in SQL: engagement velocity with time decay.

    heat(v)  = sum over the events e of v in the last WINDOW_HOURS of
               weight(e) * 2 ^ -(age(e) / HALF_LIFE_HOURS)
    score(v) = heat(v) / (age(v) + 2) ^ GRAVITY                    (ages in hours)

Each event loses half its weight every HALF_LIFE_HOURS (Reddit's and Hacker News' decay,
applied per event rather than per post, so a week-old video that takes off today heats up
today). Dividing by the video's own age with a mild gravity (Hacker News and Lemmy use 1.8 on
the post's age alone; here most of the decay is already in the events) keeps a fresh video
ahead of an old one with the same recent engagement. Ties go to the newer video, then the id,
so the order is total and the same on every refresh. The README explains the weights.
"""
from __future__ import annotations

import datetime as _dt
from typing import List, NamedTuple, Optional, Sequence, Tuple

from .. import db, timestamps
from .videos import VIDEO_COLUMNS, VISIBLE

HALF_LIFE_HOURS = 6.0
WINDOW_HOURS = 48  # 8 half-lives: an event older than this would weigh under 0.4%
GRAVITY = 0.5
GLOBAL_SIZE = 100
HASHTAG_SIZE = 50

class EventSource(NamedTuple):
    """One kind of engagement event: its table, its weight, an optional extra condition
    (SQL on that table's columns) for rows that must not count, and whether its created_at
    is a live `timestamp` column (naive UTC) rather than a timestamptz."""

    table: str
    weight: float
    where: str = ""
    naive: bool = False


# Every engagement event. Each becomes one line of the `events` UNION ALL below:
# (video_id, created_at, weight), read through an index on created_at that carries video_id
# (migrations 0004 and 0007), so the window is an index-only range scan.
# Only signed-in engagement moves trending: an anonymous view or share (user_id NULL, the old
# backend's counters included) is counted on the video but weighs nothing here, because
# anyone with a loop can make them (issue 15). Accounts cost a rate-limited sign-up each and
# their events are limited per user. The partial indexes of migration 0022 have these
# predicates, so the window is still an index-only scan.
EVENT_SOURCES: Sequence[EventSource] = (
    EventSource("video_views", 0.2, "user_id IS NOT NULL"),
    EventSource("video_likes", 1.0, naive=True),
    EventSource("video_comments", 3.0, "deleted_at IS NULL", naive=True),
    EventSource("video_shares", 5.0, "user_id IS NOT NULL"),
)


def _events_sql(sources: Sequence[Tuple]) -> str:
    """Every event as (video_id, naive UTC time, weight). The window is compared in the
    column's own type (so the created_at index still answers it, under any TimeZone)."""
    lines = []
    for source in (EventSource(*s) for s in sources):  # plain (table, weight) tuples too
        extra = f" AND {source.where}" if source.where else ""
        if source.naive:
            at, since, now = "created_at", "%(since_utc)s", "%(now_utc)s"
        else:
            at, since, now = "created_at AT TIME ZONE 'UTC'", "%(since)s", "%(now)s"
        lines.append(
            f"        SELECT video_id, {at}, {float(source.weight)!r}::float8 AS weight"
            f" FROM {source.table} WHERE created_at > {since} AND created_at <= {now}{extra}"
        )
    return "\n        UNION ALL\n".join(lines)


# One statement for every list: score the videos with recent events once, then take the
# global top, the most active hashtags and each hashtag's top, and join the full Video rows
# only for the videos picked.
# Ages are date_part('epoch', ...) (float8), not extract(epoch ...) (numeric since Postgres 14):
# the decay runs once per event in the window (about 740k on the benchmark, 589k of them views)
# and numeric arithmetic there cost about 15 % of the statement.
_RANK_SQL = """
WITH events (video_id, created_at, weight) AS (
{events}
),
heat AS (
    SELECT video_id,
           sum(weight * exp(-ln(2) * date_part('epoch', %(now_utc)s - created_at)
                            / (%(half_life_h)s * 3600))) AS heat
    FROM events GROUP BY video_id
),
scored AS (
    SELECT v.id, v.created_at, v.hashtags,
           h.heat / power(greatest(date_part('epoch', %(now_utc)s - v.created_at), 0) / 3600 + 2,
                          %(gravity)s) AS score
    FROM heat h JOIN videos v ON v.id = h.video_id
    WHERE {visible}
),
top_global AS (
    SELECT NULL::text AS tag, id, score,
           row_number() OVER (ORDER BY score DESC, created_at DESC, id) AS position
    FROM scored ORDER BY score DESC, created_at DESC, id LIMIT %(global_size)s
),
tagged AS (
    -- Each video once per tag: de-duplicated within the video's own few tags, not by one
    -- DISTINCT over every (tag, video) pair (which spilled to disk).
    SELECT t.tag, s.id, s.score, s.created_at
    FROM scored s,
         LATERAL (SELECT DISTINCT lower(btrim(raw.tag, '# ')) AS tag
                  FROM unnest(s.hashtags) AS raw(tag)) t
    WHERE t.tag <> ''
),
top_tags AS (
    -- Rounded: float sums in another order must not reorder tags of equal activity.
    SELECT tag, round(sum(score)::numeric, 9) AS activity FROM tagged GROUP BY tag
    ORDER BY activity DESC, tag LIMIT %(hashtag_lists)s
),
top_per_tag AS (
    SELECT tag, id, score, position FROM (
        SELECT g.tag, g.id, g.score,
               row_number() OVER (PARTITION BY g.tag ORDER BY g.score DESC, g.created_at DESC, g.id)
                   AS position
        FROM tagged g JOIN top_tags USING (tag)
    ) ranked WHERE position <= %(hashtag_size)s
),
picked AS (
    SELECT * FROM top_global UNION ALL SELECT * FROM top_per_tag
)
SELECT p.tag AS list_tag, p.position, p.score, t.activity, {columns}
FROM picked p
JOIN videos v ON v.id = p.id JOIN users u ON u.id = v.user_id
LEFT JOIN top_tags t ON t.tag = p.tag
ORDER BY t.activity DESC NULLS FIRST, p.tag NULLS FIRST, p.position
"""


def rank_sql(sources: Sequence[Tuple] = EVENT_SOURCES) -> str:
    return _RANK_SQL.format(events=_events_sql(sources), visible=VISIBLE, columns=VIDEO_COLUMNS)


_SQL = rank_sql()


def ranked_rows(
    *,
    now: Optional[_dt.datetime] = None,
    hashtag_lists: int = 20,
    global_size: int = GLOBAL_SIZE,
    hashtag_size: int = HASHTAG_SIZE,
    sources: Optional[Sequence[Tuple]] = None,
) -> List[dict]:
    """Every trending list in one statement, as rows ordered list by list, best first.

    `list_tag` is NULL for the global list, else the (lower-cased) hashtag; `position` starts
    at 1; hashtags come in order of activity (the sum of their videos' scores). `sources`
    replaces EVENT_SOURCES (the benchmark compares with the likes-and-comments ranking).
    """
    now = timestamps.as_utc(now or _dt.datetime.now(_dt.timezone.utc))
    since = now - _dt.timedelta(hours=WINDOW_HOURS)
    return db.fetch_all(
        _SQL if sources is None else rank_sql(sources),
        {
            "now": now,
            "since": since,
            "now_utc": timestamps.naive_utc(now),
            "since_utc": timestamps.naive_utc(since),
            "half_life_h": HALF_LIFE_HOURS,
            "gravity": GRAVITY,
            "global_size": global_size,
            "hashtag_size": hashtag_size,
            "hashtag_lists": hashtag_lists,
        },
    )


def no_longer_listable(video_ids: Sequence[str]) -> List[str]:
    """Which of `video_ids` may no longer be listed (taken down, deleted, failed, owner
    suspended, gone): what a refresh re-checks after writing lists ranked a moment earlier."""
    rows = db.fetch_all(
        "SELECT x.id::text AS id FROM unnest(%s::uuid[]) AS x(id)"
        f" WHERE NOT EXISTS (SELECT 1 FROM videos v WHERE v.id = x.id AND {VISIBLE})",
        (list(video_ids),),
    )
    return [r["id"] for r in rows]
