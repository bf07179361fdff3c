-- Notifications (issue 13, README "Notifications"). Only adds to the live schema.
--
-- Writes never touch `notifications`: the live tables' triggers append one row per event to
-- notification_outbox (whichever backend wrote the like, comment or follow), and the
-- materialiser (chalicelib/notifications/materialise.py, every few seconds) turns batches of
-- them into grouped notifications. The unread count of a user is one row, kept exact by
-- statement-level triggers on `notifications`, so it holds for rows any backend writes.

-- ---- the outbox ------------------------------------------------------------------------------
-- kind: like | comment | follow (appended by triggers; sign -1 undoes an earlier +1) or
-- direct (chalicelib/notifications/outbox.py::notify: payload holds the notification).
CREATE TABLE IF NOT EXISTS notification_outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('like', 'comment', 'follow', 'direct')),
    sign        smallint NOT NULL DEFAULT 1 CHECK (sign IN (-1, 1)),
    actor_id    uuid,
    user_id     uuid,       -- follow: the followed user; direct: the recipient
    video_id    uuid,       -- like, comment
    comment_id  uuid,       -- comment
    parent_id   uuid,       -- comment: the comment replied to
    event_at    timestamp,  -- the event row's created_at (naive UTC): what a -1 undoes
    payload     jsonb,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE OR REPLACE FUNCTION notify_video_like()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.video_id IS NOT NULL AND NEW.user_id IS NOT NULL THEN
        INSERT INTO notification_outbox (kind, sign, actor_id, video_id, event_at)
        VALUES ('like', 1, NEW.user_id, NEW.video_id, coalesce(NEW.created_at, now() AT TIME ZONE 'UTC'));
    ELSIF TG_OP = 'DELETE' AND OLD.video_id IS NOT NULL AND OLD.user_id IS NOT NULL THEN
        INSERT INTO notification_outbox (kind, sign, actor_id, video_id, event_at)
        VALUES ('like', -1, OLD.user_id, OLD.video_id, OLD.created_at);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER video_likes_notify_trigger
AFTER INSERT OR DELETE ON video_likes
FOR EACH ROW EXECUTE FUNCTION notify_video_like();

-- A comment notifies while it is not soft-deleted: a delete (or soft delete) undoes it, a
-- restore makes it count again.
CREATE OR REPLACE FUNCTION notify_video_comment()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    s smallint := 0;
    r video_comments;
BEGIN
    IF TG_OP = 'INSERT' THEN
        r := NEW;
        IF NEW.deleted_at IS NULL THEN s := 1; END IF;
    ELSIF TG_OP = 'DELETE' THEN
        r := OLD;
        IF OLD.deleted_at IS NULL THEN s := -1; END IF;
    ELSE
        r := NEW;
        IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN s := -1;
        ELSIF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN s := 1;
        END IF;
    END IF;
    IF s <> 0 AND r.video_id IS NOT NULL AND r.user_id IS NOT NULL THEN
        INSERT INTO notification_outbox (kind, sign, actor_id, video_id, comment_id, parent_id, event_at)
        VALUES ('comment', s, r.user_id, r.video_id, r.id, r.parent_id,
                coalesce(r.created_at, now() AT TIME ZONE 'UTC'));
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER video_comments_notify_trigger
AFTER INSERT OR DELETE ON video_comments
FOR EACH ROW EXECUTE FUNCTION notify_video_comment();
CREATE OR REPLACE TRIGGER video_comments_soft_delete_notify_trigger
AFTER UPDATE OF deleted_at ON video_comments
FOR EACH ROW EXECUTE FUNCTION notify_video_comment();

