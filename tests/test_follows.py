"""Following people (issue 14): /follow matching, limits, alerts exactly once, corrections, news only,
merges, blocked chats and migrations, quiet hours, "More". A real SQLite store; the Telegram side of the
alert job (limiter, refusals) with the fake Bot API of tests/fake_botapi.py is at the end."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlite_utils

from briefs import people
from briefs.follow_replies import FollowAnswers
from briefs.follows import MAX_FOLLOWS, Follows, quiet
from briefs.models import Speaker
from briefs.nameindex import NameIndex
from briefs.store import Store
import follow_helpers
from conftest import make_article
from follow_helpers import due

NOW = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=5)  # ingest stamps real time
CHAT, OTHER = 101, 202


def story(n: int, said: dict[str, list[str]], *, published=None, url=None, title=None):
    speakers = [Speaker(name, "a minister", [], "person") for name in said]
    quotes = [(name, "direct" if i % 2 == 0 else "indirect", text)
              for name, texts in said.items() for i, text in enumerate(texts)]
    return make_article(title or f"Story {n}", ident=f"s{n}", url=url or f"https://news.example/{n}",
                        published=published or NOW - timedelta(hours=1), speakers=speakers, quotes=quotes)


def setup(path=":memory:"):
    store = Store(path)
    follows = Follows(store, clock=lambda: NOW)
    return store, follows, FollowAnswers(follows, NameIndex(store))


def later(follows: Follows, seconds: int) -> None:
    follow_helpers.later(follows, seconds, NOW)


def test_follow_a_quoted_person_and_get_each_new_quote_exactly_once():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["Old words."]}))
    assert "Following Jane Smith" in answers.follow(CHAT, "Jane Smith").text
    assert "already follow" in answers.follow(CHAT, "jane smith").text
    assert due(follows) == {}  # what was stored before the follow is not news to the chat
    store.upsert_article(story(2, {"Jane Smith": ["We will act.", "taxes will fall"], "Bob Jones": ["No."]}))
    assert due(follows) == {CHAT: ["We will act.", "taxes will fall"]}
    store.upsert_article(story(2, {"Jane Smith": ["We will act.", "taxes will fall"], "Bob Jones": ["No."]}))
    later(follows, 120)
    assert due(follows) == {}  # the same article again: nothing


def test_a_correction_adding_quotes_alerts_once_more_marked_update_with_only_the_new_ones():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["First."]}))
    answers.follow(CHAT, "Jane Smith")
    store.upsert_article(story(2, {"Jane Smith": ["One."]}))
    assert due(follows) == {CHAT: ["One."]}
    later(follows, 61)
    store.upsert_article(story(2, {"Jane Smith": ["One.", "Two."]}, title="Story 2 (corrected)"))
    assert due(follows) == {CHAT: ["Update: Two."]}
    later(follows, 200)
    store.upsert_article(story(2, {"Jane Smith": ["One.", "Two."], "Bob Jones": ["Hm."]}, title="Story 2 again"))
    assert due(follows) == {}  # corrected, but nothing new by Jane Smith


def test_a_person_quoted_in_one_article_stays_followed_after_it_is_corrected():
    store, follows, answers = setup()
    assert "quoted yet" in answers.follow(CHAT, "Zelda Quinn").text
    store.upsert_article(story(1, {"Zelda Quinn": ["One."]}))
    assert due(follows) == {CHAT: ["One."]}
    later(follows, 61)
    store.upsert_article(story(1, {"Zelda Quinn": ["One.", "Two."]}, title="Story 1 (corrected)"))
    assert due(follows) == {CHAT: ["Update: Two."]}
    later(follows, 200)
    store.upsert_article(story(2, {"Zelda Quinn": ["Three."]}))
    assert due(follows) == {CHAT: ["Three."]}
    assert [f.name for f in follows.list(CHAT)] == ["Zelda Quinn"]


def test_only_news_alerts_an_archive_article_never_does():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["First."]}))
    answers.follow(CHAT, "Jane Smith")
    store.upsert_article(story(2, {"Jane Smith": ["Old news."]}, published=NOW - timedelta(hours=49)))
    assert due(follows) == {}
    assert store.db.execute("select count(*) from follow_pending").fetchone()[0] == 0  # not even held for later
    store.upsert_article(story(3, {"Jane Smith": ["Fresh."]}, published=NOW - timedelta(hours=47)))
    assert due(follows) == {CHAT: ["Fresh."]}


def test_at_most_one_message_per_chat_per_minute_holding_everything_new():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["a"], "Bob Jones": ["b"]}))
    answers.follow(CHAT, "Jane Smith")
    answers.follow(CHAT, "Bob Jones")
    store.upsert_article(story(2, {"Jane Smith": ["one"]}))
    assert due(follows) == {CHAT: ["one"]}
    store.upsert_article(story(3, {"Jane Smith": ["two"]}))
    store.upsert_article(story(4, {"Bob Jones": ["three"]}))
    later(follows, 30)
    assert due(follows) == {}  # within the minute: held
    later(follows, 61)
    assert due(follows) == {CHAT: ["two", "three"]}


def test_a_full_name_not_yet_quoted_can_be_followed_and_alerts_when_they_are():
    store, follows, answers = setup()
    assert "full name" in answers.follow(CHAT, "Zelda").text
    assert follows.list(CHAT) == []
    text = answers.follow(CHAT, "Zelda Quinn").text
    assert "Nobody called Zelda Quinn has been quoted yet" in text and "tell you" in text
    assert "not quoted yet" in answers.following(CHAT).text
    store.upsert_article(story(1, {"Zelda Quinn": ["Hello."]}))
    assert due(follows) == {CHAT: ["Hello."]}
    assert follows.list(CHAT)[0].person_id is not None


def test_several_matches_ask_which_one_and_the_button_follows():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Hillary Clinton": ["x"], "Bill Clinton": ["y"]}))
    reply = answers.follow(CHAT, "Clinton")
    assert "Which one?" in reply.text
    data = [b.data for row in reply.buttons for b in row]
    assert len(data) == 2 and all(d.startswith("fw:p") for d in data)
    chosen = answers.follow_button(CHAT, int(data[0][4:]))
    assert chosen.text.startswith("Following ")
    assert len(follows.list(CHAT)) == 1


def test_following_lists_with_unfollow_buttons_and_unfollow_by_name_or_all():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["a"], "Bob Jones": ["b"]}))
    answers.follow(CHAT, "Jane Smith")
    answers.follow(CHAT, "Bob Jones")
    listing = answers.following(CHAT)
    assert "Jane Smith" in listing.text and "Bob Jones" in listing.text
    buttons = [b for row in listing.buttons for b in row]
    assert [b.label for b in buttons] == ["Unfollow Jane Smith", "Unfollow Bob Jones"]
    assert answers.unfollow_button(OTHER, int(buttons[0].data[3:])).text == "You no longer follow them."
    assert answers.unfollow_button(CHAT, int(buttons[0].data[3:])).text == "Unfollowed Jane Smith."
    assert answers.unfollow(CHAT, "Bob").text == "Unfollowed Bob Jones."
    answers.follow(CHAT, "Jane Smith")
    assert answers.unfollow(CHAT, "all").text == "Unfollowed everyone (1)."
    assert "follow nobody" in answers.following(CHAT).text


def test_at_most_fifty_follows_per_chat_and_admins_only_when_not_allowed():
    store, follows, answers = setup()
    for n in range(MAX_FOLLOWS):
        assert "tell you" in answers.follow(CHAT, f"Person Number{n}").text
    assert f"follows {MAX_FOLLOWS} people" in answers.follow(CHAT, "One Toomany").text
    assert follows.count(CHAT) == MAX_FOLLOWS
    assert "admins" in answers.follow(OTHER, "Jane Smith", allowed=False).text
    assert "admins" in answers.unfollow(CHAT, "all", allowed=False).text
    assert follows.count(CHAT) == MAX_FOLLOWS and follows.count(OTHER) == 0


def test_a_merge_carries_follows_and_the_merged_persons_quotes_alert():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Hillary Clinton": ["x"], "Bill Clinton": ["y"]}))
    hillary = store.db.execute("select person_id from quotes where speaker = 'Hillary Clinton'").fetchone()[0]
    bill = store.db.execute("select person_id from quotes where speaker = 'Bill Clinton'").fetchone()[0]
    follows.follow(CHAT, person_id=bill, name="Bill Clinton")
    follows.follow(OTHER, person_id=hillary, name="Hillary Clinton")
    follows.follow(OTHER, person_id=bill, name="Bill Clinton")
    keep = people.merge(store, hillary, bill)
    store.upsert_article(story(2, {"Bill Clinton": ["merged words"]}))
    assert due(follows) == {CHAT: ["merged words"], OTHER: ["merged words"]}
    assert [f.person_id for f in follows.list(CHAT)] == [keep]
    assert [f.person_id for f in follows.list(OTHER)] == [keep]  # one follow per person


def test_a_blocked_chat_is_paused_a_migrated_group_keeps_its_follows_unsubscribe_leaves_them():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["a"]}))
    answers.follow(-5, "Jane Smith")
    answers.follow(CHAT, "Jane Smith")
    follows.deactivate(CHAT, "blocked")
    follows.migrate(-5, -1005)
    from briefs.subscriptions import Subscriptions
    Subscriptions(store).unsubscribe(-1005)
    store.upsert_article(story(2, {"Jane Smith": ["b"]}))
    assert due(follows) == {-1005: ["b"]}
    assert "paused" in answers.following(CHAT).text
    answers.follow(CHAT, "Jane Smith")  # following again wakes the chat
    store.upsert_article(story(3, {"Jane Smith": ["c"]}))
    later(follows, 61)
    assert due(follows) == {-1005: ["c"], CHAT: ["c"]}


def test_quiet_hours_are_read_in_the_chats_zone():
    berlin = ZoneInfo("Europe/Berlin")
    assert quiet(datetime(2026, 3, 10, 21, 30, tzinfo=timezone.utc), berlin)  # 22:30 there
    assert not quiet(datetime(2026, 3, 10, 6, 30, tzinfo=timezone.utc), berlin)  # 07:30 there
    assert quiet(datetime(2026, 3, 10, 5, 59, tzinfo=timezone.utc), berlin)
    assert not quiet(datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc), ZoneInfo("UTC"))


def test_a_long_alert_has_more_pages_read_back_from_the_store(tmp_path):
    store, follows, answers = setup(tmp_path / "s.db")
    store.upsert_article(story(0, {"Jane Smith": ["a"]}))
    answers.follow(CHAT, "Jane Smith")
    for n in range(1, 13):
        store.upsert_article(story(n, {"Jane Smith": [f"Long words {n} " + "blah " * 60 + str(i) for i in range(3)]}))
    while follows.collect():
        pass
    alert = follows.pending(CHAT)
    first = answers.alert_page(alert.quotes, 0, timezone.utc)
    follows.record(alert, message_id=7)
    assert len(first.text) < 4096 and first.buttons[0][0].label == "More"
    seen = first.text.count("/article_")
    data = first.buttons[0][0].data
    assert data.count(":") == 1  # under the alert itself: its message id comes with the press
    while data:
        offset, _, origin = data[3:].partition(":")
        page = answers.more(CHAT, int(origin or 7), int(offset), timezone.utc)
        assert len(page.text) < 4096
        seen += page.text.count("/article_")
        data = page.buttons[0][0].data if page.buttons else None
        assert data is None or data.endswith(":7")
    assert seen == 12
    assert answers.more(OTHER, 7, 0, timezone.utc).text == "That button has expired."


def test_a_store_of_the_previous_schema_migrates_and_its_articles_never_alert(tmp_path):
    path = tmp_path / "old.db"
    before = Store(path)  # written by this code, then taken back to m008's schema below
    before.upsert_article(story(1, {"Jane Smith": ["Said before the upgrade."]}))
    before.close()
    db = sqlite_utils.Database(path)
    for trigger in ("article_feed_added", "article_feed_corrected"):
        db.execute(f"drop trigger {trigger}")
    for name in ("follows", "article_feed", "follow_state", "follow_pending", "follow_batches", "follow_quotes"):
        db.execute(f"drop table {name}")
    db.execute("delete from _sqlite_migrations where name = 'm009_follows'")
    db.conn.commit()
    assert "follows" not in db.table_names()
    db.close()
    store = Store(path)
    follows = Follows(store, clock=lambda: NOW)
    answers = FollowAnswers(follows, NameIndex(store))
    assert "Following Jane Smith" in answers.follow(CHAT, "Jane Smith").text
    assert due(follows) == {}
    store.upsert_article(story(2, {"Jane Smith": ["After."]}))
    assert due(follows) == {CHAT: ["After."]}


# -- the alert job's Telegram side: PTB's real ExtBot and the digest limiter over the fake Bot API -----------

def send_alerts(follows: Follows, answers: FollowAnswers, api, zone: str = "UTC"):
    import asyncio

    from bot.follows import AlertSender
    from bot.ratelimit import DigestRateLimiter
    from fake_botapi import make_bot

    async def go():
        bot = make_bot(api, DigestRateLimiter())
        async with bot:
            return await AlertSender(answers, zone).run(bot)

    return asyncio.run(go())


def test_the_job_sends_through_the_limiter_honours_retry_after_pauses_blocked_chats_and_hushes_at_night():
    from fake_botapi import FakeBotAPI

    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["a"]}))
    for chat in (CHAT, OTHER, 303):
        answers.follow(chat, "Jane Smith")
    store.db.execute("insert into subscriptions (chat_id, time, tz, filters, marker, next_due_utc, next_local_date,"
                     " active) values (303, '08:00', 'Pacific/Auckland', '', 0, '2030-01-01', '2030-01-01', 1)")
    store.db.conn.commit()
    store.upsert_article(story(2, {"Jane Smith": ["Now it is done."]}))
    api = FakeBotAPI()
    api.blocked.add(OTHER)
    api.retry_after_once.add(CHAT)
    night = NOW.replace(hour=23)  # 23:00 UTC: quiet for UTC chats; Auckland is at midday then
    follows.clock = lambda: night
    report = send_alerts(follows, answers, api)
    assert report.sent == 2 and report.deactivated == 1
    [sent] = api.sent[CHAT]  # the 429 was waited out and the send made again, once
    assert "“Now it is done.”" in sent["text"] and sent["disable_notification"] is True
    assert api.sent[303][0].get("disable_notification") in (None, False)
    assert "paused" in answers.following(OTHER).text
    follows.clock = lambda: night + timedelta(minutes=5)
    assert send_alerts(follows, answers, api).sent == 0  # nothing twice, and the blocked chat is not tried
    assert [c for c in api.calls if c == ("sendMessage", OTHER)] == [("sendMessage", OTHER)]


def test_an_alerted_article_is_still_in_the_daily_digest():
    from briefs.digest import Filters, compose

    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["a"]}))
    answers.follow(CHAT, "Jane Smith")
    marker = store.max_seq()
    store.upsert_article(story(2, {"Jane Smith": ["We will act."]}, title="Budget vote delayed"))
    assert due(follows) == {CHAT: ["We will act."]}
    for filters in (Filters(), Filters.parse("who:jane")):
        assert "Budget vote delayed" in compose(store, marker, store.max_seq(), filters).text
