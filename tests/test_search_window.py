"""Video search's window (repo/search.py, migration 0068): a common word scores only the
matches at least as hot as the floor, and the answer is the same as scoring every match,
page after page, whatever the floor (stale, too high, absent), with hidden videos left out."""
from __future__ import annotations

import json

from chalicelib.repo import search as repo
from chalicelib.search import service
from tests.support.feed_rows import insert_video


def _walk(client, q, limit=4) -> list:
    pages, cursor = [], None
    while True:
        path = f"/v1/search/videos?q={q}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        answer = client.http.get(path)
        assert answer.status_code == 200
        body = json.loads(answer.body)
        pages.append([i["id"] for i in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def _floor(sql, value) -> None:
    sql("DELETE FROM search_window")
    if value is not None:
        sql("INSERT INTO search_window (hotness_floor) VALUES (%s)", (value,))


def _hotness(sql) -> list:
    return [r["h"] for r in sql(f"SELECT {repo.HOTNESS} AS h FROM videos v ORDER BY 1 DESC")]


def test_every_floor_gives_the_same_pages(sql, make_user, client):
    owner, suspended = make_user(), make_user()
    for i in range(18):  # title matches, description matches, old and new, quiet and liked
        insert_video(sql, owner["id"], title="Chai time" if i % 3 else "Morning",
                     description="chai na mandazi", minutes=60 * 24 * 3 * i, likes_count=(i * 37) % 200)
    hot_hidden = [
        insert_video(sql, owner["id"], title="Chai hidden", minutes=10 ** 6, likes_count=10 ** 6,
                     taken_down_at="2026-11-01"),
        insert_video(sql, suspended["id"], title="Chai banned", minutes=10 ** 6, likes_count=10 ** 6),
    ]
    sql("UPDATE users SET suspended_at = now() WHERE id = %s", (suspended["id"],))
    _floor(sql, None)
    exact = _walk(client, "chai")
    assert sum(len(p) for p in exact) == 18 and len(exact) == 5
    hotness = _hotness(sql)
    # The hidden ones are the hottest rows: the window holds them, the answer never does.
    for floor in (hotness[1], hotness[3], hotness[8], hotness[15], hotness[-1], 10.0 ** 9, float("-inf")):
        _floor(sql, floor)
        assert _walk(client, "chai") == exact, floor
    assert not {str(v["id"]) for v in hot_hidden} & {i for p in exact for i in p}


def test_the_job_sets_the_floor_at_the_window_size(sql, make_user, client, monkeypatch):
    owner = make_user()
    for i in range(6):
        insert_video(sql, owner["id"], title=f"Sukuma {i}", minutes=i * 600, likes_count=i)
    insert_video(sql, owner["id"], title="Sukuma pending", status="pending", minutes=10 ** 6)
    monkeypatch.setattr(repo, "WINDOW_SIZE", 4)
    before = _walk(client, "sukuma", limit=2)
    service.refresh_hashtags()
    listed = [r["h"] for r in sql(f"SELECT {repo.HOTNESS} AS h FROM videos v WHERE status = 'ready'"
                                  " ORDER BY 1 DESC")]
    assert sql("SELECT hotness_floor FROM search_window")[0]["hotness_floor"] == listed[3]
    assert _walk(client, "sukuma", limit=2) == before
    # Fewer ready videos than the window: no floor, every match is in the window.
    monkeypatch.setattr(repo, "WINDOW_SIZE", 50)
    service.refresh_hashtags()
    assert sql("SELECT hotness_floor FROM search_window")[0]["hotness_floor"] == float("-inf")
    assert _walk(client, "sukuma", limit=2) == before


def test_a_page_is_one_statement_whichever_branch_answers(sql, make_user, client, database_url):
    """An attacker looping over common words costs one statement per request (and the
    window bounds what it scores); a rare word falls back within the same statement."""
    import psycopg

    owner = make_user()
    for i in range(12):
        insert_video(sql, owner["id"], title="Pilau feast", minutes=i * 60, likes_count=i)
    _floor(sql, _hotness(sql)[5])
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        for q in ("pilau", "nothingmatches"):
            conn.execute("SELECT pg_stat_statements_reset()")
            assert client.http.get(f"/v1/search/videos?q={q}&limit=3").status_code == 200
            calls = conn.execute("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
                                 " WHERE query ILIKE '%%trendke_video_document%%'"
                                 " AND query NOT ILIKE '%%pg_stat_statements%%'").fetchone()[0]
            assert calls == 1, q
