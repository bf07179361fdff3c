-- migrate: no-transaction (indexes on live tables are built CONCURRENTLY, see migrate.py)
-- Emails and usernames are unique ignoring case. The live columns' UNIQUE is case-sensitive
-- and the old backend inserts addresses as typed (mixed case), so a UNIQUE index on lower()
-- could fail to build on live duplicates and would make the old backend's sign-up answer
-- 500 on a case variant: these are plain indexes, and the sign-up transaction checks
-- lower(email) / lower(username) under an advisory lock (chalicelib/repo/accounts.py).
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email ON users (lower(email));
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower_username ON users (lower(username));
