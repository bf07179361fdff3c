"""Search (issue 16): videos by their words, people by their names, hashtags by prefix.

- `query`: what a typed query normalises to (the cache key and the cursor scope).
- `service`: the pages, each one statement (repo/search.py), with signed ranked cursors.

No HTTP here: chalice_app/search.py redirects a query to its normal form and caches answers.
"""
