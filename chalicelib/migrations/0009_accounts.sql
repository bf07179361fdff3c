-- Accounts (issue 11): sign-up, log-in, token revocation, guessing limits. Only adds.

-- Per-user token version: every token this API issues carries it as `ver`; a password reset
-- or POST /auth/logout-all bumps it, and a token whose `ver` differs is refused. The old
-- backend's tokens have no `ver` (read as 0): valid until the version first moves. Adding a
-- column with a constant default is a catalogue change (no rewrite of the live table), and
-- the old backend's INSERTs, which do not name it, get 0.
ALTER TABLE users ADD COLUMN IF NOT EXISTS token_version integer NOT NULL DEFAULT 0;

-- Failed log-ins (and 2FA codes) per key: "acct:<sha256 of the email>", "addr:<ip>",
-- "2fa:<sha256 of the email>". Keyed by the email's hash, known or not, so a lock-out looks
-- the same for an unknown email; `locked_until` grows exponentially past the threshold.
CREATE TABLE IF NOT EXISTS auth_failures (
    key             text PRIMARY KEY,
    failures        integer NOT NULL DEFAULT 0,
    last_failure_at timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz NULL
);
