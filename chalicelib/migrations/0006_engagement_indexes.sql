-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- The comment Idempotency-Key's unique index, on the live video_comments table (0006).
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS video_comments_idempotency_key
    ON video_comments (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
