-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- Trending counts only signed-in views and shares (repo/trending.py, issue 15): partial
-- indexes with that predicate, carrying video_id, keep the 48 h window an index-only range
-- scan that never reads the anonymous rows. Only adds; 0007's indexes stay for reconcile.
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_views_signed_in_created_at
    ON video_views (created_at) INCLUDE (video_id) WHERE user_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_shares_signed_in_created_at
    ON video_shares (created_at) INCLUDE (video_id) WHERE user_id IS NOT NULL;
