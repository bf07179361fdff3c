#!/usr/bin/env python3
"""TrendKe's command line for the local stack and operators.

    python manage.py migrate | reconcile-counters | seed-demo | token USER_ID | db-url
                     | refresh-trending | ledger-check | refresh-leaderboard | dev | db-stop

With DATABASE_URL unset, every command uses the embedded Postgres in .local/pgdata.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import time

import click

from chalicelib import config


def _database_url(dbname: str = "trendke") -> str:
    from devtools import local_db

    url = local_db.database_url(dbname)
    os.environ["DATABASE_URL"] = url
    config.reset()
    return url


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, prepare_threshold=None)


@click.group()
def cli() -> None:
    """TrendKe edge API: local stack and operations."""


@cli.command("db-url")
def db_url() -> None:
    """Print the database URL (starting the embedded Postgres if DATABASE_URL is unset)."""
    click.echo(_database_url())


@cli.command("db-stop")
def db_stop() -> None:
    """Stop the embedded Postgres (its data stays in .local/pgdata)."""
    from devtools import local_db

    local_db.stop()
    click.echo("embedded Postgres stopped")


@cli.command()
def migrate() -> None:
    """Apply the SQL migrations the database lacks."""
    from chalicelib.migrate import migrate as run_migrations

    with _connect(_database_url()) as conn:
        applied = run_migrations(conn)
    click.echo(f"applied: {', '.join(applied)}" if applied else "database is up to date")


@cli.command("reconcile-counters")
@click.option("--batch", default=1_000, show_default=True, help="Rows locked per transaction.")
def reconcile_counters(batch: int) -> None:
    """Recompute every videos.*_count and users.followers/following_count from the event rows.

    Batches of short transactions (safe while both backends write); prints the drift found.
    """
    from chalicelib.engagement import reconcile
    from chalicelib.repo.reconcile import TABLES

    _database_url()
    for kind, table in TABLES.items():
        with click.progressbar(length=max(reconcile.row_estimate(kind), 1), label=table,
                               file=sys.stderr) as bar:
            drift = reconcile.reconcile_all(kind, batch=batch, progress=bar.update)
        click.echo(f"{table}: {drift.checked:,} rows checked, {drift.drifted:,} drifted")
        for name, off in sorted(drift.counters.items()):
            click.echo(f"  {name}_count: {off['rows']:,} rows off by {off['abs']:,} in all"
                       f" (net {off['net']:+,}: expected - stored)")


@cli.command("seed-demo")
@click.option("--users", default=200, show_default=True)
@click.option("--videos", default=2_000, show_default=True)
@click.option("--likes", default=20_000, show_default=True)
@click.option("--comments", default=4_000, show_default=True)
@click.option("--follows", default=3_000, show_default=True)
@click.option("--if-empty", is_flag=True, help="Seed only when the database holds no videos.")
def seed_demo(users: int, videos: int, likes: int, comments: int, follows: int, if_empty: bool) -> None:
    """Add demo users, videos, likes, comments and follows spread over 30 days."""
    from devtools.seed import SeedSizes, _steps, has_videos, seed

    sizes = SeedSizes(users, videos, likes, comments, follows)
    with _connect(_database_url()) as conn:
        if if_empty and has_videos(conn):
            click.echo("database already holds videos: not seeding")
            return
        started = time.perf_counter()
        with click.progressbar(length=len(_steps(sizes)), label="seeding") as bar:
            seed(conn, sizes, on_step=lambda name: bar.update(1))
    click.echo(f"seeded {sizes} in {time.perf_counter() - started:.1f}s")


@cli.command()
@click.argument("user_id")
@click.option("--ttl", default=86400, show_default=True, help="Lifetime in seconds.")
def token(user_id: str, ttl: int) -> None:
    """Mint a dev-stage HS256 token for USER_ID (a users.id uuid)."""
    from chalicelib.auth import mint_token

    secret = os.environ.get("JWT_SECRET") or config.DEV_JWT_SECRET
    click.echo(mint_token(user_id, secret, ttl_s=ttl))


@cli.command("demo-user")
def demo_user() -> None:
    """Print the id of a seeded demo user (to mint a token for)."""
    with _connect(_database_url()) as conn:
        row = conn.execute("SELECT id, username FROM users ORDER BY created_at, id LIMIT 1").fetchone()
    if not row:
        raise click.ClickException("no users yet: run seed-demo")
    click.echo(f"{row[0]} {row[1]}")


@cli.command("refresh-trending")
def refresh_trending() -> None:
    """Compute the trending lists and write them to the bucket (or the local folder)."""
    from chalicelib.trending import writer

    _database_url()
    click.echo(writer.refresh().summary())


@cli.command("ledger-check")
@click.option("--limit", default=1000, show_default=True, help="discrepancies printed at most, per kind")
def ledger_check(limit: int) -> None:
    """Prove the books balance: every transaction sums to zero, every cached balance
    (users.coin_balance, users.total_earnings) equals its entries. Exit 1 on a discrepancy."""
    from chalicelib.gifts import audit

    _database_url()
    report = audit.check(limit)
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)


@cli.command("refresh-leaderboard")
def refresh_leaderboard() -> None:
    """Compute the gift leaderboards and write them to the store."""
    from chalicelib.gifts import leaderboard

    _database_url()
    click.echo(leaderboard.refresh())


def _every(seconds: float, name: str, job, stop: threading.Event) -> None:
    """`make dev`'s stand-in for a deployed schedule: run `job` in the background until `stop`."""

    def loop() -> None:
        while not stop.wait(seconds):
            try:
                job()
            except Exception as exc:  # keep serving; the next round may succeed
                click.echo(f"{name} failed: {exc}", err=True)

    threading.Thread(target=loop, name=name, daemon=True).start()


