"""How long each anonymous read may be kept, by browsers (max-age) and the CDN (s-maxage).

The CDN TTL is what absorbs traffic: at 10 s, a feed page requested 1,000 times a second
reaches Lambda about once per edge location every 10 s. stale-while-revalidate lets the CDN
answer at once while it refetches; stale-if-error keeps the app readable through an origin
outage. The README explains each choice.
"""
from __future__ import annotations

from ..http import CachePolicy

DAY = 86_400

# Page 1 of the feed: new uploads should show within seconds.
FEED_FIRST_PAGE = CachePolicy(max_age=5, s_maxage=10, stale_while_revalidate=30, stale_if_error=DAY)
# Any page after the first (a cursor, or a non-zero offset): which videos it holds changes
# only when one is deleted; only the counters move.
FEED_LATER_PAGE = CachePolicy(max_age=30, s_maxage=60, stale_while_revalidate=300, stale_if_error=DAY)
# One video: its counters move with every like; half a minute behind is fine to look at.
VIDEO = CachePolicy(max_age=15, s_maxage=30, stale_while_revalidate=60, stale_if_error=DAY)
# Comments: a new comment should show soon to the other viewers (the author's own app adds
# it at once from the POST answer).
COMMENTS = CachePolicy(max_age=5, s_maxage=10, stale_while_revalidate=30, stale_if_error=DAY)
# A profile, a creator's videos, a hashtag, follower lists: slower-moving.
PROFILE = CachePolicy(max_age=30, s_maxage=60, stale_while_revalidate=300, stale_if_error=DAY)
PEOPLE_LIST = CachePolicy(max_age=15, s_maxage=30, stale_while_revalidate=120, stale_if_error=DAY)


# The gift catalogue and the coin packages: change when an operator edits them.
CATALOGUE = CachePolicy(max_age=60, s_maxage=300, stale_while_revalidate=600, stale_if_error=DAY)

# Trending: what chalicelib.trending.cache_control answers at the default 5-minute refresh
# (the answers carry the configured period's header; this is the declared class).
TRENDING = CachePolicy(max_age=60, s_maxage=300, stale_while_revalidate=300, stale_if_error=DAY)
# Search answers (first page): results move with new uploads and counters, slowly enough.
SEARCH = CachePolicy(max_age=30, s_maxage=60, stale_while_revalidate=300, stale_if_error=DAY)
# The redirect from a spelling to its normal form never changes.
CANONICAL_REDIRECT = CachePolicy(max_age=86400, s_maxage=86400, stale_while_revalidate=86400,
                                 stale_if_error=DAY)
