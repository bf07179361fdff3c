-- The video lifecycle (pending -> ready | failed, and deleted) and its Cloudinary asset.
-- Only adds: existing rows become 'ready', which is what they are today.
ALTER TABLE videos ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'ready';
ALTER TABLE videos ADD COLUMN IF NOT EXISTS deleted_at timestamptz;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS cloudinary_public_id text;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS duration_seconds double precision;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS width integer;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS height integer;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS bytes bigint;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS format text;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS failure_reason text;
ALTER TABLE videos ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'videos_status_check') THEN
        ALTER TABLE videos ADD CONSTRAINT videos_status_check
            CHECK (status IN ('pending', 'ready', 'failed'));
    END IF;
END $$;

CREATE UNIQUE INDEX IF NOT EXISTS videos_cloudinary_public_id_key
    ON videos (cloudinary_public_id) WHERE cloudinary_public_id IS NOT NULL;
