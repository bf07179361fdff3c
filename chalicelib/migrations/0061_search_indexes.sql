-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- Full-text search of listed videos: an expression index (no new column the old backend
-- would leave empty, no trigger on its writes), partial on the listing rule.
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_search_document
    ON videos USING gin (trendke_video_document(title, description, hashtags))
    WHERE status = 'ready' AND deleted_at IS NULL;
-- Typo-tolerant names: trigram similarity and prefixes of the lower-cased names.
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_username_trgm
    ON users USING gin (lower(username) gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_full_name_trgm
    ON users USING gin (lower(full_name) gin_trgm_ops)
