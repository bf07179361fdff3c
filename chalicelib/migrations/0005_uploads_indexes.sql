-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- Direct uploads (issue 5): the indexes its columns need, on the live videos table.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS videos_upload_idempotency_key
    ON videos (user_id, upload_idempotency_key) WHERE upload_idempotency_key IS NOT NULL;

-- The upload limits count a user's recent videos; the sweep finds old pendings.
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_user_created_at_idx ON videos (user_id, created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_pending_created_at_idx
    ON videos (created_at) WHERE status = 'pending';

-- Destroys still owed to Cloudinary (the sweep retries them).
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_destroy_due_idx
    ON videos (destroy_next_at)
    WHERE destroy_requested_at IS NOT NULL AND asset_destroyed_at IS NULL
      AND cloudinary_public_id IS NOT NULL;
