"""Following a person end to end: `python -m bot run` as a real process against telegram-test-api (behind the
compatibility front), its inbox job ingesting files in a child process, a Telegram user following someone.

Follow, drop an archive article (old date) quoting them: nothing; drop a new one: exactly one alert; restart:
nothing arrives twice. Waits are bounded; what is asserted is what the user receives."""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import build_seed_store

pytestmark = pytest.mark.timeout(240)

ALERT_HEAD = "Newly quoted"
ARCHIVE = """date 2025-08-08 Business
Grain Analysts Looked Ahead in 2025

Analysts looked at the harvest.

"Prices will stay high all winter," said Olga Example, a trade analyst.
"""
NEWS = """Wheat Exports Hit Record as Black Sea Route Reopens

Wheat exports reached a record in July after the Black Sea route reopened, the ministry said.

"Shipments will keep growing this autumn," said Olga Example, a trade analyst.
"""


def query(db: Path, sql: str, params=()):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def wait_until(check, bot, what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert bot.alive(), bot.log
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s:\n{bot.log}"
        time.sleep(0.2)


def alerts(user) -> list:
    user.fetch()
    return [m for m in user.inbox if ALERT_HEAD in m.plain]


def ingested(db: Path, count: int):
    """The inbox pass stored `count` files and the alert job has read every article it stored."""
    return lambda: (query(db, "select count(*) from inbox_files where status = 'ingested'") == [(count,)]
                    and query(db, "select count(*) from article_feed") == [(0,)])


def test_follow_one_alert_for_news_none_for_the_archive_nothing_twice_after_a_restart(start_bot, make_user, tmp_path):
    db = tmp_path / "follow.db"
    build_seed_store(db).close()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = {"inbox_dir": str(inbox), "inbox_poll_seconds": "0.5", "follow_alert_seconds": "1"}
    bot = start_bot(db, **settings)
    user = make_user()
    answer = user.ask("/follow Olga Example")[0].plain
    assert "Nobody called Olga Example has been quoted yet" in answer, answer
    (inbox / "archive.txt").write_text(ARCHIVE, encoding="utf-8")
    wait_until(ingested(db, 1), bot, "the archive article's ingest")
    assert query(db, "select count(*) from quotes where speaker = 'Olga Example'") == [(1,)]
    time.sleep(2)  # two more alert passes
    assert alerts(user) == []  # an article from 2025: not news
    assert query(db, "select count(*) from follow_pending") == [(0,)]

    (inbox / "news.txt").write_text(NEWS, encoding="utf-8")
    wait_until(lambda: bool(alerts(user)), bot, "the alert")
    [alert] = alerts(user)
    assert "Wheat Exports Hit Record" in alert.plain and "“Shipments will keep growing this autumn”" in alert.plain
    assert "Olga Example" in alert.plain and "Prices will stay high" not in alert.plain
    [article_id] = query(db, "select id from articles where title like 'Wheat Exports%'")[0]
    assert f"/article_{article_id}" in alert.plain
    listing = user.ask("/following")[0]
    assert "Olga Example" in listing.plain and listing.buttons[0][0] == "Unfollow Olga Example"
    bot.stop()

    again = start_bot(db, **settings)
    (inbox / "news.txt").write_text(NEWS + "\n", encoding="utf-8")  # the same article again: unchanged
    wait_until(lambda: "1 unchanged" in again.log and ingested(db, 2)(), again, "the second run's ingest")
    time.sleep(3)  # several alert passes
    assert len(alerts(user)) == 1
    assert query(db, "select count(*) from follow_batches") == [(1,)]
    assert not again.errors(), again.log


def edits_in(front, chat_id: int) -> list[dict]:
    return [e for e in front.calls_to("editMessageReplyMarkup") if int(e["chat_id"]) == chat_id]


def long_news(n: int) -> str:
    """One JSON Lines record: its articles are stored one right after the other (extraction comes first), so
    the alert job finds them all in one pass and one alert holds them."""
    filler = ", ".join(f"silo {k} at port {n} will need more rail cars" for k in range(6))
    said = [f'"{word} shipments on route {n} will keep growing this autumn, and {filler}," said Olga Example, '
            'a trade analyst.' for word in ("Wheat", "Barley", "Maize")]
    return json.dumps({"title": f"Grain Route Number {n} Reopens for Exports", "url": f"https://news.example/{n}",
                       "text": f"The ministry said route {n} reopened on Monday.\n\n" + "\n\n".join(said)})


def test_topics_more_buttons_and_hostile_names_in_the_real_process(start_bot, make_user, botapi_front, tmp_path):
    db = tmp_path / "follow.db"
    build_seed_store(db).close()
    reader = make_user()
    with sqlite3.connect(db) as conn:  # 50 long names followed (50 /follow commands would hit the flood guard)
        conn.executemany(
            "insert into follows (chat_id, name, norm, active, created_at, since_feed) values (?, ?, ?, 1, '', 0)",
            [(reader.chat_id, f"Person{n:02d} " + "Verylongsurname " * 6, f"person{n:02d}") for n in range(50)])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bot = start_bot(db, inbox_dir=str(inbox), inbox_poll_seconds="0.5", follow_alert_seconds="1")

    # hostile arguments get clear answers, nothing stored
    hostile = make_user()
    assert "Send /follow NAME" in hostile.ask("/follow")[0].plain
    assert "Send /unfollow NAME" in hostile.ask("/unfollow")[0].plain
    assert "too long" in hostile.ask("/follow Jane " + "Smithson" * 30)[0].plain
    [answer] = hostile.ask("/follow <b>Evil</b> <i>Name")
    assert "&lt;b&gt;Evil&lt;/b&gt;" in answer.text and "<b>Evil" not in answer.text
    assert query(db, "select name from follows where chat_id = ?", [hostile.chat_id]) == [("<b>Evil</b> <i>Name",)]

    # /following of 50 long names: pages under 4096 characters; "More" leaves the page it was under
    [first] = reader.ask("/following")
    assert len(first.text) < 4096 and first.buttons[-1][0] == "More"
    [second] = reader.tap(first, "More")
    assert "(continued)" in second.plain and len(second.text) < 4096
    edits = edits_in(botapi_front, reader.chat_id)  # the front serves the whole session: this chat's only
    assert [int(e["message_id"]) for e in edits] == [first.message_id]
    assert "More" not in str(edits[0].get("reply_markup") or "")

    # a forum group's admin follows in topic 7: the alert arrives there; its "More" is used once
    admin = make_user(chat_type="supergroup")
    botapi_front.chat_admins[admin.chat_id] = [admin.user_id]
    assert "has been quoted yet" in admin.ask("/follow Olga Example", thread_id=7)[0].plain
    (inbox / "news.jsonl").write_text("\n".join(long_news(n) for n in range(1, 9)) + "\n", encoding="utf-8")
    wait_until(ingested(db, 1), bot, "the eight articles' ingest")
    wait_until(lambda: bool(alerts(admin)), bot, "the alert")
    [alert] = alerts(admin)
    assert alert.thread_id == 7 and alert.buttons == [("More", alert.button("More"))]
    assert len(alert.text) < 4096
    [page] = admin.tap(alert, "More")
    assert "(continued)" in page.plain
    edits = edits_in(botapi_front, admin.chat_id)
    assert [int(e["message_id"]) for e in edits] == [alert.message_id]
    assert int(edits[-1]["message_id"]) == alert.message_id and not edits[-1].get("reply_markup")
    assert not bot.errors(), bot.log


def test_the_inboxs_own_ingest_sends_the_alert_at_once_not_at_the_next_pass(start_bot, make_user, tmp_path):
    """The alert job runs every 60 s here; an article the inbox stores is alerted right after its pass."""
    db = tmp_path / "follow.db"
    build_seed_store(db).close()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bot = start_bot(db, inbox_dir=str(inbox), inbox_poll_seconds="0.5", follow_alert_seconds="60")
    user = make_user()
    assert "has been quoted yet" in user.ask("/follow Olga Example")[0].plain
    time.sleep(2)  # the alert job's first pass (1 s after start) is behind us: the next is a minute away
    (inbox / "news.txt").write_text(NEWS, encoding="utf-8")
    dropped = time.monotonic()
    wait_until(lambda: bool(alerts(user)), bot, "the alert", timeout=40)
    assert time.monotonic() - dropped < 40  # well before the job's next pass, 60 s after the first
    [alert] = alerts(user)
    assert "Wheat Exports Hit Record" in alert.plain
    assert not bot.errors(), bot.log
