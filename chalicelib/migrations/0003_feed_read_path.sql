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
