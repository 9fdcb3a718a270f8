"""Security: a known fake token never reaches a log (even at DEBUG, with every library's logger on) nor a
reply; /stats refuses non-admins and answers admins; `.env` is git-ignored; malformed settings stop
`newsbrief run` with a message naming the setting and no traceback.

Already covered elsewhere and not repeated here: the redacting formatter (test_bot_app.py), the token
kept out of the shared e2e bot's INFO log and out of a refused-token start message (test_e2e_bot.py).
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.parse

import pytest

from cli_helper import ROOT, cli_command, cli_env
from conftest import build_seed_store
from e2e.client import TestUser

pytestmark = pytest.mark.timeout(180)

TOKEN = "123456:TESTTOKEN-NEVER-LOGGED"
FORMS = [TOKEN, TOKEN.split(":", 1)[1], urllib.parse.quote(TOKEN, safe=""), urllib.parse.quote(TOKEN)]
ADMIN, OTHER_ADMIN = 4243, 4244

# `python -m bot run`, with the root logger and every library logger (httpx logs URLs holding the
# token; PTB logs request parameters) at DEBUG: the most the process could ever write.
DEBUG_RUN = """
import logging, sys
import bot.app as app
_configure = app.configure_logging
def configure_logging(settings, level=logging.INFO):
    _configure(settings, logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "telegram.ext", "apscheduler", "newsbrief"):
        logging.getLogger(name).setLevel(logging.DEBUG)
