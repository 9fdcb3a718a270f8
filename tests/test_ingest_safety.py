"""Issue 15, ingest holes: no article lost to another's correction, a locked store is not a bad file,
and names a correction removed leave /who. Real SQLite files, the real CLI and inbox child."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlite_utils

from bot.jobs import InboxWatcher
from briefs.ingest import ingest_paths
from briefs.replies import Replies
from briefs.store import Store, StoreBusy, content_hash, migrations
from cli_helper import run_cli
from digest_helpers import make_article


def write_jsonl(path: Path, **record) -> Path:
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def stored(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select outlet, url, title, body from articles order by id").fetchall()


MORNING = {"published": "2025-08-08T07:00:00+00:00"}


# -- hole 1: two articles with different URLs are never one article ----------------------


def test_two_outlets_same_generic_title_and_date_are_two_articles_for_good(tmp_path):
    db = tmp_path / "store.db"
    a = write_jsonl(tmp_path / "a.jsonl", title="Morning briefing", source="Outlet A", url="https://a.example/1",
                    text="Outlet A's morning: the council met and the harbour reopened.", **MORNING)
    b = write_jsonl(tmp_path / "b.jsonl", title="Morning Briefing", source="Outlet B", url="https://b.example/2",
                    text="Outlet B's morning: rain is expected and the rail strike goes on.", **MORNING)
    first = run_cli("ingest", a, b, db=db)
    assert first.returncode == 0, first.stderr
    assert "2 added, 0 replaced" in first.stdout
    again = run_cli("ingest", a, db=db)
    assert "1 unchanged" in again.stdout
    assert [(row[0], row[1]) for row in stored(db)] == [("Outlet A", "https://a.example/1"),
                                                        ("Outlet B", "https://b.example/2")]


def test_the_same_wire_copy_at_two_urls_is_two_articles(tmp_path):
    db = tmp_path / "store.db"
    text = "The central bank held its rate at 4 percent, its governor said on Friday."
    a = write_jsonl(tmp_path / "a.jsonl", title="Rates held", source="Outlet A", url="https://a.example/rates",
                    text=text, **MORNING)
    b = write_jsonl(tmp_path / "b.jsonl", title="Rates held", source="Outlet B", url="https://b.example/rates",
                    text=text, **MORNING)
    done = run_cli("ingest", a, b, db=db)
    assert "2 added" in done.stdout, done.stdout
    assert len(stored(db)) == 2


def test_without_urls_only_the_same_outlet_title_and_date_is_a_correction(tmp_path):
    db = tmp_path / "store.db"
    a = write_jsonl(tmp_path / "a.jsonl", title="Live updates", source="Outlet A", text="A: first version.", **MORNING)
    b = write_jsonl(tmp_path / "b.jsonl", title="Live updates", source="Outlet B", text="B: other news.", **MORNING)
    assert "2 added" in run_cli("ingest", a, b, db=db).stdout
    write_jsonl(a, title="Live updates", source="Outlet A", text="A: corrected version.", **MORNING)
    fixed = run_cli("ingest", a, db=db)
    assert "1 replaced" in fixed.stdout, fixed.stdout
    assert [row[3] for row in stored(db)] == ["A: corrected version.", "B: other news."]


def test_a_store_where_one_outlet_had_replaced_another_takes_the_lost_article_back(tmp_path):
    """Written by the previous schema and code: B replaced A, and A's hash was kept as 'superseded'."""
    db_path = tmp_path / "old.db"
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="m006_delivery_safety")
    old["articles"].insert({"id": 1, "seq": 1, "source_id": "b:1", "source": "b.jsonl", "outlet": "Outlet B",
                            "url": "https://b.example/2", "title": "Morning Briefing",
                            "published": "2025-08-08T07:00:00+00:00", "lede": "", "headings": "[]",
                            "body": "B", "content_hash": "b-hash", "ingested_at": "2025-08-08T08:00:00+00:00"})
    store = Store(db_path, db=old)
    lost = make_article(1, "Morning briefing", "Outlet A's morning.", url="https://a.example/1", outlet="Outlet A")
    old.execute("insert into superseded (content_hash, article_id) values (?, 1)",
                [content_hash(lost)])
    old.conn.commit()
    assert not store.is_stored(lost)
    assert store.upsert_article(lost).action == "added"
    assert store.db.execute("select count(*) from articles").fetchone()[0] == 2
    store.close()


# -- hole 2: a locked store is not a bad file -----------------------------------------------


