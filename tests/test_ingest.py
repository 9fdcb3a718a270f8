"""Ingest: each fixture file carries its expected reading; the CLI stores, skips and reports.

Fixtures live in tests/fixtures/articles/: each `NAME.expected.json` names the
expected articles (a subset of the `extract` JSON fields) and errors
(`{"line": N or null, "reason": "substring"}`) of its sibling file `NAME.*`,
or of the file given by its "file" key.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from briefs.parse import read_path
from cli_helper import FIXTURES, SEED, counts, run_cli, table_rows

ARTICLES = FIXTURES / "articles"
EXPECTATIONS = sorted(ARTICLES.glob("*.expected.json"))

_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _norm(value):
    """Straight and curly marks compare equal (as the gold reading says)."""
    if isinstance(value, str):
        return value.translate(_MARKS)
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def _article_file(expected: Path) -> Path:
    spec = json.loads(expected.read_text(encoding="utf-8"))
    if "file" in spec:
        return (expected.parent / spec["file"]).resolve()
    stem = expected.name.removesuffix(".expected.json")
    (found,) = [p for p in expected.parent.iterdir() if p.stem == stem and not p.name.endswith(".json")]
    return found


def test_fixture_set_covers_the_formats():
    names = {p.name.removesuffix(".expected.json") for p in EXPECTATIONS}
    assert {"seed", "plain_titled", "plain_untitled", "mixed", "cp1251_scraper", "utf16_bom_scraper"} <= names


@pytest.mark.parametrize("expected", EXPECTATIONS, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_fixture_reads_as_expected(expected: Path):
    spec = json.loads(expected.read_text(encoding="utf-8"))
    parsed = read_path(_article_file(expected))
    got = [a.to_json() for a in parsed.articles]
    assert [a["id"] for a in got] == [a["id"] for a in spec["articles"]]
    for want, have in zip(spec["articles"], got):
        for key, value in want.items():
            assert _norm(have[key]) == _norm(value), f"{want['id']}: {key}"
    assert len(parsed.errors) == len(spec["errors"]), parsed.errors
    for want, (line, reason) in zip(spec["errors"], parsed.errors):
        assert line == want["line"]
        assert want["reason"] in reason


def test_quote_offsets_are_into_the_text_read():
    """Blocks (and so later quotes) point into exactly the decoded text, whatever the encoding."""
    for expected in EXPECTATIONS:
        for article in read_path(_article_file(expected)).articles:
            assert article.blocks, article.id
            for block in article.blocks:
                piece = article.text[block.start:block.end]
                assert piece and piece == piece.strip() and "\n" not in piece
            if article.lede:
                assert article.lede in article.text


# -- the CLI, as a user runs it -------------------------------------------------------


def test_extract_jsonl_on_the_seed(tmp_path):
    done = run_cli("extract", SEED, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.strip().splitlines()
    record = json.loads(line)
    assert set(record) >= {"id", "source", "outlet", "url", "title", "section", "published", "lede", "headings",
                           "speakers", "quotes", "claims", "mentions"}
    assert record["published"] == "2025-08-08T17:58:00+00:00"
    assert record["outlet"] == "Sputnik"
    assert done.stderr == ""


def test_extract_reports_each_bad_json_line_and_exits_1(tmp_path):
    source = ARTICLES / "mixed.jsonl"
    done = run_cli("extract", source, cwd=tmp_path)
    assert done.returncode == 1
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["mixed:1", "mixed:3", "mixed:9"]
    errors = done.stderr.splitlines()
    prefixes = [f"error: {source}:{n}: " for n in (2, 4, 5, 7, 8)]
    assert len(errors) == len(prefixes)
    assert all(e.startswith(p) for e, p in zip(errors, prefixes)), errors
    assert "Traceback" not in done.stderr


def test_ingest_jsonl_stores_the_good_lines_and_fails_the_file(tmp_path):
    db = tmp_path / "store.db"
    source = ARTICLES / "mixed.jsonl"
    done = run_cli("ingest", source, db=db)
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 5
    assert all(line.startswith(f"error: {source}:") for line in done.stderr.splitlines())
    (summary,) = done.stdout.splitlines()
    assert "1 failed" in summary and "3 added" in summary
    with sqlite3.connect(db) as conn:
        titles = {row[0] for row in conn.execute("select title from articles")}
    assert titles == {"Grain Prices Ease After Record Harvest", "Rail Strike Called Off", None}


def test_ingest_the_seed_twice_stores_it_once(tmp_path):
    db = tmp_path / "store.db"
    first = run_cli("ingest", SEED, db=db)
    assert first.returncode == 0, first.stderr
    rows = table_rows(db, skip=())
    second = run_cli("ingest", SEED, db=db)
    assert second.returncode == 0, second.stderr
    assert "1 unchanged" in second.stdout and "0 added" in second.stdout
    assert counts(db)["articles"] == 1
    assert table_rows(db, skip=()) == rows  # not even a timestamp moved


def test_straight_quotes_instead_of_curly_store_nothing_new(tmp_path):
    db = tmp_path / "store.db"
    straight = tmp_path / "in" / "straight.txt"
    straight.parent.mkdir()
    text = SEED.read_text(encoding="utf-8")
    assert "\u2019" in text
    straight.write_text(_norm(text), encoding="utf-8")
    assert run_cli("ingest", SEED, db=db).returncode == 0
    rows = table_rows(db)
    done = run_cli("ingest", straight, db=db)
    assert done.returncode == 0, done.stderr
    assert "1 unchanged" in done.stdout
    assert table_rows(db) == rows


def _article(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, seq, title, body from articles order by id").fetchall()


def test_corrected_article_same_title_and_date_replaces_and_keeps_its_id(tmp_path):
    db = tmp_path / "store.db"
    other = tmp_path / "in" / "plain.txt"
    other.parent.mkdir()
    shutil.copy(ARTICLES / "plain_titled.txt", other)
    assert run_cli("ingest", SEED, other, db=db).returncode == 0
    (seed_id, seed_seq, _, old_body), plain = _article(db)
    corrected = tmp_path / "in" / "000_b658156dfc43a267_v2.txt"
    corrected.write_text(SEED.read_text(encoding="utf-8").replace("Krasnoarmeysk (Pokrovsk) is encircled",
                                                                  "Krasnoarmeysk (Pokrovsk) is fully encircled"),
                         encoding="utf-8")
    done = run_cli("ingest", corrected, db=db)
    assert done.returncode == 0, done.stderr
    assert "1 replaced" in done.stdout
    rows = _article(db)
    assert len(rows) == 2 and rows[1] == plain
    new_id, new_seq, title, body = rows[0]
    assert (new_id, title) == (seed_id, "Russia Holds All Cards in Trump Talks")
    assert "fully encircled" in body and body != old_body


def test_corrected_article_same_url_replaces_and_keeps_its_id(tmp_path):
    db = tmp_path / "store.db"
    folder = tmp_path / "in"
    folder.mkdir()
    record = {"title": "Dam Repairs Finished", "text": "Repairs on the dam ended on Friday.", "url": "https://example.org/dam",
              "published": "2025-05-01T10:00:00+00:00"}
    (folder / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({**record, "text": "Other news.", "url": "https://example.org/b",
                                                "title": "Other"}) + "\n", encoding="utf-8")
    assert run_cli("ingest", folder, db=db).returncode == 0
    before = _article(db)
    fixed = {**record, "title": "Dam Repairs Finished a Week Late", "text": "Repairs on the dam ended on Friday, a week late."}
    (folder / "a.jsonl").write_text(json.dumps(fixed) + "\n", encoding="utf-8")
    done = run_cli("ingest", folder, db=db)
    assert done.returncode == 0, done.stderr
    assert "1 replaced" in done.stdout and "1 unchanged" in done.stdout
    after = _article(db)
    assert [r[0] for r in after] == [r[0] for r in before]
    assert after[0][2] == "Dam Repairs Finished a Week Late" and "a week late" in after[0][3]
    assert after[1] == before[1]


def test_a_folder_with_one_bad_file_stores_the_good_ones_and_exits_1(tmp_path):
    db = tmp_path / "store.db"
    folder = tmp_path / "drop"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEED, folder / "seed.txt")
    shutil.copy(ARTICLES / "plain_titled.txt", folder / "sub" / "plain.txt")
    bad = folder / "broken.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    done = run_cli("ingest", folder, db=db)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"error: {bad}: not a text file (contains NUL bytes)"]
    assert done.stdout.count("\n") == 1
    assert done.stdout.startswith("3 file(s) read, 1 failed; articles: 2 added")
    assert counts(db)["articles"] == 2


def test_all_good_files_exit_0_with_a_one_line_summary(tmp_path):
    db = tmp_path / "store.db"
    done = run_cli("ingest", SEED, ARTICLES / "plain_titled.txt", ARTICLES / "cp1251_scraper.txt",
                   ARTICLES / "utf16_bom_scraper.txt", db=db)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines() == ["4 file(s) read, 0 failed; articles: 4 added, 0 replaced, 0 unchanged"]


def test_user_errors_never_show_a_traceback(tmp_path):
    db = tmp_path / "store.db"
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "header.txt").write_text("date 2025-01-01 World\n")
    (tmp_path / "far.jsonl").write_text('{"title": "T", "text": "x.", "published": "9999-12-31T23:00:00-05:00"}\n')
    (tmp_path / "lone.jsonl").write_text('{"title": "Lone \\ud800", "text": "bad \\udfff text."}\n')
    paths = ["empty.txt", "header.txt", "far.jsonl", "lone.jsonl", "missing.txt"]
    done = run_cli("ingest", *paths, db=db)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    reasons = dict(line.removeprefix("error: ").split(": ", 1) for line in done.stderr.splitlines())
    assert reasons == {
        "empty.txt": "empty file",
        "header.txt": "no article text found (only a header line)",
        "far.jsonl:1": "\"published\" is not a usable ISO 8601 date: '9999-12-31T23:00:00-05:00'",
        "missing.txt": "no such file or directory",
    }
    assert "1 added" in done.stdout  # the lone-surrogate record is stored, its bad characters replaced
    with sqlite3.connect(db) as conn:
        assert conn.execute("select title from articles").fetchall() == [("Lone \ufffd",)]


def test_reingesting_a_folder_does_not_extract_stored_articles_again(tmp_path, monkeypatch):
    """The inbox rescans its folder: articles already stored cost a parse, not an extraction."""
    import briefs.extract
    from briefs.ingest import ingest_paths
    from briefs.store import Store

    calls: list[str] = []
    real = briefs.extract.extract
    monkeypatch.setattr(briefs.extract, "extract", lambda article: calls.append(article.id) or real(article))
    store = Store(tmp_path / "store.db")
    first = ingest_paths(store, [SEED, ARTICLES / "mixed.jsonl"])
    assert (first.added, len(calls)) == (4, 4)
    second = ingest_paths(store, [SEED, ARTICLES / "mixed.jsonl"])
    assert (second.added, second.unchanged, len(calls)) == (0, 4, 4)


def test_a_folder_with_an_article_and_its_correction_is_stable(tmp_path):
    """Reading the folder again must not flip the stored article back to the old version."""
    db = tmp_path / "store.db"
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(SEED, folder / "a_original.txt")
    (folder / "b_corrected.txt").write_text(
        SEED.read_text(encoding="utf-8").replace("is encircled", "is fully encircled"), encoding="utf-8")
    first = run_cli("ingest", folder, db=db)
    assert "1 added, 1 replaced" in first.stdout
    rows = table_rows(db)
    again = run_cli("ingest", folder, db=db)
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 replaced, 2 unchanged" in again.stdout
    assert table_rows(db) == rows
    assert "fully encircled" in _article(db)[0][3]


def test_two_ingests_at_once_both_store_everything(tmp_path):
    """The inbox job and a user's `newsbrief ingest` may write at the same time."""
    import subprocess

    from briefs.benchgen import write_corpus
    from cli_helper import cli_command, cli_env

    db = tmp_path / "store.db"
    write_corpus(tmp_path / "a", 150, seed=1)
    write_corpus(tmp_path / "b", 150, seed=2)
    assert run_cli("ingest", SEED, db=db).returncode == 0  # the store exists before the race
    runs = [subprocess.Popen(cli_command("ingest", tmp_path / name), cwd=tmp_path, env=cli_env(db),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs):
        assert run.returncode == 0, err[:500]
        assert out.strip() == "150 file(s) read, 0 failed; articles: 150 added, 0 replaced, 0 unchanged"
    assert counts(db)["articles"] == 301
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(distinct seq), max(seq) from articles").fetchone() == (301, 301)


def test_make_run_loads_the_sample_only_into_an_empty_store(tmp_path):
    """`make run` ingests the bundled sample into an empty store, and never into one that holds articles."""
    import shutil
    import sqlite3
    import subprocess

    from cli_helper import ROOT, cli_command, cli_env

    assert shutil.which("make"), "make is needed (as for `make test`)"
    other = sorted((ROOT / "tests" / "fixtures").glob("invented_*.txt"))[0]

    def titles(db):
        with sqlite3.connect(db) as conn:
            return sorted(row[0] for row in conn.execute("select title from articles"))

    def make_run(db):  # no token and no terminal: `newsbrief run` itself stops at once (exit 2)
        done = subprocess.run(["make", "--no-print-directory", "run"], cwd=ROOT, env=cli_env(db),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
        assert "NEWSBRIEF_TELEGRAM_TOKEN" in done.stderr, done.stderr

    empty = tmp_path / "empty.db"
    make_run(empty)
    assert len(titles(empty)) == 1 and "Trump" in titles(empty)[0]
    held = tmp_path / "held.db"
    subprocess.run(cli_command("ingest", other), env=cli_env(held), check=True, capture_output=True)
    before = titles(held)
    make_run(held)
    assert titles(held) == before and len(before) == 1