def _start_schedules(stop: threading.Event) -> None:
    """The deployed schedules, faster: counts and trending stay fresh while you click around."""
    from chalicelib.engagement import counters, reconcile
    from chalicelib.gifts import leaderboard
    from chalicelib.live import sweep
    from chalicelib.notifications import materialise, retention, service
    from chalicelib.payments import recheck
    from chalicelib.trending import writer
    from chalicelib.uploads import lifecycle

    _every(10, "counter fold", counters.fold, stop)
    _every(2, "notifications", lambda: (materialise.materialise(), service.continue_read_alls(1.0)), stop)
    _every(3600, "notifications prune", retention.prune, stop)
    _every(600, "counter reconcile", reconcile.reconcile_recent, stop)
    _every(60, "trending refresh", writer.refresh, stop)
    _every(600, "uploads sweep", lifecycle.sweep, stop)
    _every(60, "gift leaderboard", leaderboard.refresh, stop)
    _every(120, "payments re-check", recheck.run, stop)
    _every(30, "live sweep", sweep.end_hostless, stop)


def _reset_stale_demo_database() -> None:
    """A local demo database made before the API ran on the live schema (its comments in
    `content`) cannot be migrated to it: it only holds demo data, so it is made anew."""
    if os.environ.get("DATABASE_URL"):
        return  # never touch a database the operator named
    from devtools import local_db

    with _connect(_database_url()) as conn:
        stale = conn.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = 'video_comments' AND column_name = 'content'").fetchone()
    if stale:
        click.echo("local demo database predates the live schema: making it anew")
        local_db.ensure_database(local_db.embedded_admin_url(), "trendke", recreate=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "8000")), show_default="8000 or $PORT")
@click.option("--environments", default=8, show_default=True, help="Concurrent execution environments.")
def dev(host: str, port: int, environments: int) -> None:
    """Run the local stack: database, migrations, demo data when empty, `chalice local`
    and the live WebSocket gateway behind one address."""

    ctx = click.get_current_context()
    # One folder for the refresh here and the server's reads, whatever the server's cwd.
    os.environ.setdefault("TRENDING_LOCAL_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), ".local", "trending-store"))
    config.reset()
    _reset_stale_demo_database()
    ctx.invoke(migrate)
    ctx.invoke(seed_demo, users=200, videos=2_000, likes=20_000, comments=4_000, follows=3_000, if_empty=True)
    ctx.invoke(refresh_trending)
    stop = threading.Event()
    _start_schedules(stop)
    # HTTP on an inner port, the live WebSocket gateway on another, one front door on `port`
    # for both (the frontend derives ws://host:port/ws/live/... from VITE_API_URL).
    from devtools.front_door import FrontDoor
    from devtools.local_server import build
    from devtools.ws_gateway import LocalWebSocketGateway

    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    http = build("127.0.0.1", 0, stage="dev", environments=environments)
    gateway = LocalWebSocketGateway(environments=environments).start()
    door = FrontDoor(host, port, http.server.server_address[1], gateway.port).start()
    click.echo(f"serving TrendKe API on http://{host}:{port} and its live socket on "
               f"ws://{host}:{port}/ws/live/{{session_id}} (Ctrl-C stops)")
    try:
        http.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        door.stop()
        gateway.stop()


if __name__ == "__main__":
    cli()
