"""Demo data: users, videos with Kenyan-flavoured captions and hashtags, likes, comments and
follows spread over 30 days. Generated inside Postgres (generate_series), so 100k videos and
1M likes take seconds, not minutes.

The live columns are naive UTC (hence now() AT TIME ZONE 'UTC'). The counter triggers are off
while the seed inserts, inside its transaction, and the counters are set from the rows at the
end: a million likes do not become a million deltas for the fold to add up."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, List, Tuple

from chalicelib import passwords

CAPTIONS = [
    "Nairobi traffic at 6pm be like", "Matatu art on Moi Avenue", "Nyama choma Sunday with the squad",
    "Sunset over Lake Naivasha", "Learning sheng in 60 seconds", "Gengetone dance challenge",
    "Mombasa beach vibes", "Ugali vs chapati: the debate", "Maasai Mara at dawn",
    "Kibanda kitchen: mandazi recipe", "Diani kitesurfing", "Safari rally highlights",
    "Mama mboga negotiations", "Street food tour in Kisumu", "Running with Kenyan champions in Iten",
    "Boda boda life", "Java House coffee review", "Campus life at UoN", "Rainy season in Nakuru",
    "Swahili proverb of the day", "Kenyan wedding dance-off", "Coastal biryani masterclass",
]
HASHTAGS = [
    "kenya", "nairobi", "mombasa", "kisumu", "nakuru", "eldoret", "gengetone", "sheng", "matatu",
    "nyamachoma", "safari", "maasaimara", "diani", "kenyanfood", "kenyancomedy", "amapiano",
    "fyp", "trending", "dance", "football", "harambeestars", "campuslife", "hustle", "swahili",
]
NAMES = [
    "wanjiku", "otieno", "kamau", "achieng", "mutua", "njeri", "kiprop", "akinyi", "omondi",
    "wambui", "chebet", "mwangi", "nyambura", "kipchoge", "auma", "karanja", "jeptoo", "odhiambo",
]
COMMENTS = [
    "Hii ni moto!", "Sawa sawa", "Niaje bro, this is fire", "Pole sana", "Asante for sharing",
    "Mambo vipi!", "Hahaha kweli kabisa", "Wueh, this one", "Tupatane Nairobi", "Big up!",
]


@dataclass(frozen=True)
class SeedSizes:
    users: int = 200
    videos: int = 2_000
    likes: int = 20_000
    comments: int = 4_000
    follows: int = 3_000


def _steps(s: SeedSizes) -> List[Tuple[str, str, dict]]:
    base = {"captions": CAPTIONS, "tags": HASHTAGS, "names": NAMES, "comments": COMMENTS}
    return [
        ("users", """
            INSERT INTO users (email, username, full_name, password_hash, avatar_url, bio, created_at)
            SELECT 'demo' || g || '@trendke.example', (%(names)s::text[])[1 + g %% cardinality((%(names)s::text[]))] || '_' || g,
                   initcap((%(names)s::text[])[1 + g %% cardinality((%(names)s::text[]))]) || ' ' || g, %(password_hash)s,
                   'https://i.pravatar.cc/150?u=' || g, 'Demo creator from Kenya',
                   (now() AT TIME ZONE 'UTC') - interval '30 days' - random() * interval '30 days'
            FROM generate_series(1, %(n)s) g
            ON CONFLICT DO NOTHING""", {**base, "n": s.users, "password_hash": passwords.DEMO_HASH}),
        ("videos", """
            WITH u AS (SELECT array_agg(id ORDER BY created_at, id) AS ids FROM users)
            INSERT INTO videos (user_id, title, description, video_url, thumbnail_url, hashtags,
                                status, created_at)
            SELECT u.ids[1 + (g * 7919) %% cardinality(u.ids)],
                   (%(captions)s::text[])[1 + g %% cardinality((%(captions)s::text[]))],
                   (%(captions)s::text[])[1 + (g * 3) %% cardinality((%(captions)s::text[]))] || ' #' ||
                       (%(tags)s::text[])[1 + g %% cardinality((%(tags)s::text[]))],
                   'https://res.cloudinary.com/demo/video/upload/dog.mp4',
                   'https://res.cloudinary.com/demo/video/upload/so_1/dog.jpg',
                   ARRAY[(%(tags)s::text[])[1 + g %% cardinality((%(tags)s::text[]))],
                         (%(tags)s::text[])[1 + (g / 7) %% cardinality((%(tags)s::text[]))]],
                   'ready', (now() AT TIME ZONE 'UTC') - random() * interval '30 days'
            FROM generate_series(1, %(n)s) g, u""", {**base, "n": s.videos}),
        ("likes", """
            WITH u AS (SELECT array_agg(id) AS ids FROM users),
                 v AS (SELECT array_agg(id) AS ids, array_agg(created_at) AS ts FROM videos)
            INSERT INTO video_likes (user_id, video_id, created_at)
            SELECT u.ids[1 + floor(random() * cardinality(u.ids))::int], v.ids[k],
                   least((now() AT TIME ZONE 'UTC'), v.ts[k] + random() * interval '3 days')
            FROM generate_series(1, %(n)s) g, u, v,
                 LATERAL (SELECT 1 + floor(power(random(), 2) * cardinality(v.ids))::int + g * 0 AS k) pick
            ON CONFLICT (user_id, video_id) DO NOTHING""", {"n": s.likes}),
        ("comments", """
            WITH u AS (SELECT array_agg(id) AS ids FROM users),
                 v AS (SELECT array_agg(id) AS ids, array_agg(created_at) AS ts FROM videos)
            INSERT INTO video_comments (user_id, video_id, comment, created_at)
            SELECT u.ids[1 + floor(random() * cardinality(u.ids))::int], v.ids[k],
                   (%(comments)s::text[])[1 + g %% cardinality((%(comments)s::text[]))],
                   least((now() AT TIME ZONE 'UTC'), v.ts[k] + random() * interval '3 days')
            FROM generate_series(1, %(n)s) g, u, v,
                 LATERAL (SELECT 1 + floor(random() * cardinality(v.ids))::int + g * 0 AS k) pick""",
         {**base, "n": s.comments}),
        ("follows", """
            WITH u AS (SELECT array_agg(id) AS ids FROM users)
            INSERT INTO follows (follower_id, following_id, created_at)
            SELECT a, b, (now() AT TIME ZONE 'UTC') - random() * interval '30 days'
            FROM (SELECT u.ids[1 + floor(random() * cardinality(u.ids))::int] AS a,
                         u.ids[1 + floor(power(random(), 3) * cardinality(u.ids))::int] AS b
                  FROM generate_series(1, %(n)s) g, u) pairs
            WHERE a <> b
            ON CONFLICT (follower_id, following_id) DO NOTHING""", {"n": s.follows}),
        ("counters", """
            UPDATE videos v SET likes_count = coalesce(l.n, 0), comments_count = coalesce(c.n, 0),
                   views_count = coalesce(l.n, 0) * 7 + coalesce(c.n, 0) * 3
            FROM videos v2
            LEFT JOIN (SELECT video_id, count(*) n FROM video_likes GROUP BY 1) l ON l.video_id = v2.id
            LEFT JOIN (SELECT video_id, count(*) n FROM video_comments GROUP BY 1) c ON c.video_id = v2.id
            WHERE v.id = v2.id;
            UPDATE users u SET followers_count = coalesce(f.n, 0), following_count = coalesce(g.n, 0)
            FROM users u2
            LEFT JOIN (SELECT following_id id, count(*) n FROM follows GROUP BY 1) f ON f.id = u2.id
            LEFT JOIN (SELECT follower_id id, count(*) n FROM follows GROUP BY 1) g ON g.id = u2.id
            WHERE u.id = u2.id""", {}),
    ]


_COUNTER_TRIGGERS = (
    ("video_likes", "video_likes_count_trigger"),
    ("video_comments", "video_comments_count_trigger"),
    ("follows", "follow_counts_trigger"),
)


def has_videos(conn: Any) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM videos)").fetchone()[0]


def seed(conn: Any, sizes: SeedSizes, on_step: Callable[[str], None] = lambda name: None) -> None:
    """Add the demo set to the database behind `conn`, one transaction for the whole set."""
    with conn.transaction():
        for table, trigger in _COUNTER_TRIGGERS:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        for name, sql, params in _steps(sizes):
            if params:
                conn.execute(sql, params)
            else:
                conn.execute(sql)
            on_step(name)
        for table, trigger in _COUNTER_TRIGGERS:
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
    conn.execute("ANALYZE")
