-- Row-level security (see 0019 for why) on the tables the accounts, notifications and gifts
-- migrations added. tests/test_migrations.py fails for any table this API adds without it.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'auth_failures', 'ledger_accounts', 'ledger_entries', 'ledger_transactions',
        'notification_groups', 'notification_outbox', 'notification_read_all_requests',
        'notification_unread_counts'
    ] LOOP
        IF to_regclass('public.' || t) IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        END IF;
    END LOOP;
END $$;
