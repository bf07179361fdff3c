-- Search without scoring every match (issue 16; repo/search.py). A video's score is a
-- relevance class (12 or 5) plus a part that does not depend on the query (popularity +
-- freshness, "hotness"). This one row holds the hotness of the 2,000th hottest listed video,
-- recomputed by the trending job with the hashtag counts: a common word scores only the
-- matches at least that hot, and such a page is exact whenever its rows score above
-- 12 + floor (nothing below the floor can reach that); otherwise the query scores every
-- match as before. A stale floor changes how many rows are scored, never the answer.
-- This API's table: no column or trigger on the shared videos table.
CREATE TABLE IF NOT EXISTS search_window (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    hotness_floor float8 NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE search_window ENABLE ROW LEVEL SECURITY;
