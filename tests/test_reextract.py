"""`newsbrief reextract`: stored articles read again with the current extractor, in place: same ids
and sequence numbers (a digest counts nothing as new), parts replaced, resumable after an interruption."""
from __future__ import annotations

import shutil
import sqlite3

from cli_helper import SEED, run_cli

INVENTED = ("Harbour Fees Rise for Cruise Ships\n\n"
            "The harbour board raised docking fees on Monday.\n\n"
            '"Cruise lines will pay their fair share," said board chair Ines Duarte.\n')


def rows(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def ingested(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "harbour.txt").write_text(INVENTED, encoding="utf-8")
    db = tmp_path / "s.db"
    assert run_cli("ingest", folder, db=db).returncode == 0
    return db


def test_reextract_replaces_parts_and_keeps_ids_and_sequence(tmp_path):
    db = ingested(tmp_path)
    articles = rows(db, "select id, seq, content_hash from articles order by id")
    parts = rows(db, "select article_id, speaker, text, kind from quotes order by article_id, position")
    con = sqlite3.connect(db)
    con.execute("delete from quotes")  # as an older extractor might have left it
    con.execute("update claims set speaker = 'Nobody'")
    con.commit()
    con.close()
    done = run_cli("reextract", db=db)
    assert done.returncode == 0, done.stderr
    assert "re-extracted 2 article(s): 2 from their files" in done.stdout
    assert rows(db, "select id, seq, content_hash from articles order by id") == articles
    assert rows(db, "select article_id, speaker, text, kind from quotes order by article_id, position") == parts
    assert rows(db, "select count(*) from claims where speaker = 'Nobody'") == [(0,)]
    assert run_cli("ingest", tmp_path / "in", db=db).returncode == 0  # the same files again: nothing new
    assert rows(db, "select id, seq from articles order by id") == [(a, s) for a, s, _ in articles]


def test_reextract_without_the_files_rebuilds_from_the_stored_text(tmp_path):
    db = ingested(tmp_path)
    before = rows(db, "select speaker, kind from quotes where article_id = 2 order by position")
    shutil.rmtree(tmp_path / "in")
    done = run_cli("reextract", db=db)
    assert done.returncode == 0, done.stderr
    assert "2 from the stored text" in done.stdout
    assert rows(db, "select speaker, kind from quotes where article_id = 2 order by position") == before


def test_bullets_rebuilt_from_the_stored_text_keep_their_speaker(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "demands.txt").write_text(
        "Harbour Board Weighs New Fees\n\nThe harbour board met on Monday to weigh new fees for the port.\n\n"
        "Board chair Ines Duarte listed three demands:\nHigher fees for cruise ships\n"
        "A new pilot boat for the north channel\nLonger hours at the container docks\n\n"
        "The board votes next week.\n", encoding="utf-8")
    db = tmp_path / "s.db"
    assert run_cli("ingest", folder, db=db).returncode == 0
    sql = "select speaker, text from quotes order by position"
    before = rows(db, sql)
    assert ("Ines Duarte", "A new pilot boat for the north channel") in before
    shutil.rmtree(folder)
    done = run_cli("reextract", db=db)
    assert "1 from the stored text" in done.stdout, done.stderr
    assert rows(db, sql) == before


def test_an_interrupted_reextract_resumes_after_the_last_article_done(tmp_path):
    db = ingested(tmp_path)
    con = sqlite3.connect(db)
    con.execute("delete from quotes")
    con.commit()
    con.close()
    (tmp_path / "s.db.reextract").write_text("1", encoding="utf-8")  # article 1 was done when it stopped
    done = run_cli("reextract", db=db)
    assert done.returncode == 0, done.stderr
    assert "resuming after article 1" in done.stderr and "re-extracted 1 article(s)" in done.stdout
    assert rows(db, "select distinct article_id from quotes") == [(2,)]
    assert not (tmp_path / "s.db.reextract").exists()
    assert "re-extracted 2 article(s)" in run_cli("reextract", "--restart", db=db).stdout
