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
