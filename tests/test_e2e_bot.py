"""End to end: `python -m bot run` as a real process, talking to telegram-test-api (behind the front) on
127.0.0.1, with a store holding the seed; the test acts as Telegram users and reads what they would read."""
from __future__ import annotations

import re

import pytest

from conftest import build_seed_store
from e2e.fixtures import launch_bot, new_token

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def e2e_db(tmp_path):
    """The store the bot serves. It comes from `build_seed_store` (conftest), the one place to change."""
    path = tmp_path / "e2e.db"
    build_seed_store(path).close()
    return path


@pytest.fixture(scope="module")
def shared_bot(botapi_front, tmp_path_factory):
    """One bot for the tests below that need nothing special; each test talks to it as users of its own."""
    folder = tmp_path_factory.mktemp("shared-bot")
    build_seed_store(folder / "e2e.db").close()
    bot = launch_bot(botapi_front, folder / "e2e.db", new_token(), folder / "bot.log",
                     flood_commands="200", admin_ids="4242")
    yield bot
    bot.stop()


@pytest.fixture
def bot(shared_bot):
    """The shared bot; after each test it must still be up, with no error logged and no token in its log."""
    errors_before = len(shared_bot.errors())
    yield shared_bot
    assert shared_bot.alive(), shared_bot.log
    assert len(shared_bot.errors()) == errors_before, shared_bot.log
    assert shared_bot.token not in shared_bot.log


@pytest.fixture
def make_user(make_user, bot_token, request):
    """Users of the shared bot in tests that use it, of this test's own bot otherwise."""
    if "bot" in request.fixturenames:
        shared = request.getfixturevalue("bot")
        return lambda **kw: make_user(**{"token": shared.token, **kw})
    return make_user


def texts(messages) -> str:
    return "\n---\n".join(m.plain for m in messages)


def test_who_doctorow_shows_description_and_quotes(bot, make_user):
    user = make_user()
    answer = user.ask("/who doctorow")
    text = texts(answer)
    assert "Gilbert Doctorow" in text
    assert "international relations and Russian affairs analyst" in text
    # direct quotes in quotation marks (the extractor may keep a closing full stop inside them)
    assert re.search(r"“The United States and its allies have no strategic 'cards' to play against Russia[.,]?”", text)
    assert re.search(r"“But the talks can be so arranged as to present the US in less humiliating terms[.,]?”", text)
    reported = next(line for line in text.splitlines() if "A tangible shift in US-Russia relations is possible" in line)
    assert "“" not in reported and "”" not in reported
    assert all(m.parse_mode == "HTML" for m in answer)
    assert all(m.chat_id == user.chat_id for m in answer)


def test_latest_claims_and_article(bot, make_user):
    user = make_user()
    assert "Russia Holds All Cards in Trump Talks" in texts(user.ask("/latest"))
    claims = texts(user.ask("/claims"))
    assert "own voice: " in claims  # the outlet's claims ("Sputnik’s own voice")
    speakers = [name for name in ("Paolo Raffone", "Hall Gardner", "Gilbert Doctorow") if f"{name} claims: " in claims]
    assert speakers, claims  # who claims what
    assert "Russia Holds All Cards in Trump Talks" in claims
    article = texts(user.ask("/article_1"))  # the tappable form
    assert "Hall Gardner, Professor and Chair" in article


def test_more_button_pages(bot, make_user):
    user = make_user()
    first = user.ask("/claims")
    message = next(m for m in first if any(label == "More" for label, _ in m.buttons))
    seen_first = message.plain
    second = user.tap(message, "More")
    text = texts(second)
    assert "(from 11)" in text
    assert text.split("\n", 1)[1] not in seen_first


def test_who_buttons_choose_a_person(bot, make_user):
    user = make_user()
    listing = user.ask("/who")
    message = next(m for m in listing if m.buttons)
    chosen = user.tap(message, "Hall Gardner")
    assert "Professor and Chair of the Department" in texts(chosen)


def test_hostile_arguments_get_answers_and_the_bot_stays_up(bot, make_user):
    user = make_user()
    for hostile in ['/search "AND* (-', "/who <script>&amp;", "/article 99999999999999999999",
                    "/latest -5", "/claims " + "x" * 3000, "/search 🙂 NEAR(a b) ^x:y"]:
        answer = user.ask(hostile)
        assert answer and all(m.text for m in answer)
    assert "Gilbert Doctorow" in texts(user.ask("/who doctorow"))
    assert bot.alive()


def test_unknown_command_and_text_get_a_hint(bot, make_user):
    user = make_user()
    assert "/help" in texts(user.ask("/frobnicate"))
    assert "/help" in texts(user.ask("hello bot"))
    help_text = texts(user.ask("/help"))
    example = re.search(r"e\.g\. (/who [^\n]+)", help_text)  # the store's most quoted person
    assert example, help_text
    page = texts(user.ask(example[1]))
    assert "Quoted in" in page and "No one" not in page


