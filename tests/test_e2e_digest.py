"""Daily digests end to end: `python -m bot run` as a real process against telegram-test-api (behind the
compatibility front), acting as Telegram users.

The bot's digest clock is shifted with the test-only NEWSBRIEF_TEST_CLOCK_OFFSET_SECONDS so that a run
starts a few seconds before a digest minute (or just after it, to play a restart); no test waits for a
real minute to come round. Waits are bounded; what is asserted is what users receive.
"""
from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefs.store import Store
from briefs.subscriptions import Subscriptions, parse_subscribe_args
from conftest import build_seed_store
from digest_helpers import make_article
from e2e.client import TestUser

pytestmark = pytest.mark.timeout(240)

UTC = timezone.utc
SEED_TITLE = "Russia Holds All Cards in Trump Talks"
DIGEST_HEAD = "Your daily digest"


class BotClock:
    """Picks a digest minute T and the clock offsets that put a bot run at T + delta."""

    def __init__(self, lead: float = 10.0, target: datetime | None = None):
        now = datetime.now(UTC)
        # by default a minute a little ahead in real time, so offsets stay small
        self.target = target or (now + timedelta(minutes=3)).replace(second=0, microsecond=0)
        self.lead = lead

    def offset_for(self, bot_now: datetime) -> float:
        return (bot_now - datetime.now(UTC)).total_seconds()

    def before(self, seconds: float | None = None) -> dict:
        return {"test_clock_offset_seconds": self.offset_for(self.target - timedelta(seconds=seconds or self.lead))}

    def after(self, seconds: float) -> dict:
        return {"test_clock_offset_seconds": self.offset_for(self.target + timedelta(seconds=seconds))}

    @property
    def hhmm(self) -> str:
        return self.target.strftime("%H:%M")


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "digest.db"
    build_seed_store(path).close()
    return path


def add_article(db: Path, n: int, title: str, **kw) -> int:
    store = Store(db)
    try:
        return store.upsert_article(make_article(n, title, kw.pop("lede", f"What happened in story {n}."), **kw)).article_id
    finally:
        store.close()


def digests(messages) -> list:
    return [m for m in messages if DIGEST_HEAD in m.plain]


def wait_for_digest(user: TestUser, timeout: float = 40.0) -> list:
    got = user.wait_for(lambda ms: bool(digests(ms)), timeout=timeout, settle=0.5)
    return digests(got)


