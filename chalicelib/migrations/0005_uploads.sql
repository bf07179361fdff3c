-- Direct uploads to Cloudinary (issue 5): what the lifecycle needs beyond 0002.
-- Only adds. Every new column is NULL or has a default, so the old backend keeps working.

-- A retried POST /v1/uploads with the same Idempotency-Key answers for the same video.
ALTER TABLE videos ADD COLUMN IF NOT EXISTS upload_idempotency_key text;
-- Facts learnt from Cloudinary's notifications, whatever order they come in.
ALTER TABLE videos ADD COLUMN IF NOT EXISTS upload_received_at timestamptz;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS eager_ready_at timestamptz;
-- The asset's destruction (on delete, or on failure): requested, done, or retried later.
ALTER TABLE videos ADD COLUMN IF NOT EXISTS destroy_requested_at timestamptz;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS asset_destroyed_at timestamptz;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS destroy_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS destroy_next_at timestamptz;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS destroy_last_error text;

CREATE UNIQUE INDEX IF NOT EXISTS videos_upload_idempotency_key
    ON videos (user_id, upload_idempotency_key) WHERE upload_idempotency_key IS NOT NULL;

-- The upload limits count a user's recent videos; the sweep finds old pendings.
CREATE INDEX IF NOT EXISTS videos_user_created_at_idx ON videos (user_id, created_at);
CREATE INDEX IF NOT EXISTS videos_pending_created_at_idx
    ON videos (created_at) WHERE status = 'pending';

-- Destroys still owed to Cloudinary (the sweep retries them).
CREATE INDEX IF NOT EXISTS videos_destroy_due_idx
    ON videos (destroy_next_at)
    WHERE destroy_requested_at IS NOT NULL AND asset_destroyed_at IS NULL
      AND cloudinary_public_id IS NOT NULL;
