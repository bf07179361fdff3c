-- Search relevance without recomputing documents (issue 16): ranking 12k matches with ts_rank
-- recomputed to_tsvector per row (about 60 us each, 0.8 s for a common word on the bench).
-- Instead the score asks a second index whether every word is in the title or hashtags: a
-- semi-join on index entries, no document built at query time.
CREATE OR REPLACE FUNCTION trendke_video_title_document(title text, hashtags text[])
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
    SELECT to_tsvector('simple'::regconfig,
               coalesce(title, '') || ' ' || coalesce(array_to_string(hashtags, ' '), ''))
$$;
