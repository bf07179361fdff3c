"""Where the trending objects live: one interface, two backends.

`S3Store` (TRENDING_BUCKET set) is production; `LocalStore` (no bucket) writes the same
objects to a folder for the local stack and the tests. Both answer conditional reads, so a
reader holding a copy pays only a "not modified" for an unchanged object.

boto3 is imported on first use (cold starts; the Lambda runtime provides it).
"""
from __future__ import annotations

import hashlib
import os
import threading
from typing import Any, Dict, Optional, Union

import msgspec

from ..config import settings

CONTENT_TYPE = "application/json"
HASH_METADATA = "content-sha256"  # S3 user metadata: x-amz-meta-content-sha256


class StoreUnavailable(Exception):
    """The store could not be reached or answered with an error (not "no such object")."""


class _NotModified:
    def __repr__(self) -> str:
        return "NOT_MODIFIED"


NOT_MODIFIED = _NotModified()


class StoredObject(msgspec.Struct, frozen=True):
    body: bytes
    version: str  # the validator of a conditional read: S3's ETag, or the file's mtime+size
    content_hash: str
    cache_control: Optional[str]


ReadResult = Union[StoredObject, _NotModified, None]


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class LocalStore:
    """A folder: `<dir>/<prefix><key>`, each object written whole (temp file + rename)."""

    def __init__(self, directory: str, prefix: str = ""):
        from pathlib import Path  # the local store only (dev, tests): not on Lambda

        self.root = Path(directory)
        self.prefix = prefix

    def describe(self) -> str:
        return f"folder {self.root / self.prefix}"

    def _path(self, key: str) -> "Path":
        return self.root / (self.prefix + key)

    def read(self, key: str, if_none_match: Optional[str] = None) -> ReadResult:
        path = self._path(key)
        try:
            stat = path.stat()
            version = f"{stat.st_mtime_ns}-{stat.st_size}"
            if if_none_match == version:
                return NOT_MODIFIED
            body = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreUnavailable(f"{self.describe()}: {exc}") from exc
        return StoredObject(body, version, content_hash(body), None)

    def stored_hash(self, key: str) -> Optional[str]:
        try:
            return content_hash(self._path(key).read_bytes())
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreUnavailable(f"{self.describe()}: {exc}") from exc

    def write(self, key: str, body: bytes, *, digest: str, cache_control: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            temp.write_bytes(body)
            os.replace(temp, path)  # readers see the old object or the new one, never half
        except OSError as exc:
            raise StoreUnavailable(f"{self.describe()}: {exc}") from exc


class S3Store:
    """An S3 bucket: objects under `prefix`, with Content-Type, Cache-Control and the
    sha256 of the body in user metadata (S3's own ETag is not a content hash for every
    encryption mode)."""

    def __init__(self, bucket: str, prefix: str = "", client: Any = None):
        self.bucket = bucket
        self.prefix = prefix
        self._client = client

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            # Short timeouts and few retries: a reader holding a copy had rather serve it
            # than wait on a struggling S3.
            self._client = boto3.client(
                "s3",
                config=Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 2}),
            )
        return self._client

    @staticmethod
    def _status(exc: Exception) -> Optional[str]:
        response = getattr(exc, "response", None) or {}
        return str(response.get("Error", {}).get("Code") or "")

    def read(self, key: str, if_none_match: Optional[str] = None) -> ReadResult:
        args: Dict[str, Any] = {"Bucket": self.bucket, "Key": self.prefix + key}
        if if_none_match:
            args["IfNoneMatch"] = if_none_match
        try:
            answer = self.client.get_object(**args)
            body = answer["Body"].read()
        except Exception as exc:
            code = self._status(exc)
            if code in ("304", "NotModified"):
                return NOT_MODIFIED
            if code in ("NoSuchKey", "404"):
                return None
            raise StoreUnavailable(f"{self.describe()}{key}: {exc}") from exc
        digest = (answer.get("Metadata") or {}).get(HASH_METADATA) or content_hash(body)
        return StoredObject(body, answer["ETag"], digest, answer.get("CacheControl"))

    def stored_hash(self, key: str) -> Optional[str]:
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except Exception as exc:
            if self._status(exc) in ("NoSuchKey", "404", "NotFound"):
                return None
            raise StoreUnavailable(f"{self.describe()}{key}: {exc}") from exc
        return (answer.get("Metadata") or {}).get(HASH_METADATA)

    def write(self, key: str, body: bytes, *, digest: str, cache_control: str) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.prefix + key,
                Body=body,
                ContentType=CONTENT_TYPE,
                CacheControl=cache_control,
                Metadata={HASH_METADATA: digest},
            )
        except Exception as exc:
            raise StoreUnavailable(f"{self.describe()}{key}: {exc}") from exc


Store = Union[LocalStore, S3Store]

_lock = threading.Lock()
_stores: Dict[tuple, Store] = {}


def from_settings() -> Store:
    """This environment's store: S3 when TRENDING_BUCKET is set, else the local folder."""
    cfg = settings()
    key = (cfg.trending_bucket, cfg.trending_prefix, cfg.trending_local_dir)
    store = _stores.get(key)
    if store is None:
        with _lock:
            store = _stores.get(key)
            if store is None:
                if cfg.trending_bucket:
                    store = S3Store(cfg.trending_bucket, cfg.trending_prefix)
                else:
                    store = LocalStore(cfg.trending_local_dir, cfg.trending_prefix)
                _stores[key] = store
    return store


def forget() -> None:
    """Drop the stores (and their S3 clients) of this environment: tests and moto."""
    with _lock:
        _stores.clear()
