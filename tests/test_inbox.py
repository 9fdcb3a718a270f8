"""The inbox: a stable new file is ingested by a child process; a bad file is logged once and left alone."""
import asyncio
import os
import shutil
from pathlib import Path

import pytest

from bot.jobs import InboxWatcher
from briefs.store import Store

SEED = Path(__file__).parent / "fixtures" / "000_b658156dfc43a267.txt"


class CountingWatcher(InboxWatcher):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.passes = []

    async def ingest(self, paths):
        self.passes.append(sorted(p.name for p in paths))
        return await super().ingest(paths)


@pytest.fixture
def setup(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "store.db"
    store = Store(db)
    watcher = CountingWatcher(store, inbox, db)
    yield inbox, store, watcher
    store.close()


def tick(watcher):
    asyncio.run(watcher.job())


def test_a_dropped_file_is_ingested_once_it_is_stable(setup):
    inbox, store, watcher = setup
    shutil.copy(SEED, inbox / "a.txt")
    tick(watcher)
    assert watcher.passes == [] and store.max_seq() == 0  # seen once: maybe still being written
    tick(watcher)
    assert watcher.passes == [["a.txt"]] and store.max_seq() == 1
    tick(watcher)
    assert watcher.passes == [["a.txt"]]  # not read again
    status = store.db.execute("select status from inbox_files").fetchall()
    assert status == [("ingested",)]


def test_a_file_still_growing_waits(setup):
    inbox, store, watcher = setup
    target = inbox / "b.txt"
    target.write_text(SEED.read_text()[:200])
    tick(watcher)
    with target.open("a") as out:
        out.write(SEED.read_text()[200:])
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 1_000_000))
    tick(watcher)
    assert watcher.passes == []
    tick(watcher)
    assert watcher.passes == [["b.txt"]] and store.max_seq() == 1


def test_a_bad_file_is_logged_once_and_not_retried_until_it_changes(setup, caplog):
    inbox, store, watcher = setup
    (inbox / "empty.txt").write_text("")
    tick(watcher)
    with caplog.at_level("WARNING"):
        tick(watcher)
    assert watcher.passes == [["empty.txt"]]
    assert sum("empty.txt" in r.getMessage() for r in caplog.records) == 1
    row = store.db.execute("select status, detail from inbox_files").fetchone()
    assert row[0] == "failed" and "empty" in row[1].lower()
    tick(watcher)
    tick(watcher)
    assert watcher.passes == [["empty.txt"]]
    shutil.copy(SEED, inbox / "empty.txt")  # fixed: read again
    tick(watcher)
    tick(watcher)
    assert watcher.passes[-1] == ["empty.txt"] and store.max_seq() == 1


def test_a_crashed_child_records_nothing_so_the_files_are_read_again(setup, tmp_path):
    inbox, store, watcher = setup
    crashing = tmp_path / "crashing-python"
    crashing.write_text("#!/bin/sh\necho 'Traceback: sqlite3.OperationalError' >&2\nexit 3\n")
    crashing.chmod(0o755)
    real_python, watcher.python = watcher.python, str(crashing)
    shutil.copy(SEED, inbox / "a.txt")
    tick(watcher)
    tick(watcher)  # stable now: handed to the child, which crashes
    assert watcher.passes == [["a.txt"]] and store.max_seq() == 0
    assert store.db.execute("select count(*) from inbox_files").fetchone()[0] == 0  # not marked as ingested
    watcher.python = real_python
    tick(watcher)
    tick(watcher)
    assert watcher.passes == [["a.txt"], ["a.txt"]] and store.max_seq() == 1
