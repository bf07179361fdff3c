"""CloudFront invalidations: what must leave the edge caches when content is removed.

One `create_invalidation` per removal, all its paths in one batch (CloudFront bills per path
and runs at most 15 wildcard paths at once per distribution, so the wildcards are few and
shared). Without CLOUDFRONT_DISTRIBUTION_ID (the local stack, the tests by default) it is a
no-op that says so. boto3 is imported on first use.
"""
from __future__ import annotations

import logging
import time
import uuid
from typing import Any, Iterable, List, Optional

from ..config import settings

log = logging.getLogger("trendke.cdn")
MAX_PATHS = 3000  # CloudFront's limit per invalidation batch

_client: Any = None


def paths_for_videos(video_ids: Iterable[str]) -> List[str]:
    """The trending reads and objects, the search answers and the cached single-video reads."""
    prefix = "/" + settings().trending_prefix.strip("/")
    paths = ["/v1/trending*", "/videos/trending/*", prefix + "/*", "/v1/search/*"]
    for video_id in video_ids:
        paths.append(f"/v1/videos/{video_id}")
    return paths


def _cloudfront() -> Any:
    global _client
    if _client is None:
        import boto3
        from botocore.config import Config

        _client = boto3.client("cloudfront", config=Config(connect_timeout=2, read_timeout=5,
                                                           retries={"max_attempts": 3}))
    return _client


def forget() -> None:
    """Drop the client (tests and moto)."""
    global _client
    _client = None


def invalidate(paths: List[str], reference: Optional[str] = None) -> Optional[List[str]]:
    """Invalidate `paths` (de-duplicated, in batches of MAX_PATHS); the invalidation ids, or
    None when no distribution is configured. The same `reference` and paths again (a retry)
    get CloudFront's answer for the first request instead of a second invalidation."""
    distribution = settings().cloudfront_distribution_id
    unique = list(dict.fromkeys(paths))
    if not distribution:
        log.info("no CLOUDFRONT_DISTRIBUTION_ID: skipped invalidating %d paths", len(unique))
        return None
    ids = []
    reference = reference or f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
    for start in range(0, len(unique), MAX_PATHS):
        batch = unique[start:start + MAX_PATHS]
        answer = _cloudfront().create_invalidation(
            DistributionId=distribution,
            InvalidationBatch={"Paths": {"Quantity": len(batch), "Items": batch},
                               "CallerReference": f"trendke-{reference}-{start // MAX_PATHS}"},
        )
        ids.append(answer["Invalidation"]["Id"])
    return ids
