"""Cloudinary delivery URLs for a video's public id, built locally by the SDK (no network).

The SDK costs about 100 ms to import, so it is imported on the first URL built, and
configured once per execution environment from CLOUDINARY_URL.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Optional
from urllib.parse import urlsplit

import msgspec

from .config import settings

_lock = threading.Lock()
_configured_for: Optional[tuple] = None

# A frame one second in: the first frame of a short video is often black.
POSTER_OFFSET_S = "1"


class CloudinaryAccount(msgspec.Struct, frozen=True):
    cloud_name: str
    api_key: str
    api_secret: str


def account() -> CloudinaryAccount:
    """The account in CLOUDINARY_URL (`cloudinary://key:secret@cloud`)."""
    url = settings().cloudinary_url
    if not url:
        raise RuntimeError("CLOUDINARY_URL is not configured")
    parts = urlsplit(url)
    if parts.scheme != "cloudinary" or not parts.hostname or not parts.username:
        raise RuntimeError("CLOUDINARY_URL must look like cloudinary://key:secret@cloud")
    return CloudinaryAccount(parts.hostname, parts.username, parts.password or "")


def sdk():
    """The cloudinary module, configured for this environment's account."""
    global _configured_for
    import cloudinary

    cfg = settings()
    # Everything the SDK is configured from: a test or the CLI that changes one of them
    # gets a reconfigured SDK.
    key = (cfg.cloudinary_url, cfg.cloudinary_signature_algorithm, cfg.cloudinary_upload_prefix)
    if _configured_for != key:
        with _lock:
            acct = account()
            cloudinary.config(
                cloud_name=acct.cloud_name,
                api_key=acct.api_key,
                api_secret=acct.api_secret,
                secure=True,
                signature_algorithm=cfg.cloudinary_signature_algorithm,
                upload_prefix=cfg.cloudinary_upload_prefix,
            )
            _configured_for = key
    return cloudinary


# The renditions an upload asks Cloudinary to make at once (eager, asynchronously), so the
# first viewer does not wait: the HLS ladder `hls_url` plays, and the frame the poster is cut
# from (the cheap f_auto/q_auto image step on top of it is derived on first request).
EAGER_HLS = {"streaming_profile": "auto", "format": "m3u8"}
EAGER_POSTER = {"start_offset": POSTER_OFFSET_S, "format": "jpg"}


class MediaUrls(msgspec.Struct, frozen=True):
    video_url: str  # progressive MP4, format and quality chosen per device
    hls_url: str  # adaptive streaming, Cloudinary's automatic profile
    thumbnail_url: str  # poster image


def urls_for(public_id: str) -> MediaUrls:
    """The URLs of one video. The SDK takes about 0.4 ms per video for the three URLs, which
    would be most of a feed page's time, so they are remembered per account and public id
    (the hottest pages repeat the same videos on every request of a warm environment)."""
    return _urls_for(settings().cloudinary_url, public_id)


@lru_cache(maxsize=4096)
def _urls_for(account_url: Optional[str], public_id: str) -> MediaUrls:
    from cloudinary.utils import cloudinary_url

    sdk()
    common = {"resource_type": "video", "secure": True}
    return MediaUrls(
        video_url=cloudinary_url(
            public_id, format="mp4", transformation=[{"fetch_format": "auto", "quality": "auto"}], **common
        )[0],
        hls_url=cloudinary_url(public_id, format="m3u8", streaming_profile="auto", **common)[0],
        thumbnail_url=cloudinary_url(
            public_id,
            format="jpg",
            transformation=[{"start_offset": POSTER_OFFSET_S}, {"fetch_format": "auto", "quality": "auto"}],
            **common,
        )[0],
    )
