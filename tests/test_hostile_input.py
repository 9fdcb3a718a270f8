"""Hostile input: ingest never crashes, every file parses or gets a clear error, the rest go in;
no regular expression in briefs/ backtracks catastrophically."""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import pkgutil
import re
import sqlite3
from pathlib import Path

import pytest

import briefs
from briefs.ingest import ingest_paths, iter_article_files
from briefs.parse import read_path
from briefs.store import Store
from cli_helper import FIXTURES, SEED, run_cli
from hostile import ARTICLE, EITHER, ERROR, PARTIAL, make_hostile


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "drop"
    return folder, make_hostile(folder)


def _shown(path: Path) -> str:
    """A path as the store and stdout show it: bytes that are not UTF-8 become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def _errors_for(stderr_lines: list[str], path: Path) -> list[str]:
    prefix = f"error: {path}:"
    return [line for line in stderr_lines if line.startswith(prefix)]


def test_the_helper_writes_forty_hostile_files(hostile):
    folder, expect = hostile
    listed = [p for p in expect if expect[p] != "skipped"]
    assert len(listed) >= 40
    assert sorted(str(p.relative_to(folder)) for p in iter_article_files([folder])) == sorted(listed)


@pytest.mark.timeout(420)
def test_ingest_of_a_hostile_folder(hostile, tmp_path):
    folder, expect = hostile
    db = tmp_path / "store.db"
    done = run_cli("ingest", folder, db=db, timeout=360)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    stderr = done.stderr.splitlines()
    assert all(line.startswith(f"error: {folder}/") for line in stderr), [l for l in stderr if not l.startswith("error: ")][:5]
    (summary,) = done.stdout.splitlines()
    listed = [name for name, outcome in expect.items() if outcome != "skipped"]
    failed = sum(1 for name in listed if expect[name] in (ERROR, PARTIAL))
    assert summary.startswith(f"{len(listed)} file(s) read, ")
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("select source from articles")}
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    eithers_failed = 0
    for name, outcome in expect.items():
        path = folder / name
        errors, kept = _errors_for(stderr, path), _shown(path) in stored
        if outcome == ARTICLE:
            assert kept and not errors, (name, errors)
        elif outcome == ERROR:
            assert errors and not kept, name
            assert all(len(e) > len(f"error: {path}: ") + 3 for e in errors), errors  # a reason, not a bare path
        elif outcome == PARTIAL:
            assert errors and kept, name
        elif outcome == EITHER:
            assert kept != bool(errors), (name, errors)
            eithers_failed += bool(errors)
        else:
            assert not errors and not kept, name
    assert f", {failed + eithers_failed} failed;" in summary


@pytest.mark.timeout(420)
def test_extract_of_a_hostile_folder_prints_only_valid_records(hostile, tmp_path):
    folder, expect = hostile
    done = run_cli("extract", folder, cwd=tmp_path, timeout=360)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) > 1000  # the 1000-record JSON Lines file and the good text files
    for record in records:
        assert record["source"].startswith(str(folder))
        assert isinstance(record["headings"], list) and isinstance(record["quotes"], list)
    sources = {r["source"] for r in records}
    for name, outcome in expect.items():
        if outcome == ARTICLE:
            assert _shown(folder / name) in sources, name


@pytest.mark.parametrize("name", ["lines_100k.txt", "title_repeated_200k.txt", "many_headings.txt", "one_1mb_line.txt",
                                  "header_spaces_1mb.txt", "blank_lines_1m.txt"])
def test_huge_files_hand_the_extractor_a_bounded_article(hostile, name):
    """What extraction works on (the blocks) is bounded whatever the file holds; the text is kept."""
    from briefs.parse import MAX_BLOCKS, MAX_BODY_CHARS

    folder, _ = hostile
    (article,) = read_path(folder / name).articles
    assert 0 < len(article.blocks) <= MAX_BLOCKS
    assert sum(b.end - b.start for b in article.blocks) <= MAX_BODY_CHARS
    assert len(article.text) >= sum(b.end - b.start for b in article.blocks)


def test_a_file_deleted_between_listing_and_reading(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Story {name.upper()} Title\nThe {name} story was read.\n", encoding="utf-8")
    listed = list(iter_article_files([folder]))
    (folder / "b.txt").unlink()
    errors: list[str] = []
    store = Store(tmp_path / "store.db")
    report = ingest_paths(store, listed, on_error=errors.append)
    assert errors == [f"{folder / 'b.txt'}: no such file or directory"]
    assert (report.files, report.failed, report.added) == (3, 1, 2)
    assert store.counts()["articles"] == 2


def test_a_file_replaced_by_a_fifo_after_listing_does_not_block(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.txt").write_text("Story Title Here\nA plain story.\n", encoding="utf-8")
    listed = list(iter_article_files([folder]))
    (folder / "a.txt").unlink()
    os.mkfifo(folder / "a.txt")  # opening it for reading would wait for a writer forever
    errors: list[str] = []
    report = ingest_paths(Store(tmp_path / "store.db"), listed, on_error=errors.append)
    assert report.failed == 1 and errors == [f"{folder / 'a.txt'}: not a regular file (a pipe, device or socket)"]


# -- regular expressions: no catastrophic backtracking ------------------------------------------
#
# Every regular expression in briefs/ (compiled at module level, or a literal passed to
# re.compile/search/match/findall/... anywhere in the module) is run on pumped inputs:
# a prefix that reaches deep into the pattern (taken from real matches in the fixture
# articles, or a literal word of the pattern) followed by 100k characters of one or two
# repeating characters, and a suffix that makes the match fail late. Linear patterns
# finish in milliseconds; a quadratic or exponential one runs into the timeout.

_RE_FUNCS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
_PUMP = 100_000


def _briefs_modules():
    """Every module of briefs/, those of its packages (briefs.extract's steps) included."""
    for info in pkgutil.walk_packages(briefs.__path__, prefix="briefs."):
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # an optional module whose dependency is not installed
            continue


def _patterns():
    """Each regex once, with how briefs/ calls it: `match`/`fullmatch` try one start position,
    anything else (search, findall, finditer, sub, split) tries them all, and so is run as `findall`.
    A compiled pattern whose calls cannot be seen (passed around) is run both ways."""
    found: dict[tuple[str, int], list] = {}  # (pattern, flags) -> [id, {calls}]
    by_name: dict[str, set] = {}
    modules = list(_briefs_modules())
    for module in modules:
        short = module.__name__.removeprefix("briefs.")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                key = (value.pattern, value.flags & ~re.UNICODE)
                found.setdefault(key, [f"{short}.{name}", set()])
                by_name.setdefault(name, set()).add(key)
    for module in modules:
        short = module.__name__.removeprefix("briefs.")
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in by_name and node.attr in _RE_FUNCS):
                for key in by_name[node.value.id]:
                    found[key][1].add(node.attr)
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_FUNCS and node.args):
                continue
            try:
                pattern = ast.literal_eval(node.args[0])
            except ValueError:
                continue  # built at run time: covered when it is a module-level compiled pattern
            if not isinstance(pattern, str):
                continue
            flag_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
            if flag_node is None and node.func.attr == "compile" and len(node.args) > 1:
                flag_node = node.args[1]
            flags = int(eval(compile(ast.Expression(flag_node), "<flags>", "eval"), {"re": re})) if flag_node else 0
            entry = found.setdefault((pattern, flags & ~re.UNICODE), [f"{short}:{node.lineno}", set()])
            if node.func.attr != "compile":
                entry[1].add(node.func.attr)
    params = []
    for (pattern, flags), (name, calls) in found.items():
        ops = {"match" if c == "match" else "fullmatch" if c == "fullmatch" else "findall" for c in calls}
        params.append(pytest.param(re.compile(pattern, flags), sorted(ops or {"match", "findall"}), id=name))
    return params


