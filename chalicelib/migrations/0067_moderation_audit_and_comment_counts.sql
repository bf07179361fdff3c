-- The audit log as a route (issue 16): newest first, whole or per target or per moderator,
-- keyset-paged on (created_at, id). moderation_actions is this API's table (the old backend
-- never writes it), so plain indexes in the migration's transaction. The target index of
-- 0060 leads with target_type; a target id alone (a uuid) is enough to filter on.
CREATE INDEX IF NOT EXISTS moderation_actions_newest
    ON moderation_actions (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS moderation_actions_by_target_id
    ON moderation_actions (target_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS moderation_actions_by_moderator
    ON moderation_actions (moderator_id, created_at DESC, id DESC);

-- ---- comments_count: hidden comments do not count -----------------------------------------
-- A comment counts while it is not soft-deleted, not taken down by a moderator and its author
-- is not suspended: exactly what the comment list shows. The one trigger (0008's, which both
-- backends' writes fire) moves the count on each change of that state, once: a repeated or
-- concurrent takedown/restore changes no row (guarded UPDATE under its row lock), so it fires
-- nothing. A suspension moves its author's comments itself (repo/moderation.py
-- shift_author_comments, same transaction); while suspended, the author's comment changes
-- (the current backend knows no suspension and may still write them) move nothing.
-- The author lookup and the suspension's recount take one of 64 advisory locks keyed on the
-- author (shared here, exclusive in the recount), so a comment change racing a suspension is
-- counted either by this trigger or by the recount, never both, never neither.
CREATE OR REPLACE FUNCTION update_video_comments_count()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    was boolean := false;
    now_counts boolean := false;
    target uuid;
    author uuid;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        was := OLD.deleted_at IS NULL AND OLD.taken_down_at IS NULL;
        target := OLD.video_id;
        author := OLD.user_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        now_counts := NEW.deleted_at IS NULL AND NEW.taken_down_at IS NULL;
        target := NEW.video_id;
        author := NEW.user_id;
    END IF;
    IF was = now_counts OR target IS NULL THEN
        RETURN NULL;
    END IF;
    IF author IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock_shared(1668115060, hashtext(author::text) & 63);
        IF EXISTS (SELECT 1 FROM users u WHERE u.id = author AND u.suspended_at IS NOT NULL) THEN
            RETURN NULL;  -- the suspension took this author's comments out of the count
        END IF;
    END IF;
    INSERT INTO video_count_deltas (video_id, comments)
    VALUES (target, CASE WHEN now_counts THEN 1 ELSE -1 END);
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER video_comments_soft_delete_count_trigger
AFTER UPDATE OF deleted_at, taken_down_at ON video_comments
FOR EACH ROW EXECUTE FUNCTION update_video_comments_count();

-- What is hidden today still counts (takedowns and suspensions before this file): take it out
-- once. The trigger above holds video_comments against writes until this commits, so no
-- change falls between the two.
INSERT INTO video_count_deltas (video_id, comments)
SELECT c.video_id, -count(*)
FROM video_comments c
WHERE c.video_id IS NOT NULL AND c.deleted_at IS NULL
  AND (c.taken_down_at IS NOT NULL
       OR EXISTS (SELECT 1 FROM users u WHERE u.id = c.user_id AND u.suspended_at IS NOT NULL))
GROUP BY c.video_id;
