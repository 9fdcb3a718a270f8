"""kill -9 during `newsbrief ingest`, 20 times at seeded random moments: the store stays sound,
and finishing the ingest gives exactly the rows of an uninterrupted run."""
from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from briefs.benchgen import records, write_corpus
from cli_helper import cli_command, cli_env, run_cli, table_rows

KILLS = 20
ARTICLE_FILES = 240
JSONL_RECORDS = 60


def _corpus(folder):
    write_corpus(folder / "scraper", ARTICLE_FILES, seed=11)
    with open(folder / "wire.jsonl", "w", encoding="utf-8") as out:
        for article in records(JSONL_RECORDS, seed=12):
            out.write(json.dumps({"title": article.title, "text": article.text, "url": article.url,
                                  "published": article.published.isoformat(), "source": article.outlet}) + "\n")
    # a correction of an earlier file, later in the listing: replaced in place, id kept
    first = sorted((folder / "scraper").iterdir())[0]
    (folder / "zz_correction.txt").write_text(first.read_text(encoding="utf-8").replace(" also mentions ", " also recalls "),
                                              encoding="utf-8")


def _sound(db) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        if "articles" not in tables:
            assert not tables & {"quotes", "articles_fts"}  # killed during the first migration: all or nothing
            return
        assert {"articles_fts", "quotes_fts", "claims_fts", "superseded", "_sqlite_migrations"} <= tables
        for fts in ("articles_fts", "quotes_fts", "claims_fts"):
            conn.execute(f"insert into {fts}({fts}) values ('integrity-check')")  # raises if the index is corrupt
    finally:
        conn.close()


def _fts_counts(db) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {f"{fts}:{word}": conn.execute(f"select count(*) from {fts} where {fts} match ?", [word]).fetchone()[0]
                for fts in ("articles_fts", "quotes_fts", "claims_fts") for word in ("energy", "talks", "russia")}
    finally:
        conn.close()


def _wait_for_articles(db, target: int, process, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)  # never creates the file
            try:
                if conn.execute("select count(*) from articles").fetchone()[0] >= target:
                    return
            finally:
                conn.close()
        except sqlite3.Error:  # not created or not migrated yet
            pass
        time.sleep(0.002)


@pytest.mark.timeout(600)
def test_kill_9_during_ingest_loses_nothing_and_corrupts_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus)

    for name in ("ref", "probe", "crash"):
        (tmp_path / name).mkdir()
    started = time.monotonic()
    reference = run_cli("ingest", corpus, db=tmp_path / "ref" / "store.db", timeout=300)
    full_run = time.monotonic() - started
    assert reference.returncode == 0, reference.stderr
    assert "1 replaced" in reference.stdout
    started = time.monotonic()
    run_cli("ingest", corpus / "wire.jsonl", db=tmp_path / "probe" / "store.db", timeout=120)
    startup = min(time.monotonic() - started, full_run / 2)

    db = tmp_path / "crash" / "store.db"
    rng = random.Random(20250808)
    total = ARTICLE_FILES + JSONL_RECORDS
    # Where each kill lands: a few while the process starts (imports, migrations), the rest at
    # random points of the ingest itself, spread over all of it: once the store holds a random
    # number of articles (each run picks up what the last one left), plus up to 20 ms.
    plan = [("start", rng.uniform(0, startup)) for _ in range(4)]
    plan += [("articles", target) for target in sorted(rng.sample(range(1, total), KILLS - 4))]
    killed = 0
    for kind, value in plan:
        process = subprocess.Popen(cli_command("ingest", corpus), cwd=db.parent, env=cli_env(db),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        if kind == "start":
            time.sleep(value)
        else:
            _wait_for_articles(db, value, process)
            time.sleep(rng.uniform(0, 0.02))
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
        killed += process.returncode == -signal.SIGKILL
        assert b"Traceback" not in stderr
        if db.exists():
            _sound(db)
    assert killed >= KILLS * 3 // 4  # most runs really were cut short

    finish = run_cli("ingest", corpus, db=db, timeout=300)
    assert finish.returncode == 0, finish.stderr
    _sound(db)
    assert table_rows(db) == table_rows(tmp_path / "ref" / "store.db")  # ids and seqs included
    assert _fts_counts(db) == _fts_counts(tmp_path / "ref" / "store.db")
