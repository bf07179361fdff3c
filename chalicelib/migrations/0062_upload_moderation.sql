-- Moderation before publishing (issue 16): when Cloudinary's moderation add-on approved the
-- video. An upload that waits for it stays pending until both the upload and the approval
-- have arrived, in either order. Nullable, never filled by the old backend.
ALTER TABLE videos ADD COLUMN IF NOT EXISTS moderation_approved_at timestamptz;
