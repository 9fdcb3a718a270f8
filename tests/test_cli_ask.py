"""`newsbrief ask`, `chat`, `run` without a token, and `python -m bot`, as real processes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def newsbrief(*args: str, db: Path, cwd: Path, stdin: str | None = None, env: dict | None = None, timeout=60):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    environment.update({"NEWSBRIEF_DB_PATH": str(db), "PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=cwd,
                          input=stdin if stdin is not None else "", env=environment, timeout=timeout)


def test_ask_who_gardner(seeded_db_path, tmp_path):
    out = newsbrief("ask", "/who gardner", db=seeded_db_path, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = out.stdout.replace("’", "'")
    assert text.startswith("Hall Gardner\n")
    assert "Professor and Chair of the Department of International and Comparative Politics" in text
    assert text.count("“") == 3 and text.count("”") == 3
    assert "“It's very unlikely Putin will soften his conditions" in text
    reported = next(line for line in text.splitlines() if "Russia is unlikely to accept any ceasefire" in line)
    assert "“" not in reported and '"' not in reported
    assert "<" not in text.replace("<name>", "") and "&amp;" not in text


def test_ask_who_doctorow_shows_what_he_rules_out_with_its_verb(seeded_db_path, tmp_path):
    out = newsbrief("ask", "/who doctorow", db=seeded_db_path, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    reported = next(line for line in out.stdout.splitlines() if "Russian leaders making any compromises" in line)
    assert "rules out Russian leaders making any compromises" in reported  # never as if he asserted it


def test_ask_format_buttons_and_separator(seeded_db_path, tmp_path):
    out = newsbrief("ask", "/who", db=seeded_db_path, cwd=tmp_path)
    assert out.returncode == 0
    assert "[Hall Gardner]" in out.stdout.splitlines()
    out = newsbrief("ask", "/latest", "20", db=seeded_db_path, cwd=tmp_path)  # unquoted words are joined
    assert out.returncode == 0 and "Russia Holds All Cards in Trump Talks" in out.stdout


def test_ask_splits_long_answers_with_separator(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import make_article
    from briefs.store import Store

    db = tmp_path / "many.db"
    store = Store(db)
    for i in range(20):
        store.upsert_article(make_article(f"Story {i} " + "long title " * 15, ident=f"s{i}", lede="word " * 300))
    store.close()
    out = newsbrief("ask", "/latest 20", db=db, cwd=tmp_path)
    assert out.returncode == 0
    assert "\n---\n" in out.stdout and "[Older]" not in out.stdout


def test_ask_no_results_is_still_an_answer(seeded_db_path, tmp_path):
    out = newsbrief("ask", "/search zzzqqq", db=seeded_db_path, cwd=tmp_path)
    assert out.returncode == 0 and "Nothing found" in out.stdout


@pytest.mark.parametrize("args", [[], [""], ["  "]])
def test_ask_usage_errors_exit_2(seeded_db_path, tmp_path, args):
    out = newsbrief("ask", *args, db=seeded_db_path, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""


def test_malformed_setting_is_named(seeded_db_path, tmp_path):
    out = newsbrief("ask", "/who", db=seeded_db_path, cwd=tmp_path, env={"NEWSBRIEF_FLOOD_COMMANDS": "many"})
    assert out.returncode == 2 and "NEWSBRIEF_FLOOD_COMMANDS" in out.stderr


def test_chat_reads_stdin(seeded_db_path, tmp_path):
    out = newsbrief("chat", db=seeded_db_path, cwd=tmp_path, stdin="/who raffone\nquit\n")
    assert out.returncode == 0 and "Paolo Raffone" in out.stdout


def test_run_without_token_and_terminal_exits_2(seeded_db_path, tmp_path):
    for args in (["run"], []):  # `python -m bot` alone is `run`
        out = newsbrief(*args, db=seeded_db_path, cwd=tmp_path, env={"NEWSBRIEF_TELEGRAM_TOKEN": ""})
        assert out.returncode == 2
        assert "NEWSBRIEF_TELEGRAM_TOKEN" in out.stderr


def test_run_without_token_on_a_terminal_starts_the_console(seeded_db_path, tmp_path):
    pty = pytest.importorskip("pty")
    import select

    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    environment.update({"NEWSBRIEF_DB_PATH": str(seeded_db_path), "PYTHONPATH": str(ROOT)})
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], stdin=slave, stdout=slave, stderr=slave,
                            cwd=tmp_path, env=environment, close_fds=True)
    os.close(slave)
    try:
        os.write(master, b"/who doctorow\nquit\n")
        seen = b""
        while proc.poll() is None or select.select([master], [], [], 0)[0]:
            ready, _, _ = select.select([master], [], [], 10)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    text = seen.decode("utf-8", "replace")
    assert "NEWSBRIEF_TELEGRAM_TOKEN" in text and "console" in text
    assert "Gilbert Doctorow" in text
    assert proc.returncode == 0
