-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- Slow mode: a user's latest message in a session; the list of active sessions, newest first.
CREATE INDEX CONCURRENTLY IF NOT EXISTS live_chat_session_user_created
    ON live_chat_messages (session_id, user_id, created_at DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS live_sessions_active_started
    ON live_sessions (started_at DESC) WHERE status = 'active';
