-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- GET /v1/feed, GET /videos/feed (the offset form reads only this index for skipped rows).
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_feed_keyset_idx
    ON videos (created_at DESC, id DESC)
    WHERE status = 'ready' AND deleted_at IS NULL;

-- GET /v1/users/{id}/videos and the followed-users feeds (one range per followed user).
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_user_keyset_idx
    ON videos (user_id, created_at DESC, id DESC)
    WHERE status = 'ready' AND deleted_at IS NULL;

-- GET /v1/hashtags/{tag}/videos: rare tags come from here, frequent ones from the feed index.
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_hashtags_gin_idx
    ON videos USING gin (hashtags)
    WHERE status = 'ready' AND deleted_at IS NULL;

-- GET /v1/videos/{id}/comments and GET /videos/{video_id}/comments.
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_comments_keyset_idx
    ON video_comments (video_id, created_at DESC, id DESC)
    WHERE deleted_at IS NULL;

-- ON DELETE CASCADE from a parent comment finds its replies without a scan.
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_comments_parent_idx
    ON video_comments (parent_id)
    WHERE parent_id IS NOT NULL;

-- GET /social/followers/{user_id} (newest follower first).
CREATE INDEX CONCURRENTLY IF NOT EXISTS follows_following_keyset_idx
    ON follows (following_id, created_at DESC, id DESC);

-- GET /social/following/{user_id} and the followed-users feeds; the existing
-- unique (follower_id, following_id) cannot give this order.
CREATE INDEX CONCURRENTLY IF NOT EXISTS follows_follower_keyset_idx
    ON follows (follower_id, created_at DESC, id DESC);
