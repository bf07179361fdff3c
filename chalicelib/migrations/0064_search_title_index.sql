-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- The title-and-hashtags document of listed videos (0063), for the relevance term.
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_search_title
    ON videos USING gin (trendke_video_title_document(title, hashtags))
    WHERE status = 'ready' AND deleted_at IS NULL
