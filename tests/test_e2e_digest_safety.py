"""Issue 15 on the wire: `python -m bot run` as a real process against telegram-test-api (behind the
compatibility front). A chat that unsubscribes while the fan-out is under way gets nothing after
"Unsubscribed"; a closed forum topic pauses the digest after one try, and the group's admin is told
why when they next use the bot. The digest clock is shifted as in tests/test_e2e_digest.py."""
from __future__ import annotations

import time

import pytest

from test_e2e_digest import (  # noqa: F401 (db is a fixture)
    DIGEST_HEAD, BotClock, add_article, db, all_digests_in, botapi_front_digest_sends, prepare_subscribers, query,
    wait_for_log,
)

pytestmark = pytest.mark.timeout(240)


def test_unsubscribe_during_the_fan_out_no_digest_after_unsubscribed(start_bot, db, make_user, botapi_front,
                                                                     bot_token):
    clock = BotClock()
    prepare_subscribers(db, range(1, 301), clock)  # ids below every test user's: sent before theirs
    bot = start_bot(db, **clock.before(10))
    user = make_user()
    assert "Subscribed" in user.ask(f"/subscribe {clock.hhmm}")[0].plain
    add_article(db, 2, "Harbour reopens")
    deadline = time.monotonic() + 60
    while len(botapi_front_digest_sends(botapi_front, bot_token)) < 20:  # the fan-out is under way
        assert time.monotonic() < deadline, bot.log[-3000:]
        time.sleep(0.05)
    [reply] = user.ask("/unsubscribe")
    assert reply.plain.startswith("Unsubscribed")
    deadline = time.monotonic() + 60
    while query(db, "select count(*) from deliveries")[0][0] < 300:
        assert time.monotonic() < deadline, bot.log[-3000:]
        time.sleep(0.5)
    time.sleep(1)
    assert not all_digests_in(user)
    assert not [p for p in botapi_front_digest_sends(botapi_front, bot_token) if str(p["chat_id"]) == str(user.chat_id)]
    assert "'withdrawn': 1" in bot.log


def test_a_closed_topic_pauses_the_digest_after_one_try_and_the_admin_is_told_once(
        start_bot, db, make_user, botapi_front, bot_token):
    clock = BotClock()
    bot = start_bot(db, **clock.before(10))
    admin = make_user(chat_type="supergroup")
    member = make_user(chat_type="supergroup", chat_id=admin.chat_id)
    botapi_front.chat_admins[admin.chat_id] = [admin.user_id]
    assert "Subscribed" in admin.ask(f"/subscribe {clock.hhmm}", thread_id=7)[0].plain
    add_article(db, 2, "Council votes on the budget")
    botapi_front.refusals[(admin.chat_id, 7)] = (400, "Bad Request: TOPIC_CLOSED")
    deadline = time.monotonic() + 40
    while query(db, "select active from subscriptions where chat_id = ?", [admin.chat_id]) != [(0,)]:
        assert time.monotonic() < deadline, bot.log[-3000:]
        time.sleep(0.2)
    bot.stop()  # a restart a minute later: the catch-up run does not try it again
    wait_for_log(start_bot(db, **clock.after(70)), "digest catch-up at start done")
    tried = [p for p in botapi_front_digest_sends(botapi_front, bot_token) if str(p["chat_id"]) == str(admin.chat_id)]
    assert len(tried) == 1
    # a member is not told; the admin is, once, after the answer to their command
    member.command("/latest 1")
    member_saw = member.wait_for(timeout=10, settle=1.5)
    assert not [m for m in member_saw if "digest has stopped" in m.plain]
    admin.command("/latest 1")
    answers = admin.wait_for(lambda ms: any("digest has stopped" in m.plain for m in ms), timeout=15, settle=1.0)
    [notice] = [m for m in answers if "digest has stopped" in m.plain]
    assert "topic" in notice.plain and "/subscribe" in notice.plain
    admin.command("/latest 1")
    again = admin.wait_for(timeout=10, settle=1.5)
    assert not [m for m in again if "digest has stopped" in m.plain]
    settings = admin.ask("/settings")[0].plain
    assert "Paused" in settings and "topic" in settings
    assert DIGEST_HEAD not in "".join(m.plain for m in admin.inbox)
