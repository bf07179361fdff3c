-- Counters exact while the current backend and this API write the same rows (README,
-- "Counters with both backends"). Only adds, or replaces functions the counters need.
--
-- One rule for every writer: a row inserted into (or deleted from) video_likes,
-- video_comments or follows moves its counter once, through the table's own trigger, which
-- now appends a delta row instead of updating the hot videos/users row. The fold job adds
-- the deltas up. The current backend's increment_*/decrement_* RPCs, which it calls after
-- its inserts (and which double counted), become no-ops for what the triggers count; views
-- and shares have no trigger in the live schema, so their RPCs record the event and its
-- delta themselves.

-- ---- timestamps ----------------------------------------------------------------------------
-- The live `timestamp` (without time zone) columns hold UTC. Their DEFAULT NOW() writes the
-- session's local time, which is UTC on Supabase but not under every TimeZone setting: the
-- default becomes UTC under any setting. Same values on Supabase; catalog-only change.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'
               AND lower(column_default) = 'now()'
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT (now() AT TIME ZONE %L)',
                       c.table_name, c.column_name, 'UTC');
    END LOOP;
END $$;

-- ---- views and shares from before event rows ------------------------------------------------
-- The live views_count/shares_count were bumped by RPC with no event row. What they held
-- that no event explains is measured once per video by reconcile (NULL: not measured yet):
-- views_count = legacy_views_count + views rows, and likewise for shares.
ALTER TABLE videos ADD COLUMN IF NOT EXISTS legacy_views_count integer;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS legacy_shares_count integer;

-- ---- the triggers: append deltas ------------------------------------------------------------
-- SECURITY DEFINER: the current backend's database role must be able to append deltas
-- whatever grants it has on the API's tables.
CREATE OR REPLACE FUNCTION update_video_likes_count()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.video_id IS NOT NULL THEN
            INSERT INTO video_count_deltas (video_id, likes) VALUES (NEW.video_id, 1);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.video_id IS NOT NULL THEN
            INSERT INTO video_count_deltas (video_id, likes) VALUES (OLD.video_id, -1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER video_likes_count_trigger
AFTER INSERT OR DELETE ON video_likes
FOR EACH ROW EXECUTE FUNCTION update_video_likes_count();

-- A comment counts while it is not soft-deleted (deleted_at is this API's; the current
-- backend never sets it, so for it every row counts until deleted).
CREATE OR REPLACE FUNCTION update_video_comments_count()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    delta integer := 0;
    target uuid;
BEGIN
    IF TG_OP = 'INSERT' THEN
        target := NEW.video_id;
        IF NEW.deleted_at IS NULL THEN delta := 1; END IF;
    ELSIF TG_OP = 'DELETE' THEN
        target := OLD.video_id;
        IF OLD.deleted_at IS NULL THEN delta := -1; END IF;
    ELSE
        target := NEW.video_id;
        IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN delta := -1;
        ELSIF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN delta := 1;
        END IF;
    END IF;
    IF delta <> 0 AND target IS NOT NULL THEN
        INSERT INTO video_count_deltas (video_id, comments) VALUES (target, delta);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER video_comments_count_trigger
AFTER INSERT OR DELETE ON video_comments
FOR EACH ROW EXECUTE FUNCTION update_video_comments_count();
CREATE OR REPLACE TRIGGER video_comments_soft_delete_count_trigger
AFTER UPDATE OF deleted_at ON video_comments
FOR EACH ROW EXECUTE FUNCTION update_video_comments_count();

CREATE OR REPLACE FUNCTION update_follow_counts()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.follower_id IS NOT NULL AND NEW.following_id IS NOT NULL THEN
        INSERT INTO user_count_deltas (user_id, followers, following)
        VALUES (NEW.following_id, 1, 0), (NEW.follower_id, 0, 1);
    ELSIF TG_OP = 'DELETE' AND OLD.follower_id IS NOT NULL AND OLD.following_id IS NOT NULL THEN
        INSERT INTO user_count_deltas (user_id, followers, following)
        VALUES (OLD.following_id, -1, 0), (OLD.follower_id, 0, -1);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER follow_counts_trigger
AFTER INSERT OR DELETE ON follows
FOR EACH ROW EXECUTE FUNCTION update_follow_counts();

-- ---- the current backend's RPCs -------------------------------------------------------------
-- Same names, argument names and result type, so its calls keep working. The trigger has
-- already counted the row the call follows: counting it again is the double count.
CREATE OR REPLACE FUNCTION increment_likes(video_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN END $$;
CREATE OR REPLACE FUNCTION decrement_likes(video_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN END $$;
CREATE OR REPLACE FUNCTION increment_comments(video_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN END $$;
CREATE OR REPLACE FUNCTION increment_followers(user_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN END $$;
CREATE OR REPLACE FUNCTION decrement_followers(user_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN END $$;
CREATE OR REPLACE FUNCTION increment_following(user_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN END $$;
CREATE OR REPLACE FUNCTION decrement_following(user_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN END $$;

-- A view or share by the current backend: an event row (so reconcile and trending see it)
-- and its delta, never an UPDATE of the hot videos row. One per call, as before.
CREATE OR REPLACE FUNCTION increment_views(video_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    WITH added AS (
        INSERT INTO video_views (video_id, viewer_key, hour)
        SELECT v.id, 'legacy:' || gen_random_uuid(), date_trunc('hour', now(), 'UTC')
        FROM videos v WHERE v.id = increment_views.video_id
        RETURNING video_views.video_id
    )
    INSERT INTO video_count_deltas (video_id, views) SELECT a.video_id, 1 FROM added a;
END $$;
CREATE OR REPLACE FUNCTION increment_shares(video_id uuid)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    WITH added AS (
        INSERT INTO video_shares (video_id, viewer_key, channel, hour)
        SELECT v.id, 'legacy:' || gen_random_uuid(), 'legacy', date_trunc('hour', now(), 'UTC')
        FROM videos v WHERE v.id = increment_shares.video_id
        RETURNING video_shares.video_id
    )
    INSERT INTO video_count_deltas (video_id, shares) SELECT a.video_id, 1 FROM added a;
END $$;

-- ---- reconcile ------------------------------------------------------------------------------
-- Rows whose counters a fold changed: the scheduled reconcile checks them first.
CREATE TABLE IF NOT EXISTS counter_reconcile_queue (
    kind      text NOT NULL CHECK (kind IN ('video', 'user')),
    row_id    uuid NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, row_id)
);
-- Where the scheduled reconcile's rolling sweep of every row stands.
CREATE TABLE IF NOT EXISTS counter_reconcile_state (
    kind       text PRIMARY KEY CHECK (kind IN ('video', 'user')),
    after_id   uuid,
    updated_at timestamptz NOT NULL DEFAULT now()
);
