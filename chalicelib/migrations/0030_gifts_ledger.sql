-- Gifts, coins and payments (issue 14): a double-entry ledger beside the live tables.
-- Only adds: new tables, and nullable columns on gift_transactions, coin_packages and
-- payment_transactions (the current backend never names them). users.coin_balance and
-- users.total_earnings stay the balances it reads: every ledger transaction that moves a
-- user's coins updates them in the same database transaction.

-- A user's accounts, opened on first use with the balance the live columns held then
-- (one 'opening' transaction). System accounts (coin_issuance, platform_fees,
-- opening_balances, chargeback_losses, adjustments) need no row: they are only named by
-- entries, and have no cached balance (a hot row every gift would have to lock).
CREATE TABLE IF NOT EXISTS ledger_accounts (
    id        text PRIMARY KEY,                 -- 'wallet:<user id>' | 'earnings:<user id>'
    kind      text NOT NULL CHECK (kind IN ('wallet', 'earnings')),
    user_id   uuid NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, user_id)
);

-- One row per coin movement. `key` makes each movement happen at most once: a retried
-- request, a repeated callback or a second poll finds the row and moves nothing.
CREATE TABLE IF NOT EXISTS ledger_transactions (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                text NOT NULL CHECK (kind IN
                          ('opening', 'purchase', 'gift', 'refund', 'chargeback', 'adjustment')),
    key                 text NOT NULL UNIQUE,
    request_hash        text NULL,
    gift_transaction_id uuid NULL,
    payment_id          uuid NULL,
    memo                text NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- Integer amounts (coins), signed: a credit is positive. The entries of a transaction sum to
-- zero (checked at commit by the constraint trigger below). Never updated or deleted.
CREATE TABLE IF NOT EXISTS ledger_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES ledger_transactions(id),
    account        text NOT NULL,
    amount         bigint NOT NULL CHECK (amount <> 0)
);
CREATE INDEX IF NOT EXISTS ledger_entries_transaction ON ledger_entries (transaction_id);
CREATE INDEX IF NOT EXISTS ledger_entries_account ON ledger_entries (account);
CREATE INDEX IF NOT EXISTS ledger_transactions_gift ON ledger_transactions (gift_transaction_id)
    WHERE gift_transaction_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ledger_transactions_payment ON ledger_transactions (payment_id)
    WHERE payment_id IS NOT NULL;

CREATE OR REPLACE FUNCTION ledger_transaction_balances() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
    n     integer;
BEGIN
    SELECT coalesce(sum(amount), 0), count(*) INTO total, n
      FROM ledger_entries WHERE transaction_id = NEW.id;
    IF n < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (% entries, sum %)', NEW.id, n, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ledger_entries_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are never changed: post a correcting transaction'
        USING ERRCODE = 'check_violation';
END $$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'ledger_transaction_balances') THEN
        CREATE CONSTRAINT TRIGGER ledger_transaction_balances
            AFTER INSERT ON ledger_transactions DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balances();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'ledger_entries_immutable') THEN
        CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
            FOR EACH ROW EXECUTE FUNCTION ledger_entries_immutable();
    END IF;
END $$;

-- Gifts: how many of the gift were sent (coin_amount = quantity x coin_cost). NULL on the
-- current backend's rows.
ALTER TABLE gift_transactions ADD COLUMN IF NOT EXISTS quantity integer NULL;

-- Packages: a price in Kenyan shillings, in cents, when set; else price_usd at KES_PER_USD.
ALTER TABLE coin_packages ADD COLUMN IF NOT EXISTS price_kes_minor bigint NULL;

-- Payment orders: the amount asked in minor units + currency, the provider's ids, and when
-- the coins were credited or clawed back.
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS amount_minor bigint NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS currency text NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS provider_order_id text NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS provider_payment_id text NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS payment_url text NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS idempotency_key text NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS status_detail text NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS credited_at timestamptz NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS reversed_at timestamptz NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS checked_at timestamptz NULL;
ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS check_count integer NOT NULL DEFAULT 0;
