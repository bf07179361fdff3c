-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- Trending reads only the events of a recent window. Indexes on created_at that also carry
-- video_id let the refresh read the window with an index-only scan, instead of scanning every
-- like and comment (or visiting their rows) every few minutes. Only adds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_likes_created_at_idx ON video_likes (created_at) INCLUDE (video_id);
