"""Following people, the store's side (issue 14 review): what is news to a chat after corrections, the 48 h rule
on corrected undated articles, quotes told apart by speaker, followed names binding to people, merges and splits
carrying follows, and an alert recorded despite a busy store. Real SQLite files; no Telegram."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import sqlite_utils

from briefs import people
from briefs import store as store_module
from briefs.follow_replies import FollowAnswers
from briefs.follows import Follows
from briefs.models import Speaker
from briefs.nameindex import NameIndex
from briefs.store import Store
import follow_helpers
from conftest import make_article

NOW = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=5)  # ingest stamps real time
CHAT, LATE = 101, 202  # LATE follows after some versions were stored


def story(n: int, said: dict[str, list[str]], *, published=NOW - timedelta(hours=1), title=None):
    speakers = [Speaker(name, "a minister", [], "person") for name in said]
    quotes = [(name, "direct", text) for name, texts in said.items() for text in texts]
    return make_article(title or f"Story {n}", ident=f"s{n}", url=f"https://news.example/{n}",
                        published=published, speakers=speakers, quotes=quotes)


def open_store(tmp_path):
    store = Store(tmp_path / "s.db")
    follows = Follows(store, clock=lambda: NOW)
    return store, follows, FollowAnswers(follows, NameIndex(store))


def due(follows: Follows) -> dict[int, list[str]]:
    return follow_helpers.due(follows, named=True)


def later(follows: Follows, seconds: int) -> None:
    follow_helpers.later(follows, seconds, NOW)


def person(store: Store, speaker: str) -> int:
    return store.db.execute("select person_id from quotes where speaker = ? order by id desc limit 1",
                            [speaker]).fetchone()[0]


def pending_rows(store: Store) -> int:
    return store.db.execute("select count(*) from follow_pending").fetchone()[0]


# -- A: what a correction sends ----------------------------------------------------------------------------------


def test_a_correction_never_sends_quotes_that_were_stored_before_the_chat_followed(tmp_path):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(1, {"Jane Smith": ["First words."]}))
    store.upsert_article(story(2, {"Jane Smith": ["Old words in story two."]}))
    answers.follow(CHAT, "Jane Smith")
    assert due(follows) == {}
    store.upsert_article(story(2, {"Jane Smith": ["Old words in story two."], "Bob Jones": ["No."]},
                               title="Story 2 (corrected)"))
    assert due(follows) == {}  # only Bob was added: nothing is news to a chat that follows Jane
    assert pending_rows(store) == 0
    store.upsert_article(story(2, {"Jane Smith": ["Old words in story two.", "Really new words."]},
                               title="Story 2 (corrected again)"))
    assert due(follows) == {CHAT: ["Jane Smith: Really new words."]}


def test_versions_stored_after_the_follow_keep_their_quotes_until_sent_and_a_late_follower_gets_only_its_news(
        tmp_path):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(1, {"Jane Smith": ["First words."]}))
    answers.follow(CHAT, "Jane Smith")
    store.upsert_article(story(2, {"Jane Smith": ["Version one says this."]}))
    store.upsert_article(story(2, {"Jane Smith": ["Version one says this.", "Version two adds that."]},
                               title="Story 2 (corrected)"))  # both versions within one alert interval
    assert due(follows) == {CHAT: ["Jane Smith: Version one says this.", "Jane Smith: Version two adds that."]}
    answers.follow(LATE, "Jane Smith")
    later(follows, 61)
    store.upsert_article(story(2, {"Jane Smith": ["Version one says this.", "Version two adds that.",
                                                  "Version three, at last."]}, title="Story 2 (third)"))
    assert due(follows) == {CHAT: ["Update: Jane Smith: Version three, at last."],
                            LATE: ["Jane Smith: Version three, at last."]}


def test_a_quote_a_correction_dropped_and_put_back_is_not_news_to_a_chat_that_followed_in_between(tmp_path):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(0, {"Jane Smith": ["Elsewhere."]}))
    store.upsert_article(story(1, {"Jane Smith": ["First words.", "Said in the first version."]}))
    store.upsert_article(story(1, {"Jane Smith": ["First words."]}, title="Story 1 (cut)"))
    answers.follow(CHAT, "Jane Smith")
    store.upsert_article(story(1, {"Jane Smith": ["First words.", "Said in the first version."]},
                               title="Story 1 (restored)"))
    assert due(follows) == {}


# -- B: the 48 h rule reads the first ingest ----------------------------------------------------------------------


class _ThreeDaysAgo(datetime):
    @classmethod
    def now(cls, tz=None):
        return NOW - timedelta(days=3)


def test_a_corrected_undated_archive_article_stays_old_news(tmp_path, monkeypatch):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(0, {"Jane Smith": ["Fresh words."]}))
    answers.follow(CHAT, "Jane Smith")
    with monkeypatch.context() as patch:  # an undated archive article loaded three days ago
        patch.setattr(store_module, "datetime", _ThreeDaysAgo)
        store.upsert_article(story(1, {"Jane Smith": ["Archived words."]}, published=None))
    assert due(follows) == {}
    store.upsert_article(story(1, {"Jane Smith": ["Archived words.", "More archived words."]}, published=None,
                               title="Story 1 (corrected)"))  # a correction today: same URL, no date
    assert store.db.execute("select count(*) from articles").fetchone()[0] == 2  # it replaced the archived one
    assert due(follows) == {}
    store.upsert_article(story(2, {"Jane Smith": ["Undated but new."]}, published=None))
    assert due(follows) == {CHAT: ["Jane Smith: Undated but new."]}


# -- C: quotes told apart by who said them and by every word ------------------------------------------------


def test_the_same_words_said_by_two_followed_people_are_two_quotes(tmp_path):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(1, {"Jane Smith": ["a"], "Bob Jones": ["b"]}))
    answers.follow(CHAT, "Jane Smith")
    answers.follow(CHAT, "Bob Jones")
    store.upsert_article(story(2, {"Jane Smith": ["No."], "Bob Jones": ["No."]}))
    assert due(follows) == {CHAT: ["Jane Smith: No.", "Bob Jones: No."]}


def test_near_identical_quotes_are_all_sent_and_a_correction_sends_every_changed_one_once(tmp_path):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(1, {"Jane Smith": ["a"]}))
    answers.follow(CHAT, "Jane Smith")
    store.upsert_article(story(2, {"Jane Smith": ["Unemployment fell to 4 percent in May.",
                                                  "Unemployment fell to 5 percent in May.",
                                                  "The plan is working"]}))
    assert due(follows) == {CHAT: ["Jane Smith: Unemployment fell to 4 percent in May.",
                                   "Jane Smith: Unemployment fell to 5 percent in May.",
                                   "Jane Smith: The plan is working"]}
    later(follows, 61)
    store.upsert_article(story(2, {"Jane Smith": ["Unemployment fell to 4 percent in May",  # end stop only
                                                  "Unemployment fell to 5 percent in May.",
                                                  "The plan is not working."]}, title="Story 2 (corrected)"))
    assert due(follows) == {CHAT: ["Update: Jane Smith: The plan is not working."]}


# -- D, F: a followed name binds to one person ---------------------------------------------------------------------


def test_a_followed_name_with_a_title_binds_to_the_person_quoted_without_it(tmp_path):
    store, follows, answers = open_store(tmp_path)
    assert "has been quoted yet" in answers.follow(CHAT, "Dr Olga Example").text
    store.upsert_article(story(1, {"Olga Example": ["Hello there."]}))
    assert due(follows) == {CHAT: ["Olga Example: Hello there."]}
    assert [f.person_id for f in follows.list(CHAT)] == [person(store, "Olga Example")]


def two_olgas(store: Store) -> tuple[int, int]:
    store.upsert_article(make_article(
        "Story 1", ident="s1", url="https://news.example/1", published=NOW - timedelta(hours=1),
        speakers=[Speaker("Olga Example", "a doctor", [], "person"), Speaker("Dr. Olga Example", None, [], "person")],
        quotes=[("Olga Example", "direct", "One."), ("Dr. Olga Example", "direct", "Two.")]))
    people.split(store, person(store, "Olga Example"), "Dr. Olga Example")  # an editor: two people after all
    olga, doctor = person(store, "Olga Example"), person(store, "Dr. Olga Example")
    assert olga != doctor
    return olga, doctor


def test_a_followed_name_two_people_share_waits_and_choosing_one_of_them_is_that_follow(tmp_path):
    store, follows, answers = open_store(tmp_path)
    olga, doctor = two_olgas(store)
    status, follow = follows.follow(CHAT, name="Dr Olga Example")
    assert status == "added" and follow.person_id is None  # which of the two? neither yet
    assert follows.follow(LATE, name="Olga Example")[1].person_id == olga  # the name exactly as written is one
    store.upsert_article(story(2, {"Olga Example": ["Three."]}))
    assert due(follows) == {LATE: ["Olga Example: Three."]}
    assert [f.person_id for f in follows.list(CHAT)] == [None]
    status, follow = follows.follow(CHAT, person_id=doctor, name="Olga Example")  # the "Which one?" button
    assert status == "added" and [f.person_id for f in follows.list(CHAT)] == [doctor]


def test_a_followed_name_that_comes_to_name_a_person_the_chat_follows_is_dropped(tmp_path):
    store, follows, answers = open_store(tmp_path)
    olga, doctor = two_olgas(store)
    follows.follow(CHAT, person_id=olga, name="Olga Example")
    assert follows.follow(CHAT, name="Dr Olga Example")[1].person_id is None  # one of two: it waits
    people.merge(store, olga, doctor)  # the editor again: one person after all
    store.upsert_article(story(2, {"Olga Example": ["Three."]}))
    assert due(follows) == {CHAT: ["Olga Example: Three."]}
    assert [f.person_id for f in follows.list(CHAT)] == [olga]  # the name follow bound to her: one follow left
    assert follows.count(CHAT) == 1


def test_a_followed_name_that_binds_to_a_person_the_chat_follows_is_removed(tmp_path):
    store, follows, answers = open_store(tmp_path)
    answers.follow(CHAT, "Dr Zed Quux")
    store.upsert_article(story(1, {"Zed Quux": ["Here I am."]}))
    assert answers.follow(CHAT, "Zed Quux").text.startswith("You already follow")  # the name follow is Zed now
    assert [f.person_id for f in follows.list(CHAT)] == [person(store, "Zed Quux")]
    assert due(follows) == {CHAT: ["Zed Quux: Here I am."]}


def test_a_person_first_quoted_in_an_archive_article_is_followed_as_that_person(tmp_path):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(1, {"Olga Example": ["From the archive."]}, published=NOW - timedelta(days=30)))
    assert due(follows) == {}
    olga = person(store, "Olga Example")
    assert answers.follow(CHAT, "Olga Example").text.startswith("Following Olga Example")
    status, follow = follows.follow(LATE, name="Dr Olga Example")  # a name the index did not find, said in full
    assert status == "added" and follow.person_id == olga
    assert [f.person_id for f in follows.list(CHAT)] == [olga]
    store.upsert_article(story(2, {"Olga Example": ["News today."]}))
    assert due(follows) == {CHAT: ["Olga Example: News today."], LATE: ["Olga Example: News today."]}


# -- E: merges and splits carry follows ----------------------------------------------------------------------------


def test_a_merge_then_a_split_carry_each_follow_to_the_person_it_was_made_for(tmp_path):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(0, {"Bill Clinton": ["Bill alone."]}))
    store.upsert_article(story(1, {"Bill Clinton": ["Bill before."], "Hillary Clinton": ["Hillary before."]}))
    bill, hillary = person(store, "Bill Clinton"), person(store, "Hillary Clinton")
    assert answers.follow(CHAT, "Hillary Clinton").text.startswith("Following Hillary Clinton")
    assert answers.follow(LATE, "Bill Clinton").text.startswith("Following Bill Clinton")
    kept = people.merge(store, bill, hillary)  # an editor's mistake
    assert [f.person_id for f in follows.list(CHAT)] == [kept]
    assert [f.person_id for f in follows.list(LATE)] == [kept]
    store.upsert_article(story(2, {"Hillary Clinton": ["Hillary merged."]}))
    shown = people.get_person(store, kept).name
    assert due(follows) == {CHAT: [f"{shown}: Hillary merged."], LATE: [f"{shown}: Hillary merged."]}
    apart = people.split(store, kept, "Hillary Clinton")  # undone
    assert [f.person_id for f in follows.list(CHAT)] == [apart]
    assert [f.person_id for f in follows.list(LATE)] == [kept]
    later(follows, 61)
    store.upsert_article(story(3, {"Hillary Clinton": ["Hillary apart."], "Bill Clinton": ["Bill apart."]}))
    assert due(follows) == {CHAT: ["Hillary Clinton: Hillary apart."], LATE: ["Bill Clinton: Bill apart."]}


def test_a_split_off_every_article_of_a_person_leaves_the_rest_its_id_and_its_follows(tmp_path):
    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(1, {"Bill Clinton": ["Bill before."], "Hillary Clinton": ["Hillary before."]}))
    answers.follow(CHAT, "Bill Clinton")
    kept = people.merge(store, person(store, "Bill Clinton"), person(store, "Hillary Clinton"))
    apart = people.split(store, kept, "Hillary Clinton")  # every article of the person is linked again
    assert person(store, "Bill Clinton") == kept and person(store, "Hillary Clinton") == apart
    assert people.get_person(store, kept).name == "Bill Clinton"
    store.upsert_article(story(2, {"Bill Clinton": ["Bill apart."], "Hillary Clinton": ["Hillary apart."]}))
    assert due(follows) == {CHAT: ["Bill Clinton: Bill apart."]}


# -- the store of the previous schema (m008) ------------------------------------------------------------------------


def test_a_store_of_the_previous_schema_keeps_first_ingest_times_and_its_old_quotes_are_not_news(tmp_path):
    path = tmp_path / "old.db"
    before = Store(path)  # written by this code, then taken back to m008's schema below
    before.upsert_article(story(0, {"Jane Smith": ["Elsewhere."]}))
    before.upsert_article(story(1, {"Jane Smith": ["Said before the upgrade."]}))
    before.upsert_article(story(2, {"Jane Smith": ["Undated, loaded long ago."]}, published=None))
    before.close()
    db = sqlite_utils.Database(path)
    for trigger in ("article_feed_added", "article_feed_corrected"):
        db.execute(f"drop trigger {trigger}")
    for name in ("follows", "article_feed", "article_versions", "replaced_quotes", "follow_state", "follow_pending",
                 "follow_batches", "follow_quotes"):
        db.execute(f"drop table {name}")
    db.execute("alter table articles drop column first_ingested_at")
    db.execute("update articles set ingested_at = ? where id = 3", [(NOW - timedelta(days=3)).isoformat()])
    db.execute("delete from _sqlite_migrations where name = 'm009_follows'")
    db.conn.commit()
    db.close()
    store = Store(path)
    follows = Follows(store, clock=lambda: NOW)
    assert store.db.execute("select count(*) from articles where first_ingested_at = ingested_at").fetchone()[0] == 3
    FollowAnswers(follows, NameIndex(store)).follow(CHAT, "Jane Smith")
    store.upsert_article(story(1, {"Jane Smith": ["Said before the upgrade.", "Said after it."]}, title="Story 1b"))
    store.upsert_article(story(2, {"Jane Smith": ["Undated, loaded long ago.", "Corrected now."]}, published=None,
                               title="Story 2b"))
    assert due(follows) == {CHAT: ["Jane Smith: Said after it."]}


# -- G: an accepted alert is recorded even when the store is busy past its timeout ---------------------------------


def test_an_alert_sent_while_another_writer_holds_the_store_is_recorded_later_and_never_sent_twice(tmp_path):
    import asyncio

    from bot.follows import AlertSender
    from bot.ratelimit import DigestRateLimiter
    from fake_botapi import FakeBotAPI, make_bot

    store, follows, answers = open_store(tmp_path)
    store.upsert_article(story(1, {"Jane Smith": ["a"]}))
    answers.follow(CHAT, "Jane Smith")
    store.upsert_article(story(2, {"Jane Smith": ["Only once."]}))
    store.db.execute("PRAGMA busy_timeout = 50")  # this connection gives up waiting fast
    other = sqlite3.connect(tmp_path / "s.db", isolation_level=None, check_same_thread=False)
    api = FakeBotAPI()
    api.on_send = lambda chat_id: other.execute("BEGIN IMMEDIATE")  # a backup starts as the alert leaves
    sender = AlertSender(answers, "UTC")

    async def run():
        bot = make_bot(api, DigestRateLimiter())
        async with bot:
            return await sender.run(bot)

    try:
        assert asyncio.run(run()).sent == 1
        assert store.db.execute("select count(*) from follow_quotes").fetchone()[0] == 0  # not recorded yet
        api.on_send = None
        later(follows, 61)
        assert asyncio.run(run()).sent == 0  # the store is still busy: the chat is not served again
    finally:
        other.execute("COMMIT")
        other.close()
    later(follows, 200)
    assert asyncio.run(run()).sent == 0  # recorded now: nothing twice
    assert store.db.execute("select count(*) from follow_quotes").fetchone()[0] == 1
    assert len(api.sent[CHAT]) == 1 and "Only once." in api.sent[CHAT][0]["text"]