def test_group_commands_with_bot_name_and_forum_threads(bot, make_user, botapi_front):
    user = make_user(chat_type="supergroup")
    answer = user.ask("/who@TestNameBot raffone", thread_id=77)
    assert "Paolo Raffone" in texts(answer)
    assert all(m.chat_id == user.chat_id and m.thread_id == 77 for m in answer)
    user.command("/who@SomeOtherBot raffone")
    user.command("/frobnicate")  # in a group, an unknown command without @ may be another bot's: no answer
    assert "Gilbert Doctorow" in texts(user.ask("/who doctorow"))  # and nothing else arrived before it
    assert not any("Paolo Raffone" in m.plain or "/help" in m.plain for m in user.inbox[len(answer):-1])


def test_admin_stats(bot, make_user):
    assert "admins" in texts(make_user().ask("/stats"))
    assert "articles: 1" in texts(make_user(user_id=4242).ask("/stats"))


def test_command_menu_attempted_and_start_survives_its_failure(bot, botapi_front):
    sent = botapi_front.calls_to("setMyCommands", bot.token)
    assert sent and "who" in str(sent[0])
    assert bot.token not in bot.log


def test_setmycommands_500_is_tolerated(start_bot, e2e_db, make_front, make_user):
    front = make_front(fail_methods={"setMyCommands"})  # as telegram-test-api itself answers
    bot = start_bot(e2e_db, front=front)
    assert "Hall Gardner" in texts(make_user().ask("/who gardner"))
    assert "set_command_menu failed" in bot.log
    assert bot.token not in bot.log


def test_flood_limit_one_notice_then_silence(start_bot, e2e_db, make_user):
    start_bot(e2e_db, flood_commands="3", flood_window_seconds="60")
    user = make_user()
    for _ in range(3):
        assert "Sputnik" in texts(user.ask("/latest"))
    notice = user.ask("/latest")
    assert "Too many requests" in texts(notice)
    user.command("/latest")
    user.command("/who doctorow")
    with pytest.raises(TimeoutError):
        user.wait_for(timeout=2)
    other = make_user()
    assert "Sputnik" in texts(other.ask("/latest"))  # others are unaffected


def test_sigterm_stops_cleanly(start_bot, e2e_db):
    bot = start_bot(e2e_db)
    assert bot.stop() == 0


def test_answers_arrive_promptly(bot, make_user):
    import time

    user = make_user()
    user.ask("/start")
    took = []
    for _ in range(3):
        began = time.monotonic()
        user.command("/who gardner")
        user.wait_for(settle=0)
        took.append(time.monotonic() - began)
    assert min(took) < 1.0, took


def test_a_failing_handler_apologises_and_the_bot_keeps_serving(start_bot, e2e_db, make_user):
    import sqlite3

    bot = start_bot(e2e_db)
    user = make_user()
    assert "Gilbert Doctorow" in texts(user.ask("/who doctorow"))
    with sqlite3.connect(e2e_db) as db:  # break the store under the running bot: /claims sanctions needs this table
        db.execute("drop table claims_fts")
    assert "Sorry, something went wrong" in texts(user.ask("/claims sanctions"))
    assert "Russia Holds All Cards in Trump Talks" in texts(user.ask("/latest"))
    assert bot.alive()
    assert "error while handling an update" in bot.log
    assert bot.token not in bot.log


def test_a_refused_token_stops_the_start_with_a_clear_message(start_bot, e2e_db, make_front, bot_token):
    front = make_front(answers={"getMe": (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})})
    with pytest.raises(AssertionError, match="did not start polling") as failed:
        start_bot(e2e_db, front=front, wait=30)
    message = str(failed.value)
    assert "(exit 1)" in message
    assert "error: the Bot API refused the token: check NEWSBRIEF_TELEGRAM_TOKEN" in message
    assert bot_token not in message and bot_token.split(":")[1] not in message


def test_an_unreachable_bot_api_stops_the_start_with_one_clear_line(tmp_path, bot_token):
    import os
    import socket
    import subprocess
    import sys

    from e2e.fixtures import ROOT

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/bot"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env.update(PYTHONPATH=str(ROOT), NEWSBRIEF_TELEGRAM_TOKEN=bot_token, NEWSBRIEF_TELEGRAM_API_URL=url,
               NEWSBRIEF_DB_PATH=str(tmp_path / "x.db"))
    done = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: cannot reach the Bot API at {url}: ") and len(last) > len(url) + 40, last
    assert "Traceback" not in done.stderr + done.stdout
    assert bot_token not in done.stderr and bot_token.split(":")[1] not in done.stderr
