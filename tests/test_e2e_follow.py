"""Following a person end to end: `python -m bot run` as a real process against telegram-test-api (behind the
compatibility front), its inbox job ingesting files in a child process, a Telegram user following someone.

Follow, drop an archive article (old date) quoting them: nothing; drop a new one: exactly one alert; restart:
nothing arrives twice. Waits are bounded; what is asserted is what the user receives."""
from __future__ import annotations

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
