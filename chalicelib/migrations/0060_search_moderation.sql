-- Search, reports, moderation and blocks (issue 16). Only adds: nullable columns the old
-- backend never fills (NULL = not taken down / not suspended, which is what every existing
-- row is), and tables of this API.
--
-- pg_trgm gives the typo-tolerant name search. Supabase and the embedded server ship it; a
-- server without it fails this migration here, with this message, rather than later.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
            RAISE EXCEPTION 'pg_trgm is not available on this server; search needs it (Supabase: Database > Extensions)';
        END IF;
        CREATE EXTENSION pg_trgm;
    END IF;
END $$;

ALTER TABLE videos ADD COLUMN IF NOT EXISTS taken_down_at timestamptz;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS takedown_reason text;
ALTER TABLE video_comments ADD COLUMN IF NOT EXISTS taken_down_at timestamptz;
ALTER TABLE video_comments ADD COLUMN IF NOT EXISTS takedown_reason text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS suspended_at timestamptz;
ALTER TABLE users ADD COLUMN IF NOT EXISTS suspension_reason text;

-- The searchable text of a video: title and hashtags weigh A, the description B. `simple`:
-- no stemming, no stop words, so Swahili and English (and Sheng) words match as typed,
-- lower-cased. IMMUTABLE (to_tsvector with a fixed configuration is), so an expression index
-- can hold it; search_path pinned to pg_catalog alone (always searched), so nothing on the
-- caller's path can change what it means.
CREATE OR REPLACE FUNCTION trendke_video_document(title text, description text, hashtags text[])
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
    SELECT setweight(to_tsvector('simple'::regconfig,
               coalesce(title, '') || ' ' || coalesce(array_to_string(hashtags, ' '), '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')
$$;

CREATE TABLE IF NOT EXISTS reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reporter_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target_type text NOT NULL CHECK (target_type IN ('video', 'comment', 'user')),
    target_id uuid NOT NULL,
    reason text NOT NULL,
    note text CHECK (char_length(note) <= 1000),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'actioned', 'dismissed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolved_by uuid REFERENCES users(id) ON DELETE SET NULL
);
-- One open report per reporter and target: a repeat answers the existing one.
CREATE UNIQUE INDEX IF NOT EXISTS reports_one_open
    ON reports (reporter_id, target_type, target_id) WHERE status = 'open';
-- The moderators' queue: open reports grouped by target.
CREATE INDEX IF NOT EXISTS reports_open_by_target
    ON reports (target_type, target_id) WHERE status = 'open';

-- Every moderator action: who, what, when, why. Append-only.
CREATE TABLE IF NOT EXISTS moderation_actions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    moderator_id uuid NOT NULL REFERENCES users(id),
    action text NOT NULL,
    target_type text NOT NULL CHECK (target_type IN ('video', 'comment', 'user')),
    target_id uuid NOT NULL,
    reason text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS moderation_actions_target
    ON moderation_actions (target_type, target_id, created_at DESC);

CREATE TABLE IF NOT EXISTS user_blocks (
    blocker_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
-- "Is either of us blocking the other": both directions by primary key or this index.
CREATE INDEX IF NOT EXISTS user_blocks_blocked ON user_blocks (blocked_id, blocker_id);

-- Hashtag completion: every tag of the listed videos with its count, recomputed by the
-- trending job (counting them per keystroke would read every video).
CREATE TABLE IF NOT EXISTS search_hashtags (
    hashtag text PRIMARY KEY,
    videos_count integer NOT NULL
);
CREATE INDEX IF NOT EXISTS search_hashtags_prefix ON search_hashtags (hashtag text_pattern_ops);

ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE moderation_actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_blocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_hashtags ENABLE ROW LEVEL SECURITY;
