"""People across articles (issue 13): linking rules, re-linking, corrections, migration, old buttons.

The linking cases live in fixtures/people_links.json with their expectations; the replies that show people
(canonical names, summed counts, "Which one?") are in tests/test_people_replies.py.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlite_utils

from briefs import people
from briefs.models import Speaker
from briefs.nameindex import person_key
from briefs.replies import Replies
from briefs.store import Store, fold, migrations
from conftest import FIXTURES, make_article

CASES = json.loads((FIXTURES / "people_links.json").read_text())["cases"]
BASE = datetime(2025, 8, 1, 12, 0, tzinfo=timezone.utc)


def article(index: int, speakers: list, *, text: str | None = None, tag: str = "a"):
    """Article `index`: each speaker quoted once, under a URL of its own."""
    made = [Speaker(s[0], s[1], list(s[3]) if len(s) > 3 else [], s[2]) for s in speakers]
    return make_article(
        f"Story {tag} {index}", ident=f"{tag}{index}", url=f"https://news.example/{tag}/{index}", text=text,
        published=BASE + timedelta(hours=index), speakers=made,
        quotes=[(s.name, "direct", f"Words of {s.name} in story {index}.") for s in made],
        claims=[(s.name, f"Claim of {s.name} in story {index}.", 0.5) for s in made],
    )


def person_of(store: Store, ref: str, order: list[int]) -> int | None:
    """The person id of speaker 'INDEX:name' (INDEX in the case's own numbering)."""
    index, name = ref.split(":", 1)
    article_id = order.index(int(index)) + 1
    row = store.db.execute("select person_id from speakers where article_id = ? and name = ?", [article_id, name]).fetchone()
    assert row is not None, ref
    return row[0]


def orders(case) -> list[list[int]]:
    forward = list(range(len(case["articles"])))
    return [forward, forward[::-1]] if case.get("both_orders") else [forward]


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_linking_rule(case):
    for order in orders(case):
        store = Store(":memory:")
        for index in order:
            store.upsert_article(article(index, case["articles"][index]))
        for a, b in case.get("same", []):
            assert person_of(store, a, order) is not None
            assert person_of(store, a, order) == person_of(store, b, order), (case["rule"], order, a, b)
        for a, b in case.get("apart", []):
            assert person_of(store, a, order) != person_of(store, b, order), (case["rule"], order, a, b)
        for ref in case.get("unnamed", []):
            assert person_of(store, ref, order) is None, (case["rule"], ref)
        # quotes and claims follow their speaker
        assert not store.db.execute(
            "select 1 from quotes q join speakers s on s.article_id = q.article_id and s.norm = q.speaker_norm "
            "where q.person_id is not s.person_id").fetchall()
        store.close()


def test_acronym_given_in_the_text_links_the_short_form():
    store = Store(":memory:")
    store.upsert_article(article(0, [["NATO", None, "org"]]))
    text = "Story 1\nThe North Atlantic Treaty Organization (NATO) said so.\n"
    store.upsert_article(article(1, [["the North Atlantic Treaty Organization", None, "org"]], text=text))
    assert person_of(store, "0:NATO", [0, 1]) == person_of(store, "1:the North Atlantic Treaty Organization", [0, 1])


def test_a_new_full_name_re_links_earlier_rows_in_the_same_transaction(tmp_path):
    store = Store(tmp_path / "s.db")
    store.upsert_article(article(0, [["Obama", "Mr.", "person"]]))
    before = store.db.execute("select person_id from quotes where article_id = 1").fetchone()[0]
    store.upsert_article(article(1, [["Barack Obama", "President", "person"]]))
    after = {r[0] for r in store.db.execute("select person_id from quotes")}
    claims = {r[0] for r in store.db.execute("select person_id from claims")}
    assert len(after) == 1 and after == claims and before not in after
    assert people.live_id(store, before) == after.pop()  # the old id redirects (buttons already sent)


def test_a_corrected_version_re_links_and_recounts(tmp_path):
    store = Store(tmp_path / "s.db")
    store.upsert_article(article(0, [["Donald Trump", None, "person"]]))
    store.upsert_article(article(1, [["Ivanka Trump", None, "person"]]))
    corrected = article(1, [["Donald Trump", "President", "person"]])
    corrected.published += timedelta(minutes=1)  # another version: same URL, other content
    assert store.upsert_article(corrected).action == "replaced"
    ids = {r[0] for r in store.db.execute("select person_id from quotes")}
    assert len(ids) == 1
    assert not store.db.execute("select 1 from person_names where norm = 'ivanka trump'").fetchone()
    rows = store.db.execute("select rows from person_names where norm = 'donald trump'").fetchone()[0]
    assert rows == 2


def test_a_person_keeps_their_id_when_their_only_article_is_corrected_or_re_extracted(tmp_path):
    """Follows and buttons already sent name a person id: a new version of the one article that quotes
    them must not leave that id nameless and make a new one."""
    store = Store(tmp_path / "s.db")
    store.upsert_article(article(0, [["Zelda Quinn", "a curator", "person"]]))
    before = person_of(store, "0:Zelda Quinn", [0])
    corrected = article(0, [["Zelda Quinn", "a curator", "person"], ["Bob Stone", None, "person"]])
    corrected.published += timedelta(minutes=1)
    assert store.upsert_article(corrected).action == "replaced"
    assert person_of(store, "0:Zelda Quinn", [0]) == before
    store.replace_extraction(1, corrected, reparsed=False)
    assert person_of(store, "0:Zelda Quinn", [0]) == before
    assert people.candidates(store, "Zelda Quinn") == [before]
    assert store.db.execute("select count(*) from people where norm = 'zelda quinn'").fetchone()[0] == 1


# -- corrections --------------------------------------------------------------------------------


def _two_clintons(store: Store) -> tuple[int, int]:
    store.upsert_article(article(0, [["Bill Clinton", "former President", "person"]]))
    store.upsert_article(article(1, [["Hillary Clinton", "Secretary of State", "person"]]))
    return person_of(store, "0:Bill Clinton", [0, 1]), person_of(store, "1:Hillary Clinton", [0, 1])


def test_merge_split_rename_and_they_survive_a_corrected_version(tmp_path):
    store = Store(tmp_path / "s.db")
    bill, hillary = _two_clintons(store)
    assert people.merge(store, bill, hillary) == bill
    assert {r[0] for r in store.db.execute("select person_id from quotes")} == {bill}
    assert people.live_id(store, hillary) == bill
    # a corrected version of Hillary's article re-links by the merge rule on her name
    corrected = article(1, [["Hillary Clinton", "Secretary of State", "person"]])
    corrected.published += timedelta(minutes=1)
    assert store.upsert_article(corrected).action == "replaced"
    assert {r[0] for r in store.db.execute("select person_id from quotes")} == {bill}

    apart = people.split(store, bill, "Hillary Clinton")
    assert apart != bill
    assert person_of(store, "1:Hillary Clinton", [0, 1]) == apart
    assert person_of(store, "0:Bill Clinton", [0, 1]) == bill
    corrected.published += timedelta(minutes=1)
    store.upsert_article(corrected)
    store.upsert_article(article(2, [["Hillary Clinton", None, "person"]]))
    assert person_of(store, "1:Hillary Clinton", [0, 1, 2]) == apart
    assert person_of(store, "2:Hillary Clinton", [0, 1, 2]) == apart

    people.rename(store, bill, "William J. Clinton")
    store.upsert_article(article(3, [["Bill Clinton", "42nd President", "person"]]))
    assert people.get_person(store, bill).name == "William J. Clinton"
    assert person_of(store, "3:Bill Clinton", [0, 1, 2, 3]) == bill


def test_corrections_refuse_what_cannot_be_done(tmp_path):
    store = Store(tmp_path / "s.db")
    bill, hillary = _two_clintons(store)
    with pytest.raises(people.PeopleError, match="no name"):
        people.split(store, bill, "Chelsea Clinton")
    with pytest.raises(people.PeopleError, match="only name"):
        people.split(store, hillary, "Hillary Clinton")
    with pytest.raises(people.PeopleError, match="no person"):
        people.merge(store, bill, 999)
    with pytest.raises(people.PeopleError, match="already one"):
        people.merge(store, bill, bill)
    with pytest.raises(people.PeopleError, match="empty"):
        people.rename(store, bill, "  ")
    assert {r[0] for r in store.db.execute("select person_id from quotes")} == {bill, hillary}


def test_person_api_gives_names_descriptions_and_candidates(tmp_path):
    store = Store(tmp_path / "s.db")
    store.upsert_article(article(0, [["Donald Trump", "Republican nominee", "person", ["Mr. Trump", "Trump"]]]))
    store.upsert_article(article(1, [["President Donald Trump", "Republican nominee", "person"]]))
    store.upsert_article(article(2, [["Donald J. Trump", "businessman", "person"]]))
    pid = person_of(store, "0:Donald Trump", [0, 1, 2])
    person = people.get_person(store, pid)
    assert person.name == "Donald Trump"
    assert {"Mr. Trump", "President Donald Trump", "Donald J. Trump"} <= set(person.aliases)
    assert person.descriptions[0] == "Republican nominee"  # two articles beat one
    assert person.articles == 3 and person.quotes == 3
    assert people.candidates(store, "trump") == [pid]
    assert people.candidates(store, "donald j") == [pid]
    assert people.candidates(store, "tru") == []  # whole words
    assert [p.id for p in people.list_people(store)] == [pid]


# -- the migration and old buttons ----------------------------------------------------------------


def _old_schema_store(path) -> None:
    """A store as the previous schema wrote it (migrations up to m005, rows without person ids)."""
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m008_people")
    assert "people" not in db.table_names()
    speakers = [("Obama", "Mr."), ("Barack Obama", "President"), ("experts", None), ("the White House", None)]
    for i, (name, description) in enumerate(speakers, start=1):
        db["articles"].insert({"id": i, "seq": i, "title": f"Old {i}", "body": "text", "content_hash": f"h{i}",
                               "ingested_at": "2025-01-01T00:00:00+00:00", "published": f"2025-01-0{i}T00:00:00+00:00"})
        db["speakers"].insert({"article_id": i, "name": name, "norm": fold(name), "description": description,
                               "aliases": "[]", "kind": "org" if name.startswith("the") else "person"})
        for n in range(3):
            db["quotes"].insert({"article_id": i, "position": n, "speaker": name, "speaker_norm": fold(name),
                                 "text": f"old words {i} {n}", "kind": "direct", "start": 0, "end": 4})
    db["subscriptions"].insert({"chat_id": 5, "time": "08:00", "tz": "UTC", "filters": "who:obama", "marker": 0,
                                "next_due_utc": "2025-01-01T08:00:00+00:00", "next_local_date": "2025-01-01", "active": 1})
    db.close()


def test_a_store_of_the_previous_schema_migrates_without_re_ingest(tmp_path):
    path = tmp_path / "old.db"
    _old_schema_store(path)
    store = Store(path)
    assert store.db.execute("select count(*) from articles").fetchone()[0] == 4
    pids = {r[0] for r in store.db.execute("select person_id from quotes where article_id in (1, 2)")}
    assert len(pids) == 1 and None not in pids  # "Mr. Obama" and "Barack Obama": one person
    assert store.db.execute("select person_id from quotes where article_id = 3").fetchone()[0] is None
    replies = Replies(store)
    text = replies.answer_text("/who Obama")[0].text
    assert text.startswith("<b>Barack Obama</b>") and "6 quotes" in text
    # buttons sent before the migration carried the 12-hex key of the name as written
    for old in (f"who:{person_key('obama')}", f"more:who:1:{person_key('barack obama')}"):
        assert "Barack Obama" in replies.press(old)[0].text, old
    # the stored digest filter still matches
    from briefs.digest import Filters, matching_ids
    assert matching_ids(store, 0, 4, Filters.parse("who:obama")) == [2, 1]


def test_old_and_new_buttons_resolve_after_a_merge(tmp_path):
    store = Store(tmp_path / "s.db")
    bill, hillary = _two_clintons(store)
    replies = Replies(store)
    new_button = replies.answer_text("/who Hillary Clinton")[0]
    assert "Hillary Clinton" in new_button.text
    old_key = f"who:{person_key('hillary clinton')}"
    people.merge(store, bill, hillary)
    for data in (old_key, f"who:p{hillary}", f"more:who:0:p{hillary}", f"who:p{bill}"):
        text = replies.press(data)[0].text
        assert text.startswith("<b>Bill Clinton</b>") and "2 quotes" in text, data
    assert "no longer" in replies.press("who:p99999")[0].text


def test_inside_an_article_a_surname_alone_is_whom_the_article_named():
    store = Store(":memory:")
    store.upsert_article(article(0, [["Ivanka Trump", None, "person"]]))
    store.upsert_article(article(1, [["Melania Trump", None, "person"]]))
    made = make_article("Story 2", ident="x2", url="https://news.example/x/2", speakers=[Speaker("Ivanka Trump")],
                        quotes=[("Ivanka Trump", "direct", "One."), ("Trump", "direct", "Two.")])
    store.upsert_article(made)
    ivanka = person_of(store, "0:Ivanka Trump", [0, 1])
    assert {r[0] for r in store.db.execute("select person_id from quotes where article_id = 3")} == {ivanka}


def test_every_name_an_article_counted_is_uncounted_when_a_correction_replaces_it(tmp_path):
    text = "Story 0\nThe North Atlantic Treaty Organization (NATO) met.\n"

    def first_version(minutes: int):
        made = article(0, [["the North Atlantic Treaty Organization", None, "org"],
                           ["Donald Trump", None, "person", ["Trump", "Mr. Trump"]], ["experts", None, "person"]],
                       text=text)
        made.quotes.append(type(made.quotes[0])("Aside.", "Trump", "direct", 0, 6))
        made.published += timedelta(minutes=minutes)
        return made

    def counts(store):
        return dict(store.db.execute("select p.name || ':' || n.norm, n.rows from person_names n "
                                     "join people p on p.id = n.person_id").fetchall())

    store = Store(tmp_path / "s.db")
    store.upsert_article(first_version(0))
    store.upsert_article(article(1, [["Donald Trump", None, "person"]]))
    before = counts(store)
    second = article(0, [["Donald Trump", None, "person"]], text=text)
    second.published += timedelta(minutes=1)
    assert store.upsert_article(second).action == "replaced"
    assert "Donald Trump:mr. trump" not in counts(store) and counts(store)["Donald Trump:donald trump"] == 2
    assert store.upsert_article(first_version(2)).action == "replaced"
    assert counts(store) == before  # back to the first version: every count as it was, nothing left over


def test_a_split_takes_what_the_article_said_through_that_speaker_and_the_counts_follow(tmp_path):
    store = Store(tmp_path / "s.db")
    store.upsert_article(article(0, [["Bill Clinton", "former President", "person", ["Bill", "Clinton"]]]))
    made = make_article("Story 1", ident="h1", url="https://news.example/h/1",
                        speakers=[Speaker("Hillary Clinton", None, ["Hillary"])],
                        quotes=[("Hillary Clinton", "direct", "One."), ("Hillary", "direct", "Two.")])
    store.upsert_article(made)
    bill = person_of(store, "0:Bill Clinton", [0, 1])
    people.merge(store, bill, person_of(store, "1:Hillary Clinton", [0, 1]))
    apart = people.split(store, bill, "Hillary Clinton")
    assert {r[0] for r in store.db.execute("select person_id from quotes where article_id = 2")} == {apart}
    assert set(people.aliases(store, apart)) == {"Hillary Clinton", "Hillary"}
    assert set(people.aliases(store, bill)) == {"Bill Clinton", "Bill", "Clinton"}
    assert people.get_person(store, bill).quotes == 1


def test_a_rule_about_one_person_leaves_others_written_alike_alone(tmp_path):
    store = Store(tmp_path / "s.db")
    store.upsert_article(article(0, [["Bill Clinton", None, "person", ["Clinton"]]]))
    store.upsert_article(article(1, [["Hillary Clinton", None, "person", ["Clinton"]]]))
    store.upsert_article(article(2, [["William Clinton", None, "person", ["Clinton"]]]))
    bill, hillary, william = (person_of(store, f"{i}:{n}", [0, 1, 2])
                              for i, n in ((0, "Bill Clinton"), (1, "Hillary Clinton"), (2, "William Clinton")))
    people.merge(store, bill, william)
    people.rename(store, bill, "William J. Clinton")
    store.upsert_article(article(3, [["Hillary Clinton", "senator", "person", ["Clinton"]]]))
    assert people.get_person(store, hillary).name == "Hillary Clinton"
    assert person_of(store, "3:Hillary Clinton", [0, 1, 2, 3]) == hillary
    assert people.get_person(store, bill).name == "William J. Clinton"
