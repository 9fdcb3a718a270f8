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
