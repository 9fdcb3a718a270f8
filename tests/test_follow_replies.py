"""Following people, the answers and the alert sender (issue 14 review): /follow follows only the person
named exactly, else "Which one?" (as /who asks it, with a button to follow the typed full name); /following
pages; hostile names; alerts go to the forum topic of the /follow; an unreadable answer is never sent twice;
failed sends back off. A real SQLite store; the Telegram side with PTB's ExtBot over tests/fake_botapi.py."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import sqlite_utils

from briefs import people
from briefs.follow_replies import FollowAnswers
from briefs.follows import MAX_FOLLOWS, Follows
from briefs.models import Speaker
from briefs.nameindex import NameIndex
from briefs.store import Store
from conftest import make_article

NOW = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=5)
CHAT = 101


def story(n: int, said: dict[str, list[str]], described: dict[str, str] | None = None):
    speakers = [Speaker(name, (described or {}).get(name, "a minister"), [], "person") for name in said]
    quotes = [(name, "direct", text) for name, texts in said.items() for text in texts]
    return make_article(f"Story {n}", ident=f"s{n}", url=f"https://news.example/{n}",
                        published=NOW - timedelta(hours=1), speakers=speakers, quotes=quotes)


def setup(path=":memory:"):
    store = Store(path)
    follows = Follows(store, clock=lambda: NOW)
    return store, follows, FollowAnswers(follows, NameIndex(store))


def buttons(reply) -> list[tuple[str, str]]:
    return [(b.label, b.data) for row in reply.buttons for b in row]


def press(answers: FollowAnswers, data: str, chat: int = CHAT, thread_id: int | None = None):
    """What bot.follows.button does with fw: data."""
    rest = data[3:]
    if rest.startswith("p"):
        return answers.follow_button(chat, int(rest[1:]), thread_id=thread_id)
    return answers.follow_name_button(chat, rest[1:], thread_id=thread_id)


# -- 1. /follow follows only the person named exactly --------------------------------------------------

def test_a_new_full_name_never_follows_someone_else_it_offers_them_and_the_name_as_written():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["Hello."]}))
    reply = answers.follow(CHAT, "John Smith")
    assert "Following" not in reply.text and follows.list(CHAT) == []
    assert "Jane Smith" in reply.text
    offered = buttons(reply)
    assert offered[0][0] == "Jane Smith" and offered[0][1].startswith("fw:p")
    label, data = offered[-1]
    assert "John Smith" in label and data == "fw:nJohn Smith"
    assert "Nobody called John Smith has been quoted yet" in press(answers, data).text
    [followed] = follows.list(CHAT)
    assert followed.name == "John Smith" and followed.person_id is None


def test_the_exact_name_with_or_without_a_title_follows_at_once_a_surname_alone_asks():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["Hello."]}))
    reply = answers.follow(CHAT, "Smith")
    assert "Which one?" in reply.text and follows.list(CHAT) == []
    assert [label for label, _ in buttons(reply)] == ["Jane Smith"]  # one word: nothing to follow as written
    assert answers.follow(CHAT, "Dr. jane SMITH").text.startswith("Following Jane Smith")
    assert [f.name for f in follows.list(CHAT)] == ["Jane Smith"]


def test_a_typo_offers_the_close_names_as_who_does():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Gilbert Doctorow": ["We will see."]}))
    reply = answers.follow(CHAT, "Gilbert Doctorov")
    assert follows.list(CHAT) == []
    assert "Gilbert Doctorow" in reply.text and "Gilbert Doctorov" in reply.text
    labels = [label for label, _ in buttons(reply)]
    assert labels[0] == "Gilbert Doctorow" and "Gilbert Doctorov" in labels[-1]
    assert press(answers, buttons(reply)[0][1]).text.startswith("Following Gilbert Doctorow")


# -- 2. "Which one?" is /who's: descriptions, namesakes told apart, more than shown said ---------------

def test_which_one_describes_each_person_and_tells_namesakes_apart():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"John Smith": ["Goal."]}, {"John Smith": "a footballer at Leeds United"}))
    store.upsert_article(story(2, {"Jon Smith": ["Vote."]}, {"Jon Smith": "a senator from Ohio"}))
    senator = store.db.execute("select person_id from quotes where speaker = 'Jon Smith'").fetchone()[0]
    people.rename(store, senator, "John Smith")  # two people now shown with the same name
    reply = answers.follow(CHAT, "John Smith")
    assert follows.list(CHAT) == [] and "Which one?" in reply.text
    assert "footballer at Leeds United" in reply.text and "senator from Ohio" in reply.text
    labels = [label for label, data in buttons(reply) if data.startswith("fw:p")]
    assert len(labels) == 2 and len(set(labels)) == 2, labels
    assert len(buttons(reply)) == 2  # both are called that: no "follow as written" beside them
    chosen = [data for label, data in buttons(reply) if "senator" in label][0]
    assert press(answers, chosen).text.startswith("Following John Smith")
    assert follows.list(CHAT)[0].person_id == senator


def test_more_matches_than_shown_are_said():
    store, follows, answers = setup()
    firsts = ["Ann", "Bea", "Cal", "Dan", "Eve", "Fay", "Gus", "Hal", "Ida", "Jon", "Kim", "Lou"]
    for n, first in enumerate(firsts):
        store.upsert_article(story(n, {f"{first} Clark": [f"Words {n}."]}))
    reply = answers.follow(CHAT, "Clark")
    assert len([d for _, d in buttons(reply) if d.startswith("fw:p")]) == 8
    assert "4 more" in reply.text


# -- 3. /following pages under 4096 characters -----------------------------------------------------

def test_following_fifty_long_names_pages_under_telegrams_limit_paused_said_once():
    store, follows, answers = setup()
    for n in range(MAX_FOLLOWS):
        name = f"Person{n:02d} " + " ".join(["Verylongsurname"] * 7)
        assert "tell you" in answers.follow(CHAT, name).text, name
    follows.deactivate(CHAT, "blocked")
    seen, page, pages = [], answers.following(CHAT), 0
    while True:
        pages += 1
        assert len(page.text) < 4096
        seen += [line for line in page.text.splitlines() if line.startswith("• ")]
        more = [d for label, d in buttons(page) if label == "More"]
        unfollow = [d for label, d in buttons(page) if label.startswith("Unfollow")]
        assert len(unfollow) == len([line for line in page.text.splitlines() if line.startswith("• ")])
        if not more:
            break
        page = answers.following(CHAT, offset=int(more[0][3:]))
    assert pages > 1 and len(seen) == MAX_FOLLOWS and len(set(seen)) == MAX_FOLLOWS
    assert answers.following(CHAT).text.count("paused") == 1


# -- 7. hostile names ---------------------------------------------------------------------------

def test_html_long_and_empty_names_get_clear_answers_and_nothing_is_stored():
    store, follows, answers = setup()
    reply = answers.follow(CHAT, "<b>Evil</b> <a href='x'>Name</a>")
    assert "<b>Evil" not in reply.text and "&lt;b&gt;Evil" in reply.text
    assert answers.unfollow(CHAT, "<script>").text.count("<script>") == 0
    long_name = "Jane " + "Smithson" * 40
    reply = answers.follow(CHAT, long_name)
    assert "too long" in reply.text and len(reply.text) < 400
    assert "too long" in answers.unfollow(CHAT, long_name).text
    for empty in ("", "   ", "\n", "!!! ???"):
        assert "/follow NAME" in answers.follow(CHAT, empty).text
        assert "/unfollow NAME" in answers.unfollow(CHAT, empty).text
    assert [f.name for f in follows.list(CHAT)] == ["<b>Evil</b> <a href='x'>Name</a>"]
    assert "&lt;b&gt;Evil" in answers.following(CHAT).text


# -- the alert job's Telegram side: PTB's real ExtBot and the digest limiter over the fake Bot API -----------

class TopicBotAPI:
    """fake_botapi.FakeBotAPI, with refusals per (chat, topic): a closed General, a deleted topic."""

    def __new__(cls):
        from fake_botapi import FakeBotAPI

        class Topics(FakeBotAPI):
            def __init__(self):
                super().__init__()
                self.topic_refusals: dict[tuple[int, int | None], str] = {}

            async def do_request(self, url, method, request_data=None, **kw):
                import json

                params = request_data.parameters if request_data else {}
                thread = params.get("message_thread_id")
                key = (int(params.get("chat_id", 0)), int(thread) if thread is not None else None)
                if url.endswith("/sendMessage") and key in self.topic_refusals:
                    self.calls.append(("sendMessage", key[0]))
                    return 400, json.dumps({"ok": False, "error_code": 400,
                                            "description": self.topic_refusals[key]}).encode()
                return await super().do_request(url, method, request_data, **kw)

        return Topics()


def run_alerts(answers: FollowAnswers, api):
    from bot.follows import AlertSender
    from bot.ratelimit import DigestRateLimiter
    from fake_botapi import make_bot

    async def go():
        bot = make_bot(api, DigestRateLimiter())
        async with bot:
            return await AlertSender(answers, "UTC").run(bot)

    return asyncio.run(go())


def at(follows: Follows, seconds: int) -> None:
    follows.clock = lambda: NOW + timedelta(seconds=seconds)


def sends(api, chat: int) -> int:
    return api.calls.count(("sendMessage", chat))


def test_alerts_go_to_the_topic_of_the_follow_a_closed_general_pauses_nothing_a_deleted_topic_falls_back():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["Before."]}))
    forum, topic_gone, private = -1001, -1002, 303
    answers.follow(forum, "Jane Smith", thread_id=9)
    answers.follow(topic_gone, "Jane Smith", thread_id=4)
    answers.follow(private, "Jane Smith")
    api = TopicBotAPI()
    api.topic_refusals[(forum, None)] = "Bad Request: TOPIC_CLOSED"  # General is closed
    api.topic_refusals[(topic_gone, 4)] = "Bad Request: message thread not found"
    store.upsert_article(story(2, {"Jane Smith": ["Now."]}))
    report = run_alerts(answers, api)
    assert report.sent == 3 and report.deactivated == 0
    [alert] = api.sent[forum]
    assert alert["message_thread_id"] == 9 and "“Now.”" in alert["text"]
    assert api.sent[topic_gone][0].get("message_thread_id") is None  # the topic is gone: the chat itself
    assert api.sent[private][0].get("message_thread_id") is None
    assert all(f.active for chat in (forum, topic_gone) for f in follows.list(chat))
    answers.follow(forum, "Jane Smith")  # again, in General: alerts go there from now on
    store.upsert_article(story(3, {"Jane Smith": ["Later."]}))
    at(follows, 61)
    run_alerts(answers, api)
    assert len(api.sent[forum]) == 1 and "paused" in answers.following(forum).text  # General is closed for good


def test_an_unreadable_answer_counts_as_delivered_and_is_never_sent_again():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["Before."]}))
    answers.follow(CHAT, "Jane Smith")
    store.upsert_article(story(2, {"Jane Smith": ["Now."]}))
    api = TopicBotAPI()
    api.answers[CHAT] = (200, b"<html>502 from a proxy, after Telegram took the message</html>")
    report = run_alerts(answers, api)
    assert sends(api, CHAT) == 1 and report.failed == 0
    del api.answers[CHAT]
    for seconds in (61, 300, 3600):
        at(follows, seconds)
        run_alerts(answers, api)
    assert sends(api, CHAT) == 1 and api.sent[CHAT] == []
    store.upsert_article(story(3, {"Jane Smith": ["Next."]}))  # the chat is not held up by it
    run_alerts(answers, api)
    assert ["“Next.”" in m["text"] for m in api.sent[CHAT]] == [True]


def test_a_failing_chat_backs_off_1_2_4_minutes_and_is_served_again_when_it_works():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["Before."]}))
    answers.follow(CHAT, "Jane Smith")
    store.upsert_article(story(2, {"Jane Smith": ["Now."]}))
    api = TopicBotAPI()
    api.refuse[CHAT] = (400, "Bad Request: can't parse entities: unexpected end tag")  # not permanent
    tried = []
    for seconds in range(0, 9 * 60, 20):
        at(follows, seconds)
        before = sends(api, CHAT)
        run_alerts(answers, api)
        if sends(api, CHAT) > before:
            tried.append(seconds)
    assert tried == [0, 60, 180, 420], tried  # 1, 2, 4 minutes after each failure, not every minute
    assert all(f.active for f in follows.list(CHAT))
    del api.refuse[CHAT]
    at(follows, 420 + 8 * 60)
    assert run_alerts(answers, api).sent == 1 and "“Now.”" in api.sent[CHAT][0]["text"]
    store.upsert_article(story(3, {"Jane Smith": ["Again."]}))
    api.network_fail_once.add(CHAT)
    at(follows, 420 + 9 * 60 + 1)
    run_alerts(answers, api)
    at(follows, 420 + 10 * 60 + 2)  # after a success the next failure waits one minute again
    assert run_alerts(answers, api).sent == 1


def test_a_store_before_m010_migrates_its_follows_kept_and_alerts_go_to_the_chat_until_a_follow_in_a_topic(
        tmp_path):
    path = tmp_path / "m009.db"
    store, follows, answers = setup(path)
    store.upsert_article(story(1, {"Jane Smith": ["Before."]}))
    answers.follow(-1001, "Jane Smith")
    store.close()
    db = sqlite_utils.Database(path)  # back to m009's schema: no follow_chats
    db.execute("drop table follow_chats")
    db.execute("delete from _sqlite_migrations where name = 'm010_follow_thread'")
    db.conn.commit()
    db.close()
    store, follows, answers = setup(path)
    assert "follow_chats" in store.db.table_names() and [f.name for f in follows.list(-1001)] == ["Jane Smith"]
    api = TopicBotAPI()
    store.upsert_article(story(2, {"Jane Smith": ["Now."]}))
    assert run_alerts(answers, api).sent == 1 and api.sent[-1001][0].get("message_thread_id") is None
    assert answers.follow(-1001, "Jane Smith", thread_id=12).text.startswith("You already follow")
    store.upsert_article(story(3, {"Jane Smith": ["Later."]}))
    at(follows, 61)
    assert run_alerts(answers, api).sent == 1 and api.sent[-1001][1]["message_thread_id"] == 12


def test_a_name_followed_as_written_that_binds_at_once_says_whom_it_follows():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Olga Example": ["Prices will stay high."]}))
    reply = answers.follow_name_button(CHAT, "Dr Olga Example")
    assert reply.text.startswith("Following Olga Example") and "quoted yet" not in reply.text
    [followed] = follows.list(CHAT)
    assert followed.person_id is not None and followed.name == "Olga Example"


def test_a_follow_made_under_one_of_two_merged_names_goes_with_that_name_when_it_is_split_off():
    store, follows, answers = setup()
    store.upsert_article(story(1, {"Bill Clinton": ["One."]}))
    store.upsert_article(story(2, {"Hillary Clinton": ["Two."]}))
    bill, hillary = (people.candidates(store, name)[0] for name in ("Bill Clinton", "Hillary Clinton"))
    people.merge(store, bill, hillary)  # an editor's mistake
    assert answers.follow(CHAT, "Hillary Clinton").text.startswith("Following")
    new = people.split(store, people.live_id(store, bill), "Hillary Clinton")
    [followed] = follows.list(CHAT)
    assert followed.person_id == new and followed.name == "Hillary Clinton"


def test_an_alert_waiting_in_the_queue_is_composed_again_when_its_chat_unfollows_someone_in_it():
    from fake_botapi import FakeBotAPI

    store, follows, answers = setup()
    store.upsert_article(story(1, {"Jane Smith": ["a"], "Bob Jones": ["b"]}))
    for chat in (CHAT, CHAT + 1):
        answers.follow(chat, "Jane Smith")
        answers.follow(chat, "Bob Jones")
    store.upsert_article(story(2, {"Jane Smith": ["Jane now."], "Bob Jones": ["Bob now."]}))
    api = FakeBotAPI()
    said = {}

    def first_send(chat_id):  # as the first alert leaves, the other chat unfollows Jane Smith
        if not said:
            said[chat_id] = answers.unfollow(CHAT + 1 if chat_id == CHAT else CHAT, "Jane Smith").text
    api.on_send = first_send
    run_alerts(answers, api)
    [(first, reply)] = said.items()
    other = CHAT + 1 if first == CHAT else CHAT
    assert "Unfollowed" in reply and api.sent.get(other, []) == []  # withdrawn, still pending
    run_alerts(answers, api)
    [alert] = api.sent[other]
    assert "Bob now." in alert["text"] and "Jane" not in alert["text"]
    assert len(api.sent[first]) == 1