def _sample_lines() -> list[str]:
    lines = []
    for path in [SEED, *sorted((FIXTURES / "articles").iterdir())]:
        for article in read_path(path).articles:
            lines += [line for line in article.text.split("\n") if line.strip()]
            lines += [article.title or "", article.lede or ""]
    return lines


_SAMPLES = _sample_lines()
_CHARS = [" ", "\t", "a", "A", "1", ".", "-", "'", ":", "\u2019", "\u201c", '"', "\n", "\u00e9", "_"]
_PAIRS = [" a", "a ", "A ", "a.", ". ", ": ", "1 ", "a1", "A-", "' "]


def _prefixes(pattern: re.Pattern) -> list[str]:
    words = sorted(set(re.findall(r"[A-Za-z]{2,}", pattern.pattern)), key=lambda w: (-len(w), w))[:3]
    prefixes = {""} | {w + " " for w in words}
    hits = 0
    for line in _SAMPLES:
        match = pattern.search(line)
        if match and match.end() > match.start():
            prefixes |= {line[:match.end()], line[:(match.start() + match.end()) // 2]}
            hits += 1
            if hits >= 3:
                break
    return sorted(prefixes)


def _window(pattern: re.Pattern) -> int:
    """How much text the code ever hands the pattern: the attribution frames see a fixed window."""
    from briefs.extract import cues

    frames = (cues.FRAME_AFTER, cues.FRAME_APPOS, cues.FRAME_INVERTED, cues.FRAME_BEFORE)
    return cues.FRAME_WINDOW if any(pattern.pattern == f.pattern for f in frames) else _PUMP


@pytest.mark.timeout(45)  # the slowest linear pattern takes ~13 s on a loaded 2-core machine
@pytest.mark.parametrize("pattern, ops", _patterns())
def test_no_catastrophic_backtracking(pattern: re.Pattern, ops: list[str]):
    calls = [getattr(pattern, op) for op in ops]
    size = _window(pattern)
    for prefix in _prefixes(pattern):
        for chunk in _CHARS + _PAIRS:
            pumped = (prefix + chunk * (size // len(chunk)))[-size:] if size < _PUMP else \
                prefix + chunk * (_PUMP // len(chunk))
            for call in calls:
                call(pumped)  # a match may run to the end and succeed there
                call(pumped + "!")  # or fail at the very last character (from every start, for findall)


def test_the_regex_scan_finds_the_parsers_patterns():
    params = {p.id: p.values[1] for p in _patterns()}
    ids = set(params)
    assert params["parse.HEADER_RE"] == ["match"] and params["parse.OUTLET_CUE_RE"] == ["findall"]
    assert {"parse.HEADER_RE", "parse.STAMP_RE", "parse.OUTLET_CUE_RE", "parse.INTRO_VERB_RE"} <= ids
    assert any(i.startswith("titles:") for i in ids)  # the inline one in looks_like_title
    # the extractor's steps are a package: their patterns are scanned too
    assert {"extract.cues.FRAME_AFTER", "extract.lexicon.ABBREV_RE", "extract.entities._APPOS_RE"} <= ids


def test_the_prefixes_reach_deep_into_a_pattern():
    """The header pattern before its fix was quadratic only after a full `date YYYY-MM-DD Section`:
    the prefixes taken from real matches get there (with that old pattern, this test's pump ran into
    the timeout; the fixed one takes milliseconds)."""
    old = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})[ \t]*(.*?)\s*$")
    assert " date 2025-08-08 International" in _prefixes(old)
