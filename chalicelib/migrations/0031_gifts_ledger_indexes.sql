-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- Gift history pages per user, newest first (sent and received), and the leaderboard window.
CREATE INDEX CONCURRENTLY IF NOT EXISTS gift_transactions_sender_page
    ON gift_transactions (sender_id, created_at DESC, id DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS gift_transactions_recipient_page
    ON gift_transactions (recipient_id, created_at DESC, id DESC);
-- Payment pages per user, the provider's order id (callbacks), the pending re-check, and the
-- Idempotency-Key of a purchase.
CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_transactions_user_page
    ON payment_transactions (user_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS payment_transactions_provider_order
    ON payment_transactions (payment_provider, provider_order_id) WHERE provider_order_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_transactions_provider_payment
    ON payment_transactions (provider_payment_id) WHERE provider_payment_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_transactions_pending
    ON payment_transactions (created_at) WHERE status = 'pending';
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS payment_transactions_idempotency_key
    ON payment_transactions (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