def hold_write_lock(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_locked_store_is_reported_as_busy_not_as_a_bad_file(tmp_path):
    db = tmp_path / "store.db"
    store = Store(db)
    store.db.execute("PRAGMA busy_timeout = 200")
    files = [write_jsonl(tmp_path / f"{n}.jsonl", title=f"Story {n}", url=f"https://x.example/{n}",
                         text=f"Story {n} happened today.") for n in (1, 2)]
    lock = hold_write_lock(db)
    errors, busy = [], []
    report = ingest_paths(store, files, on_error=errors.append, on_busy=busy.append)
    lock.rollback()
    assert report.failed == 0 and not errors
    assert report.busy == 2 and len(busy) == 2 and all("busy" in line for line in busy)
    assert "not stored" in report.summary() and "busy" in report.summary()
    again = ingest_paths(store, files)
    assert (again.added, again.busy, again.failed) == (2, 0, 0)
    store.close()


def test_the_inbox_retries_a_file_the_store_was_too_busy_to_take(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "store.db"
    store = Store(db)
    write_jsonl(inbox / "story.jsonl", title="Harbour reopens", url="https://x.example/h", text="The harbour reopened.")
    watcher = InboxWatcher(store, inbox, db)
    asyncio.run(watcher.job())  # first pass: seen, not yet stable
    lock = hold_write_lock(db)  # a backup or an operator's sqlite3 session, past the busy timeout
    try:
        asyncio.run(watcher.job())
    finally:
        lock.rollback()
        lock.close()
    assert store.db.execute("select count(*) from articles").fetchone()[0] == 0
    assert store.db.execute("select count(*) from inbox_files where status = 'failed'").fetchone()[0] == 0
    for _ in range(3):  # the file has not changed; it is read again on a later pass
        asyncio.run(watcher.job())
    assert store.db.execute("select title from articles").fetchall() == [("Harbour reopens",)]
    assert store.db.execute("select status from inbox_files").fetchall() == [("ingested",)]
    store.close()


# -- hole 8: names a correction removed leave /who ------------------------------------------


def test_a_speaker_renamed_by_a_correction_leaves_who(tmp_path):
    db = tmp_path / "store.db"
    bot_store = Store(db)
    replies = Replies(bot_store)
    ingest = Store(db)  # the inbox child writes through its own connection
    ingest.upsert_article(make_article(1, "Dam repairs", "Repairs ended.", url="https://x.example/dam",
                                       quotes=[("The dam is safe", "Jon Smithers", "direct")]))
    assert "The dam is safe" in replies.answer("who", "Jon Smithers")[0].text
    ingest.upsert_article(make_article(1, "Dam repairs", "Repairs ended, a week late.", url="https://x.example/dam",
                                       quotes=[("The dam is safe", "Maria Kowalski", "direct")]))
    [answer] = replies.answer("who", "Jon Smithers")
    assert "No one called" in answer.text and "nothing from" not in answer.text
    assert all("Smithers" not in button.label for row in answer.buttons for button in row)
    assert "The dam is safe" in replies.answer("who", "Maria Kowalski")[0].text
    assert "nothing from" not in replies.answer("who", "Smithers")[0].text
    ingest.close()
    bot_store.close()


# -- a store locked while it is opened (and migrated) ---------------------------------------


def store_of_the_previous_schema(db: Path) -> None:
    """A store as the schema before m009 (following people) wrote it, with one article: opening it with this
    code migrates it."""
    old = sqlite_utils.Database(db)
    migrations.apply(old, stop_before="m009_follows")
    assert "follows" not in old.table_names()
    old["articles"].insert({"id": 1, "seq": 1, "title": "Dam repairs", "body": "Repairs ended.", "content_hash": "h1",
                            "url": "https://x.example/dam", "ingested_at": "2025-01-01T00:00:00+00:00"})
    old.close()


def hold_exclusive_lock(db: Path) -> sqlite3.Connection:
    """What `sqlite3 store.db` with `begin exclusive;` typed in does to everyone else."""
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)  # a timer may release it
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def test_opening_a_store_to_migrate_it_waits_for_a_lock_released_within_the_busy_timeout(tmp_path):
    db = tmp_path / "store.db"
    store_of_the_previous_schema(db)
    lock = hold_exclusive_lock(db)
    release = threading.Timer(1.0, lock.rollback)  # an operator's short sqlite3 session
    release.start()
    try:
        store = Store(db)
    finally:
        release.join()
        lock.close()
    assert "follows" in store.db.table_names() and store.db["articles"].count == 1
    store.close()


@pytest.mark.parametrize("kind", ["new", "previous-schema"])
def test_a_store_locked_past_the_busy_timeout_while_opening_says_it_is_busy(tmp_path, kind):
    db = tmp_path / "store.db"
    if kind == "previous-schema":
        store_of_the_previous_schema(db)
    lock = hold_exclusive_lock(db)  # on a new path, sqlite3 creates the empty file and holds it
    try:
        with pytest.raises(StoreBusy) as caught:
            Store(db, busy_timeout=0.3)
    finally:
        lock.rollback()
        lock.close()
    assert str(caught.value) == f"the store {db} is busy (locked by another process); try again"
    store = Store(db)  # nothing half-done: once the lock is gone it opens and migrates
    assert "follows" in store.db.table_names()
    store.close()


BUSY_COMMANDS = {
    "ingest": ["ingest", "{article}"],
    "ask": ["ask", "/latest"],
    "run": ["run"],  # with a token: the store is opened before the Bot API is called
}


@pytest.mark.parametrize("command", list(BUSY_COMMANDS))
def test_a_command_on_a_store_locked_while_it_migrates_ends_with_one_line_not_a_traceback(tmp_path, command):
    db = tmp_path / "store.db"
    store_of_the_previous_schema(db)
    article = write_jsonl(tmp_path / "new.jsonl", title="Harbour reopens", url="https://x.example/h",
                          text="The harbour reopened.")
    args = [a.format(article=article) for a in BUSY_COMMANDS[command]]
    lock = hold_exclusive_lock(db)
    try:  # past the 10 s busy timeout
        done = run_cli(*args, db=db, NEWSBRIEF_TELEGRAM_TOKEN="123:TESTTOKEN",
                       NEWSBRIEF_TELEGRAM_API_URL="http://127.0.0.1:9/bot")
    finally:
        lock.rollback()
        lock.close()
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output, output
    assert done.stderr.strip().splitlines() == [
        f"error: the store {db} is busy (locked by another process); try again"], output
    assert stored(db) == [(None, "https://x.example/dam", "Dam repairs", "Repairs ended.")]  # nothing went in
