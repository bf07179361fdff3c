"""The trending refresh on a schedule (TRENDING_RATE_MINUTES, five minutes by default).

The rate is read from the environment when the module is imported: Chalice needs it to
build the schedule, and it is a plain variable read (settings() touches nothing else).
"""
from __future__ import annotations

from chalice import Blueprint, Rate

from ..config import settings

jobs = Blueprint(__name__)


@jobs.schedule(Rate(settings().trending_rate_minutes, unit=Rate.MINUTES), name="trending_refresh")
def refresh_trending(event):
    from .. import observability
    from ..search import hashtags as search_hashtags
    from ..trending import writer

    result = writer.refresh()
    observability.trending_refresh(result.total_s * 1000, len(result.written))
    # Hashtag completion's counts move at trending's pace (issue 16).
    hashtags = search_hashtags.refresh_hashtags()
    return {"search_hashtags": hashtags, "generated_at": result.generated_at, "written": len(result.written),
            "unchanged": len(result.unchanged), "total_ms": round(result.total_s * 1000)}
