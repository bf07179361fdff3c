-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- A suspension (and its restore) recounts its author's comments per video
-- (repo/moderation.py shift_author_comments): without this, a scan of every comment.
CREATE INDEX CONCURRENTLY IF NOT EXISTS video_comments_by_author
    ON video_comments (user_id, video_id)
