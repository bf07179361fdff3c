-- Trending reads only the events of a recent window; these let the refresh skip the rest of
-- the likes and comments instead of scanning them every few minutes. Only adds.
CREATE INDEX IF NOT EXISTS video_likes_created_at_idx ON video_likes (created_at);
CREATE INDEX IF NOT EXISTS video_comments_created_at_idx ON video_comments (created_at);
