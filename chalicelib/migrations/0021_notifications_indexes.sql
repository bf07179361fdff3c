-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- A user's notifications newest first (GET /notifications/, /v1/me/notifications), and the
-- unread ones (unread_only, read-all's batches), on the live notifications table (0020).
CREATE INDEX CONCURRENTLY IF NOT EXISTS notifications_user_recent
    ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS notifications_user_unread
    ON notifications (user_id, created_at DESC, id DESC) WHERE is_read IS NOT TRUE;
-- Retention: old read notifications, oldest first.
CREATE INDEX CONCURRENTLY IF NOT EXISTS notifications_read_created
    ON notifications (created_at) WHERE is_read IS TRUE
