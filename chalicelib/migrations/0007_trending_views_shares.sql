-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- Trending reads views and shares too, and only live comments (migration 0006 added views,
-- shares and comment soft delete). Like 0004: indexes on created_at that carry video_id, so
-- the refresh reads the 48 h window with an index-only range scan instead of visiting rows.
-- The comments one is partial: the ranking's `deleted_at IS NULL` is its predicate, so the
-- scan needs no heap visit to check it. Only adds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_views_created_at_video_id
    ON video_views (created_at) INCLUDE (video_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_shares_created_at_video_id
    ON video_shares (created_at) INCLUDE (video_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_comments_live_created_at
    ON video_comments (created_at) INCLUDE (video_id) WHERE deleted_at IS NULL;