app.configure_logging = configure_logging
from bot.cli import main
main(args=["run"], prog_name="newsbrief")
"""


def _leaks(text: str) -> list[str]:
    return [form for form in FORMS if form in text]


@pytest.fixture
def debug_bot(make_front, tmp_path):
    """The bot at DEBUG with the fake token, behind a front where setMyCommands and answerCallbackQuery fail."""
    db = tmp_path / "sec.db"
    build_seed_store(db).close()
    front = make_front(fail_methods={"setMyCommands", "answerCallbackQuery"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env.update(PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""), PYTHONUNBUFFERED="1",
               NEWSBRIEF_TELEGRAM_TOKEN=TOKEN, NEWSBRIEF_TELEGRAM_API_URL=front.api_url, NEWSBRIEF_DB_PATH=str(db),
               NEWSBRIEF_ADMIN_IDS=f"{ADMIN}, {OTHER_ADMIN}", NEWSBRIEF_FLOOD_COMMANDS="500")
    log_path = tmp_path / "bot.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-c", DEBUG_RUN], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not front.calls_to("getUpdates", TOKEN):
            assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.05)
        yield proc, front, db, log_path
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def test_the_token_is_in_no_log_line_and_no_reply_even_at_debug(debug_bot, telegram_test_server):
    proc, front, db, log_path = debug_bot
    user = TestUser(telegram_test_server.url, TOKEN, user_id=915_001)
    received = []
    for command in ["/start", "/help", "/who doctorow", "/search sanctions", "/who", "/nope", "/stats", "/latest 2",
                    "/article_1", "/digest", "/settings"]:
        received += user.ask(command)
    with_button = next(m for m in received if m.buttons)
    user.press(with_button, with_button.buttons[0][1])  # answerCallbackQuery fails: the error path
    received += user.wait_for()
    with sqlite3.connect(db) as conn:  # and a handler that raises
        conn.execute("drop table claims_fts")
    received += user.ask("/claims sanctions")
    assert "Sorry, something went wrong" in received[-1].plain
    assert proc.poll() is None
    proc.terminate()
    assert proc.wait(timeout=15) == 0
    log = log_path.read_text(errors="replace")
    # the log did see the token-bearing traffic, the failures and their tracebacks
    assert " DEBUG " in log and "getUpdates" in log and "<token>" in log, log[-3000:]
    assert "Traceback" in log and "error while handling an update" in log and "set_command_menu failed" in log
    assert not _leaks(log), [line for line in log.splitlines() if _leaks(line)][:5]
    # replies: as sent through the Bot API (text, buttons, anything), and as the user read them
    sent = [json.dumps(params, ensure_ascii=False) for token, method, params in front.calls if token == TOKEN
            and method != "getUpdates"]
    assert len(sent) > 10
    for text in sent + [m.text for m in received]:
        assert not _leaks(text), text[:500]


def test_stats_refuses_non_admins_and_answers_admins(debug_bot, telegram_test_server):
    proc, front, db, log_path = debug_bot
    stranger = TestUser(telegram_test_server.url, TOKEN, user_id=915_101)
    refused = stranger.ask("/stats")[0].plain
    assert "admins" in refused and "articles:" not in refused
    assert "/stats" not in "".join(m.plain for m in stranger.ask("/help"))
    in_group = TestUser(telegram_test_server.url, TOKEN, user_id=915_102, chat_type="supergroup")
    assert "articles:" not in in_group.ask("/stats@TestNameBot")[0].plain
    for admin_id in (ADMIN, OTHER_ADMIN):
        admin = TestUser(telegram_test_server.url, TOKEN, user_id=admin_id)
        figures = admin.ask("/stats")[0].plain
        assert "articles: 1" in figures and "quotes:" in figures
        assert "/stats" in "".join(m.plain for m in admin.ask("/help"))
    menu = front.calls_to("setMyCommands", TOKEN)
    assert menu and "stats" not in str(menu[0]) and "who" in str(menu[0])  # the public menu hides it


def test_dot_env_is_git_ignored():
    assert (ROOT / ".env.example").exists()
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert ignored.returncode == 0, ".env is not git-ignored"
    example = subprocess.run(["git", "check-ignore", "-q", ".env.example"], cwd=ROOT)
    assert example.returncode == 1, ".env.example must stay tracked"
    tracked = subprocess.run(["git", "ls-files", "--", ".env", "*/.env"], cwd=ROOT, capture_output=True, text=True)
    assert tracked.stdout.strip() == ""
    assert "NEWSBRIEF_TELEGRAM_TOKEN=\n" in (ROOT / ".env.example").read_text()  # no token in the example


MALFORMED = [
    ("NEWSBRIEF_FLOOD_COMMANDS", "abc"),
    ("NEWSBRIEF_FLOOD_COMMANDS", "0"),
    ("NEWSBRIEF_DEFAULT_TIMEZONE", "Mars/Base"),
    ("NEWSBRIEF_DEFAULT_TIMEZONE", "../../etc/passwd"),
    ("NEWSBRIEF_ADMIN_IDS", "1,x"),
    ("NEWSBRIEF_DEFAULT_DIGEST_TIME", "25:00"),
    ("NEWSBRIEF_DEFAULT_DIGEST_TIME", "8"),
    ("NEWSBRIEF_FLOOD_WINDOW_SECONDS", "-1"),
    ("NEWSBRIEF_DIGEST_GRACE_HOURS", "soon"),
    ("NEWSBRIEF_DIGEST_SEND_EMPTY", "perhaps"),
    ("NEWSBRIEF_INBOX_POLL_SECONDS", "0"),
    ("NEWSBRIEF_TELEGRAM_API_URL", "notaurl"),
    ("NEWSBRIEF_TELEGRAM_API_URL", "ftp://example.org/bot"),
]


@pytest.mark.parametrize("from_file", [False, True], ids=["environment", "dot-env"])
@pytest.mark.parametrize("name,value", MALFORMED, ids=[f"{n[10:].lower()}={v}" for n, v in MALFORMED])
def test_a_malformed_setting_stops_run_naming_it(botapi_front, tmp_path, name, value, from_file):
    """With a good token and a reachable Bot API, only the bad setting can stop it (else it would serve
    and the run would time out)."""
    env = cli_env(tmp_path / "x.db", NEWSBRIEF_TELEGRAM_TOKEN=TOKEN, NEWSBRIEF_TELEGRAM_API_URL=botapi_front.api_url)
    if from_file:  # (the environment wins over .env: the name is only in the file)
        env.pop(name, None)
        (tmp_path / ".env").write_text(f"{name}={value}\n")
    else:
        env[name] = value
    out = subprocess.run(cli_command("run"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL)
    output = out.stdout + out.stderr
    assert out.returncode != 0
    assert name in out.stderr, output
    assert "invalid setting" in out.stderr
    assert "Traceback" not in output
    assert not _leaks(output)
    assert not (tmp_path / "x.db").exists(), "the store was opened before the settings were checked"


@pytest.mark.parametrize("where", ["a-folder", "under-a-file"])
def test_a_store_path_that_cannot_be_opened_stops_run_naming_it(botapi_front, tmp_path, where):
    (tmp_path / "plain-file").write_text("x")
    db = tmp_path if where == "a-folder" else tmp_path / "plain-file" / "x.db"
    env = cli_env(db, NEWSBRIEF_TELEGRAM_TOKEN=TOKEN, NEWSBRIEF_TELEGRAM_API_URL=botapi_front.api_url)
    out = subprocess.run(cli_command("run"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL)
    output = out.stdout + out.stderr
    assert out.returncode != 0
    assert "NEWSBRIEF_DB_PATH" in out.stderr, output
    assert "Traceback" not in output, output
    assert not _leaks(output)