def wait_for_log(bot, needle: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while needle not in bot.log:
        assert bot.alive(), bot.log
        if time.monotonic() > deadline:
            raise AssertionError(f"{needle!r} not logged within {timeout} s:\n{bot.log}")
        time.sleep(0.1)


def query(db: Path, sql: str, params=()):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def all_digests_in(user: TestUser) -> list:
    user.fetch()
    return digests(user.inbox)


def test_subscribe_a_minute_ahead_one_digest_with_the_new_articles_also_across_a_restart(start_bot, db, make_user):
    clock = BotClock()
    bot = start_bot(db, **clock.before())
    user = make_user()
    confirm = user.ask(f"/subscribe {clock.hhmm} UTC")[0].plain
    assert f"Next: {clock.hhmm} today" in confirm, confirm
    new_id = add_article(db, 2, "Grain corridor talks resume", lede="Negotiators met in Istanbul.",
                         quotes=[("We are ready to sign", "Ana Example", "direct"),
                                 ("a deal was near", "Ben Example", "indirect")])
    for n in range(3, 33):  # more than one message holds
        add_article(db, n, f"Filler story number {n}", lede="A long lede. " * 15,
                    quotes=[("It is a long quote " + "that goes on " * 15, f"Speaker {n}", "direct")])
    [digest] = wait_for_digest(user)
    assert len(digest.text) <= 4096
    assert "Filler story number 32" in digest.plain  # newest first
    assert SEED_TITLE not in digest.plain  # stored before the subscription: not new to this chat
    label, _ = digest.buttons[0]
    assert label.startswith("More")
    pages = [digest]
    while pages[-1].buttons:
        [page] = user.tap(pages[-1], pages[-1].buttons[0][0])
        pages.append(page)
    everything = "\n".join(p.plain for p in pages)
    assert "Grain corridor talks resume" in everything and "Filler story number 3\n" in everything
    assert "\u201cWe are ready to sign\u201d \u2014 Ana Example" in everything
    assert "a deal was near" not in everything  # the top quote is the direct one
    assert f"/article_{new_id}" in everything
    assert all(everything.count(f"Filler story number {n}\n") == 1 for n in range(3, 33))
    # restarted within the digest minute: the catch-up run at start sends nothing again
    assert bot.stop() == 0
    again = start_bot(db, **clock.after(30))
    wait_for_log(again, "digest catch-up at start done")
    time.sleep(0.5)
    assert len([m for m in all_digests_in(user) if "continued" not in m.plain]) == 1
    settings = user.ask("/settings")[0].plain
    assert f"Next: {clock.hhmm} tomorrow" in settings and "Last digest" in settings
    assert not again.errors(), again.log


def test_down_at_the_digest_minute_restart_within_it_delivers_exactly_one(start_bot, db, make_user):
    clock = BotClock()
    bot = start_bot(db, **clock.before(30))
    user = make_user()
    user.ask(f"/subscribe {clock.hhmm}")
    add_article(db, 2, "Port strike ends")
    bot.stop()  # down before the digest minute
    late = start_bot(db, **clock.after(20))  # back up 20 s into it
    [digest] = wait_for_digest(user)
    assert "Port strike ends" in digest.plain
    wait_for_log(late, "digest catch-up at start done")
    late.stop()
    start_bot(db, **clock.after(45))  # and once more, still in the same minute
    time.sleep(3)
    assert len(all_digests_in(user)) == 1
    assert query(db, "select count(*) from deliveries") == [(1,)]


def test_a_chat_that_blocked_the_bot_is_deactivated_others_still_get_theirs(start_bot, db, make_user, botapi_front):
    clock = BotClock()
    bot = start_bot(db, **clock.before(10))
    keeps, blocks = make_user(), make_user()
    for user in (keeps, blocks):
        assert "Subscribed" in user.ask(f"/subscribe {clock.hhmm}")[0].plain
    add_article(db, 2, "Election results certified")
    botapi_front.blocked_chats.add(blocks.chat_id)
    try:
        [digest] = wait_for_digest(keeps)
        assert "Election results certified" in digest.plain
        deadline = time.monotonic() + 10
        while query(db, "select active from subscriptions where chat_id = ?", [blocks.chat_id]) != [(0,)]:
            assert time.monotonic() < deadline, "the blocked chat was not deactivated"
            time.sleep(0.1)
        bot.stop()  # a restart within the digest minute: the catch-up run does not try it again
        wait_for_log(start_bot(db, **clock.after(30)), "digest catch-up at start done")
    finally:
        botapi_front.blocked_chats.discard(blocks.chat_id)
    # the user unblocks the bot: the subscription says it is paused, /subscribe restarts it
    paused = blocks.ask("/settings")[0].plain
    assert "Paused" in paused and "blocked" in paused and "Next:" not in paused
    assert "Subscription updated" in blocks.ask("/subscribe")[0].plain
    assert query(db, "select active from subscriptions where chat_id = ?", [blocks.chat_id]) == [(1,)]
    tried = [p for p in botapi_front.calls_to("sendMessage")
             if str(p.get("chat_id")) == str(blocks.chat_id) and DIGEST_HEAD in p.get("text", "")]
    assert len(tried) == 1  # tried once, refused, not tried again


INBOX_ARTICLE = """Wheat Exports Hit Record as Black Sea Route Reopens

Wheat exports reached a record in July after the Black Sea route reopened, the ministry said.

"Shipments will keep growing this autumn," said Olga Example, a trade analyst.
"""


def test_a_file_dropped_into_the_inbox_is_in_the_next_digest(start_bot, db, make_user, tmp_path):
    clock = BotClock()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = {"inbox_dir": str(inbox), "inbox_poll_seconds": "0.5"}
    first = start_bot(db, **clock.before(120), **settings)
    user = make_user()
    user.ask(f"/subscribe {clock.hhmm}")
    (inbox / "wheat.txt").write_text(INBOX_ARTICLE, encoding="utf-8")
    (inbox / "broken.txt").write_bytes(b"")
    deadline = time.monotonic() + 90
    while query(db, "select count(*) from inbox_files") != [(2,)]:  # the pass is over, both outcomes kept
        assert time.monotonic() < deadline, first.log
        time.sleep(0.2)
    time.sleep(2)  # a few more passes: the bad file is not read again
    first.stop()
    assert query(db, "select count(*) from articles where title like 'Wheat Exports%'") == [(1,)]
    assert first.log.count("broken.txt not ingested") == 1  # logged once, not retried on every pass
    start_bot(db, **clock.before(5), **settings)
    [digest] = wait_for_digest(user)
    assert "Wheat Exports Hit Record as Black Sea Route Reopens" in digest.plain
    assert query(db, "select status from inbox_files order by path") == [("failed",), ("ingested",)]


def test_group_admins_only_and_forum_topic_kept(start_bot, db, make_user, botapi_front):
    clock = BotClock()
    start_bot(db, **clock.before(10))
    admin = make_user(chat_type="supergroup")
    member = make_user(chat_type="supergroup", chat_id=admin.chat_id)
    botapi_front.chat_admins[admin.chat_id] = [admin.user_id]
    assert "Only this group's admins" in member.ask(f"/subscribe {clock.hhmm}", thread_id=5)[0].plain
    assert "Subscribed" in admin.ask(f"/subscribe {clock.hhmm} who:Example", thread_id=5)[0].plain
    add_article(db, 2, "Example speaks", quotes=[("Nothing is settled", "Carla Example", "direct")])
    add_article(db, 3, "Unrelated weather", lede="Rain.")
    [digest] = wait_for_digest(admin)
    assert digest.thread_id == 5 and "Example speaks" in digest.plain and "Unrelated weather" not in digest.plain
    assert "Only this group's admins" in member.ask("/unsubscribe")[0].plain
    assert "Unsubscribed" in admin.ask("/unsubscribe")[0].plain
    assert query(db, "select count(*) from subscriptions") == [(0,)]
    assert query(db, "select count(*) from deliveries") == [(0,)]


def prepare_subscribers(db: Path, chat_ids, clock: BotClock) -> None:
    store = Store(db)
    subs = Subscriptions(store, clock=lambda: clock.target - timedelta(minutes=5))
    with store.db.atomic():
        for chat_id in chat_ids:
            subs.subscribe(chat_id, parse_subscribe_args(clock.hhmm))
    store.close()


def test_500_subscribers_due_at_one_minute_get_one_digest_each_under_the_flood_limit(
        start_bot, db, make_user, botapi_front, telegram_test_server, bot_token):
    clock = BotClock()
    chats = list(range(700_001, 700_501))
    prepare_subscribers(db, chats, clock)
    add_article(db, 2, "Central bank holds rates")
    botapi_front.max_messages_per_second = 30
    try:
        bot = start_bot(db, **clock.before(4))
        reader = make_user()
        # while the fan-out runs, a person's command is answered without waiting behind it
        deadline = time.monotonic() + 60
        while len(botapi_front_digest_sends(botapi_front, bot_token)) < 60:
            assert time.monotonic() < deadline, bot.log
            time.sleep(0.05)
        answer = reader.ask("/latest 1", timeout=15)
        assert SEED_TITLE in answer[0].plain or "Central bank holds rates" in answer[0].plain
        assert len({p["chat_id"] for p in botapi_front_digest_sends(botapi_front, bot_token)}) < 500
        deadline = time.monotonic() + 120
        while query(db, "select count(*) from deliveries")[0][0] < 500:
            assert time.monotonic() < deadline, bot.log[-3000:]
            time.sleep(0.5)
    finally:
        botapi_front.max_messages_per_second = None
    received = {}
    for chat_id in chats:
        user = TestUser(telegram_test_server.url, bot_token, user_id=chat_id)
        received[chat_id] = [m for m in user.fetch() if "Central bank holds rates" in m.plain]
    assert all(len(messages) == 1 for messages in received.values()), {c: len(m) for c, m in received.items() if len(m) != 1}
    per_second = query(db, "select sent_at, count(*) from deliveries group by sent_at order by sent_at")
    span = len(per_second)
    print(f"\n500 digests recorded over {span} clock seconds (~{500 / max(span, 1):.1f}/s), busiest second "
          f"{max(c for _, c in per_second)}; flood waits in the bot's log: {bot.log.count('digest sends halted')}")


def botapi_front_digest_sends(front, token: str) -> list[dict]:
    return [p for p in front.calls_to("sendMessage", token) if DIGEST_HEAD in str(p.get("text", ""))]


def test_flood_answers_429_are_retried_none_lost_or_doubled(start_bot, db, botapi_front, telegram_test_server,
                                                            bot_token):
    clock = BotClock()
    chats = list(range(800_001, 800_061))
    prepare_subscribers(db, chats, clock)
    add_article(db, 2, "Bridge reopens")
    botapi_front.max_messages_per_second = 8  # stricter than the bot's pace: 429s must happen
    try:
        bot = start_bot(db, **clock.before(4))
        deadline = time.monotonic() + 120
        while query(db, "select count(*) from deliveries")[0][0] < 60:
            assert time.monotonic() < deadline, bot.log[-3000:]
            time.sleep(0.5)
    finally:
        botapi_front.max_messages_per_second = None
    assert "RetryAfter" in bot.log  # the front did push back
    for chat_id in chats:
        messages = TestUser(telegram_test_server.url, bot_token, user_id=chat_id).fetch()
        assert len([m for m in messages if "Bridge reopens" in m.plain]) == 1, chat_id


def test_sigterm_mid_fan_out_finishes_what_is_on_the_wire_and_the_restart_sends_the_rest_once(
        start_bot, db, botapi_front, telegram_test_server, bot_token):
    clock = BotClock()
    chats = list(range(900_001, 900_201))
    prepare_subscribers(db, chats, clock)
    add_article(db, 2, "Museum reopens")
    bot = start_bot(db, **clock.before(4))
    deadline = time.monotonic() + 60
    while len(botapi_front_digest_sends(botapi_front, bot_token)) < 40:
        assert time.monotonic() < deadline, bot.log
        time.sleep(0.02)
    assert bot.stop() == 0
    first_run = query(db, "select count(*) from deliveries")[0][0]
    assert 40 <= first_run < 200
    sent_by_first = len(botapi_front_digest_sends(botapi_front, bot_token))
    assert sent_by_first == first_run  # everything that went out was recorded before the exit
    again = start_bot(db, **clock.after(20))
    deadline = time.monotonic() + 60
    while query(db, "select count(*) from deliveries")[0][0] < 200:
        assert time.monotonic() < deadline, again.log
        time.sleep(0.2)
    for chat_id in chats:
        messages = TestUser(telegram_test_server.url, bot_token, user_id=chat_id).fetch()
        assert len([m for m in messages if "Museum reopens" in m.plain]) == 1, chat_id


def test_a_group_that_becomes_a_supergroup_keeps_its_subscription(start_bot, db, make_user, telegram_test_server,
                                                                 botapi_front, bot_token):
    clock = BotClock()
    start_bot(db, **clock.before(10))
    admin = make_user(chat_type="group")
    botapi_front.chat_admins[admin.chat_id] = [admin.user_id]
    assert "Subscribed" in admin.ask(f"/subscribe {clock.hhmm} topic:harbour")[0].plain
    new_chat = admin.chat_id - 1_000_000_000_000
    service = admin._message("", None)
    del service["text"]
    service["migrate_to_chat_id"] = new_chat
    admin._post("/sendMessage", service)
    deadline = time.monotonic() + 10
    while query(db, "select chat_id, filters from subscriptions") != [(new_chat, "topic:harbour")]:
        assert time.monotonic() < deadline, query(db, "select chat_id, filters from subscriptions")
        time.sleep(0.1)
    add_article(db, 2, "Harbour expansion approved")
    moved = TestUser(telegram_test_server.url, bot_token, user_id=admin.user_id, chat_id=new_chat,
                     chat_type="supergroup")
    [digest] = wait_for_digest(moved)
    assert "Harbour expansion approved" in digest.plain


def test_spring_forward_a_nonexistent_local_time_comes_at_the_first_valid_instant(start_bot, db, make_user):
    # Berlin, Sunday 28 March 2027: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day
    clock = BotClock(target=datetime(2027, 3, 28, 1, 0, tzinfo=UTC))  # = 03:00 CEST
    start_bot(db, **clock.before(10))
    user = make_user()
    confirm = user.ask("/subscribe 2:30 Europe/Berlin")[0].plain
    assert "Next: 03:00 today, Sun 28 Mar (Europe/Berlin, UTC+02:00)" in confirm, confirm
    add_article(db, 2, "Clocks go forward tonight")
    [digest] = wait_for_digest(user)
    assert "Clocks go forward tonight" in digest.plain
    assert "Next: 02:30 tomorrow, Mon 29 Mar (Europe/Berlin, UTC+02:00)" in user.ask("/settings")[0].plain
