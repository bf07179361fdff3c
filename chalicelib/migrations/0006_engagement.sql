-- Engagement that survives a viral video (issue 6): event tables, counter deltas folded on a
-- schedule, comment replies / soft delete / idempotency keys, and per-user write limits.
-- Only adds.

-- Replies and soft delete use the columns of migration 0003.
-- A retried POST with the same Idempotency-Key returns the comment the first one made.
ALTER TABLE video_comments ADD COLUMN IF NOT EXISTS idempotency_key text NULL;

-- Counter deltas: every write that changes a count appends a row here in its own
-- transaction (no UPDATE of the hot videos/users row); the fold job sums and deletes them in
-- batches, adding the sums to videos.*_count / users.*_count in the same transaction.
-- No foreign key: it would lock the hot parent row on every append.
CREATE TABLE IF NOT EXISTS video_count_deltas (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    video_id uuid NOT NULL,
    likes    integer NOT NULL DEFAULT 0,
    comments integer NOT NULL DEFAULT 0,
    views    integer NOT NULL DEFAULT 0,
    shares   integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS video_count_deltas_video_id ON video_count_deltas (video_id);

CREATE TABLE IF NOT EXISTS user_count_deltas (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id   uuid NOT NULL,
    followers integer NOT NULL DEFAULT 0,
    following integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS user_count_deltas_user_id ON user_count_deltas (user_id);

-- Counted views: at most one row per viewer, video and clock hour (the unique index makes a
-- retry or a refresh within the hour a no-op). Trending reads (video_id, created_at).
CREATE TABLE IF NOT EXISTS video_views (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    video_id   uuid NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    user_id    uuid NULL REFERENCES users(id) ON DELETE SET NULL,
    viewer_key text NOT NULL,
    hour       timestamptz NOT NULL,
    watch_ms   integer NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS video_views_once_per_hour
    ON video_views (video_id, viewer_key, hour);

-- Shares: one row per viewer, video, channel and clock hour, like views.
CREATE TABLE IF NOT EXISTS video_shares (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    video_id   uuid NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    user_id    uuid NULL REFERENCES users(id) ON DELETE SET NULL,
    viewer_key text NOT NULL,
    channel    text NOT NULL,
    hour       timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS video_shares_once_per_hour
    ON video_shares (video_id, viewer_key, channel, hour);

-- Per-user write limits: one row per user, action and fixed window.
CREATE TABLE IF NOT EXISTS rate_limits (
    user_id      uuid NOT NULL,
    action       text NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, action, window_start)
);
