"""Trending: lists computed by a scheduled job, stored as JSON objects, served from memory.

- `lists`: the ranked rows (repo/trending.py) become the objects: `global.json`,
  `hashtags/<tag>.json` and `index.json`, the index naming the others with their hashes.
- `store`: where the objects live (S3, or a local folder without a bucket).
- `writer`: the refresh the schedule and `manage.py refresh-trending` run.
- `reader`: the per-environment copy the read routes answer from, without Postgres.

No HTTP here: the routes in chalice_app/trending.py turn the reader's answers into responses.
"""
from __future__ import annotations

BROWSER_MAX_AGE_S = 60
STALE_IF_ERROR_S = 86_400


def cache_control(rate_minutes: int) -> str:
    """The Cache-Control of every trending object and answer: the CDN keeps a list for one
    refresh period, may serve it stale for one more while it revalidates, and for a day
    when the origin fails. Same shape as chalicelib.http.CachePolicy.header."""
    period = rate_minutes * 60
    return (
        f"public, max-age={min(BROWSER_MAX_AGE_S, period)}, s-maxage={period}, "
        f"stale-while-revalidate={period}, stale-if-error={STALE_IF_ERROR_S}"
    )
