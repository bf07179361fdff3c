-- The feed read path: keyset indexes for every list the API pages through, and the comment
-- columns replies and soft deletes use. Only adds.
--
-- Every video index is partial on the visibility rule (repo/videos.py VISIBLE), so lists
-- only ever walk rows they may show, and (created_at DESC, id DESC) is exactly the keyset
-- order: page N is one index range scan from the cursor, like page 1.

-- Replies (parent_id) and soft deletes (deleted_at); the engagement area writes them.
ALTER TABLE video_comments ADD COLUMN IF NOT EXISTS parent_id uuid NULL
    REFERENCES video_comments(id) ON DELETE CASCADE;
ALTER TABLE video_comments ADD COLUMN IF NOT EXISTS deleted_at timestamptz NULL;

-- GET /v1/feed, GET /videos/feed (the offset form reads only this index for skipped rows).
CREATE INDEX IF NOT EXISTS videos_feed_keyset_idx
    ON videos (created_at DESC, id DESC)
    WHERE status = 'ready' AND deleted_at IS NULL;

-- GET /v1/users/{id}/videos and the followed-users feeds (one range per followed user).
CREATE INDEX IF NOT EXISTS videos_user_keyset_idx
    ON videos (user_id, created_at DESC, id DESC)
    WHERE status = 'ready' AND deleted_at IS NULL;

-- GET /v1/hashtags/{tag}/videos: rare tags come from here, frequent ones from the feed index.
CREATE INDEX IF NOT EXISTS videos_hashtags_gin_idx
    ON videos USING gin (hashtags)
    WHERE status = 'ready' AND deleted_at IS NULL;

-- GET /v1/videos/{id}/comments and GET /videos/{video_id}/comments.
CREATE INDEX IF NOT EXISTS video_comments_keyset_idx
    ON video_comments (video_id, created_at DESC, id DESC)
    WHERE deleted_at IS NULL;

-- ON DELETE CASCADE from a parent comment finds its replies without a scan.
CREATE INDEX IF NOT EXISTS video_comments_parent_idx
    ON video_comments (parent_id)
    WHERE parent_id IS NOT NULL;

-- GET /social/followers/{user_id} (newest follower first).
CREATE INDEX IF NOT EXISTS follows_following_keyset_idx
    ON follows (following_id, created_at DESC, id DESC);

-- GET /social/following/{user_id} and the followed-users feeds; the existing
-- unique (follower_id, following_id) cannot give this order.
CREATE INDEX IF NOT EXISTS follows_follower_keyset_idx
    ON follows (follower_id, created_at DESC, id DESC);
