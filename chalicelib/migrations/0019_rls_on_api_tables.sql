-- Row-level security on the tables this API added. On Supabase every table in `public` is
-- reachable through its REST API (PostgREST) with the project's anon key, which ships in
-- browser builds, and new tables get grants for the anon and authenticated roles by default:
-- without RLS, anyone could read the rate limits or append counter deltas (inflate counts).
-- RLS with no policy denies those roles everything; the table owner (the role that runs the
-- migrations and the API) and BYPASSRLS roles (Supabase's service_role, which the current
-- backend uses) are not affected, and the counter triggers and RPCs are SECURITY DEFINER.
-- The live tables the current backend created are left as they are (its own concern).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'schema_migrations', 'video_count_deltas', 'user_count_deltas', 'video_views',
        'video_shares', 'rate_limits', 'counter_reconcile_queue', 'counter_reconcile_state'
    ] LOOP
        IF to_regclass('public.' || t) IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        END IF;
    END LOOP;
END $$;
