-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- The counters job prunes old rate-limit windows and spent log-in failures three times a
-- minute (chalicelib/ratelimit.py prune); without these its DELETEs scan whole tables that
-- every write and every log-in touches. CONCURRENTLY: both tables take writes all the time.
CREATE INDEX CONCURRENTLY IF NOT EXISTS rate_limits_window_start ON rate_limits (window_start);
CREATE INDEX CONCURRENTLY IF NOT EXISTS auth_failures_last_failure_at ON auth_failures (last_failure_at);
