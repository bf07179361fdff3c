"""Uploads: signing, starting an upload, verifying and applying a notification, deleting
with an asset destroy (loopback stand-in), and the sweep, on the big bench database.

Every row it makes is removed afterwards, so the dataset keeps its sizes (and is not reseeded).
"""
from __future__ import annotations

import json
import os
import statistics
import time
import uuid

import psycopg

from bench.dataset import bench_database
from chalicelib import config, db
from tests.support.cloudinary_kit import CloudinaryStandIn, body_text, signed_headers, upload_notification
from tests.support.pg_stats import count_statements

RUNS = 200


def _ms(samples):
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000


def _timed(fn, runs=RUNS):
    out = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    url = bench_database()
    stand_in = CloudinaryStandIn().start()
    os.environ.update({
        "CLOUDINARY_SIGNATURE_ALGORITHM": "sha256", "CLOUDINARY_UPLOAD_PREFIX": stand_in.prefix,
        "PUBLIC_BASE_URL": "https://api.trendke.test", "UPLOAD_MAX_PENDING": "1000",
        "UPLOAD_DAILY_CAP": "1000",
    })
    config.reset()
    from chalicelib.uploads import lifecycle, notifications, service, signing
    from chalicelib.schema.uploads import UploadRequest

    with psycopg.connect(url, autocommit=True) as conn:
        # The busiest uploaders: the limit query scans their recent rows.
        users = [str(r[0]) for r in conn.execute(
            "SELECT user_id FROM videos GROUP BY user_id ORDER BY count(*) DESC LIMIT %s", (RUNS,))]
    made = []
    try:
        now = int(time.time())
        sign = _timed(lambda i: signing.sign(str(uuid.uuid4()), now), 2000)
        print(f"sign upload params (SDK, sha256)   p50 {statistics.median(sign) * 1e6:7.1f} us")

        req = UploadRequest("Bench upload", "desc", ["nairobi", "bench"])
        service.start_upload(users[0], req)  # warm connection and SDK
        with count_statements(url) as counted:
            made.append(service.start_upload(users[1], req).video_id)
        start = _timed(lambda i: made.append(service.start_upload(users[i], req).video_id))
        p50, p95 = _ms(start)
        print(f"start upload (limits+insert+sign)  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms"
              f"  statements {counted.count}")

        public_ids = {vid: db.fetch_one("SELECT cloudinary_public_id AS p FROM videos WHERE id = %s",
                                        (vid,))["p"] for vid in made}
        bodies = [body_text(upload_notification(public_ids[vid])) for vid in made[:RUNS]]
        with count_statements(url) as counted:
            notifications.handle(bodies[0].encode(), {k.lower(): v for k, v in signed_headers(bodies[0]).items()})
        notify = _timed(lambda i: notifications.handle(
            bodies[i].encode(), {k.lower(): v for k, v in signed_headers(bodies[i]).items()}))
        p50, p95 = _ms(notify)
        print(f"notification verify+apply          p50 {p50:7.2f} ms  p95 {p95:7.2f} ms"
              f"  statements {counted.count}")
        dup = _timed(lambda i: notifications.handle(
            bodies[i].encode(), {k.lower(): v for k, v in signed_headers(bodies[i]).items()}))
        p50, p95 = _ms(dup)
        print(f"duplicate notification             p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")

        owners = {vid: db.fetch_one("SELECT user_id FROM videos WHERE id = %s", (vid,))["user_id"] for vid in made}
        delete = _timed(lambda i: lifecycle.delete_video(made[i], str(owners[made[i]])), 100)
        p50, p95 = _ms(delete)
        print(f"delete + destroy (loopback SDK)    p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")

        sweep = _timed(lambda i: lifecycle.sweep(), 20)
        p50, p95 = _ms(sweep)
        print(f"sweep, nothing due (100k videos)   p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    finally:
        stand_in.stop()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DELETE FROM videos WHERE title = 'Bench upload' AND cloudinary_public_id IS NOT NULL")
        db.close()
        print(json.dumps({"rows_removed": len(made) + 1}))