CREATE OR REPLACE FUNCTION notify_follow()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.follower_id IS NOT NULL AND NEW.following_id IS NOT NULL THEN
        INSERT INTO notification_outbox (kind, sign, actor_id, user_id, event_at)
        VALUES ('follow', 1, NEW.follower_id, NEW.following_id,
                coalesce(NEW.created_at, now() AT TIME ZONE 'UTC'));
    ELSIF TG_OP = 'DELETE' AND OLD.follower_id IS NOT NULL AND OLD.following_id IS NOT NULL THEN
        INSERT INTO notification_outbox (kind, sign, actor_id, user_id, event_at)
        VALUES ('follow', -1, OLD.follower_id, OLD.following_id, OLD.created_at);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER follows_notify_trigger
AFTER INSERT OR DELETE ON follows
FOR EACH ROW EXECUTE FUNCTION notify_follow();

-- ---- grouping ----------------------------------------------------------------------------------
-- The open group of each (recipient, type, target): the unread notification that further
-- events of the same kind on the same target join ("amina and 12 others liked your video").
CREATE TABLE IF NOT EXISTS notification_groups (
    recipient_id    uuid NOT NULL,
    type            text NOT NULL,
    target_id       uuid NOT NULL,
    notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    started_at      timestamp NOT NULL,  -- earliest event in it (naive UTC)
    opened_at       timestamptz NOT NULL DEFAULT now(),
    actors          integer NOT NULL,
    PRIMARY KEY (recipient_id, type, target_id)
);
CREATE INDEX IF NOT EXISTS notification_groups_notification ON notification_groups (notification_id);

-- A read-all that did not finish within its request: the materialiser job completes it.
CREATE TABLE IF NOT EXISTS notification_read_all_requests (
    user_id      uuid PRIMARY KEY,
    up_to        timestamp NOT NULL,  -- notifications created up to here (naive UTC)
    requested_at timestamptz NOT NULL DEFAULT now()
);

-- ---- unread counts -----------------------------------------------------------------------------
-- Unread means `is_read IS NOT TRUE`. One row per user; statement-level triggers add each
-- statement's net change per user, so read-all or a batch insert moves the row once.
CREATE TABLE IF NOT EXISTS notification_unread_counts (
    user_id uuid PRIMARY KEY,
    unread  integer NOT NULL DEFAULT 0
);

CREATE OR REPLACE FUNCTION notifications_unread_apply()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO notification_unread_counts AS c (user_id, unread)
        SELECT user_id, count(*) FROM new_rows
        WHERE user_id IS NOT NULL AND is_read IS NOT TRUE GROUP BY user_id ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET unread = c.unread + excluded.unread;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO notification_unread_counts AS c (user_id, unread)
        SELECT user_id, -count(*) FROM old_rows
        WHERE user_id IS NOT NULL AND is_read IS NOT TRUE GROUP BY user_id ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET unread = c.unread + excluded.unread;
    ELSE
        INSERT INTO notification_unread_counts AS c (user_id, unread)
        SELECT user_id, sum(d)::integer FROM (
            SELECT user_id, 1 AS d FROM new_rows WHERE is_read IS NOT TRUE
            UNION ALL
            SELECT user_id, -1 FROM old_rows WHERE is_read IS NOT TRUE
        ) changes
        WHERE user_id IS NOT NULL GROUP BY user_id HAVING sum(d) <> 0 ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET unread = c.unread + excluded.unread;
    END IF;
    RETURN NULL;
END $$;

-- No writes to notifications between the triggers' creation and the backfill.
LOCK TABLE notifications IN SHARE ROW EXCLUSIVE MODE;
CREATE OR REPLACE TRIGGER notifications_unread_insert
AFTER INSERT ON notifications REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION notifications_unread_apply();
CREATE OR REPLACE TRIGGER notifications_unread_update
AFTER UPDATE ON notifications REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION notifications_unread_apply();
CREATE OR REPLACE TRIGGER notifications_unread_delete
AFTER DELETE ON notifications REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION notifications_unread_apply();

INSERT INTO notification_unread_counts (user_id, unread)
SELECT user_id, count(*) FROM notifications
WHERE user_id IS NOT NULL AND is_read IS NOT TRUE GROUP BY user_id
ON CONFLICT (user_id) DO NOTHING;
