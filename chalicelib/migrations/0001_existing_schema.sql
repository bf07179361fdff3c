-- The schema TrendKe's current backend already runs on (contract section 2).
-- On the live database every statement here is a no-op; on an empty one it builds it.
-- gen_random_uuid() is built in since Postgres 13 (Supabase runs 15+).

CREATE TABLE IF NOT EXISTS users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email           text NOT NULL UNIQUE,
    username        text NOT NULL UNIQUE,
    full_name       text,
    password_hash   text NOT NULL,
    avatar_url      text,
    bio             text,
    role            text DEFAULT 'user',
    followers_count integer DEFAULT 0,
    following_count integer DEFAULT 0,
    created_at      timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS videos (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title          text NOT NULL,
    description    text,
    video_url      text NOT NULL,
    thumbnail_url  text,
    hashtags       text[] DEFAULT '{}',
    views_count    integer DEFAULT 0,
    likes_count    integer DEFAULT 0,
    comments_count integer DEFAULT 0,
    shares_count   integer DEFAULT 0,
    created_at     timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS video_likes (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    video_id   uuid NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    created_at timestamptz DEFAULT now(),
    UNIQUE (user_id, video_id)
);

CREATE TABLE IF NOT EXISTS video_comments (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    video_id   uuid NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    content    text NOT NULL,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS follows (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    follower_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    following_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   timestamptz DEFAULT now(),
    UNIQUE (follower_id, following_id)
);
