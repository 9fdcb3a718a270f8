"""What users read about people across articles (issue 13): canonical names, counts summed per person,
unnamed descriptions kept out of rankings, examples from the store, `who:` filters, `newsbrief people`."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

from briefs import people
from briefs.digest import Filters, compose, matching_ids
from briefs.models import Speaker
from briefs.replies import COMMANDS, Replies
from briefs.store import Store
from briefs.digest_answers import DigestAnswers
from briefs.subscriptions import Subscriptions
from cli_helper import run_cli
from conftest import make_article

BASE = datetime(2025, 8, 1, 12, 0, tzinfo=timezone.utc)


def plain(replies) -> str:
    return "\n---\n".join(html.unescape(re.sub(r"<[^>]*>", "", r.text)) for r in replies)


def add(store: Store, index: int, speakers: list[tuple], *, title: str | None = None) -> None:
    """Article `index`: each speaker (name, description[, aliases]) quoted twice and claiming once."""
    made = [Speaker(s[0], s[1], list(s[2]) if len(s) > 2 else []) for s in speakers]
    quotes = [(s.name, "direct", f"Pipeline talk {n} by {s.name} in {index}.") for s in made for n in (1, 2)]
    store.upsert_article(make_article(
        title or f"Pipeline story {index}", ident=f"s{index}", url=f"https://news.example/s/{index}",
        published=BASE + timedelta(hours=index), speakers=made, quotes=quotes,
        claims=[(s.name, f"The pipeline, says {s.name}, in {index}.", 0.9) for s in made],
        mentions=[s.name for s in made]))


def obama_store(tmp_path) -> Store:
    store = Store(tmp_path / "people.db")
    add(store, 1, [("Obama", "Mr."), ("experts", None)])
    add(store, 2, [("Barack Obama", "President", ["Barack", "Obama"])])
    add(store, 3, [("President Obama", None), ("sources", None)])
    add(store, 4, [("Donald J. Trump", "Mr.")])
    add(store, 5, [("Donald Trump", "GOP nominee", ["Donald", "Trump"])])
    add(store, 6, [("Donald Trump", "GOP nominee", ["Donald", "Trump"])])
    return store


def test_bare_who_sums_each_person_and_leaves_unnamed_groups_out(tmp_path):
    replies = Replies(obama_store(tmp_path))
    text = plain(replies.answer_text("/who"))
    assert "1. Barack Obama — 6 quotes in 3 articles" in text
    assert "2. Donald Trump — 6 quotes in 3 articles" in text
    assert "experts" not in text and "sources" not in text and "\n3." not in text
    assert "e.g. /who Barack Obama" in text


def test_who_by_any_written_name_gives_the_one_page(tmp_path):
    replies = Replies(obama_store(tmp_path))
    for typed in ("Trump", "Donald J. Trump", "donald trump", "Mr. Trump"):
        page = plain(replies.answer_text(f"/who {typed}"))
        assert page.startswith("Donald Trump\n"), typed
        assert "Quoted in 3 articles (6 quotes)" in page
    page = plain(replies.answer_text("/who Obama"))
    assert page.startswith("Barack Obama\n") and "President Obama" in page.splitlines()[2]
    assert page.splitlines()[1] == "President"  # the description; "Mr." is no description
    assert "Which one" not in plain(replies.answer_text("/who experts"))
    assert "experts" not in plain(replies.answer_text("/who exprts"))


def test_which_one_offers_people_not_descriptions(tmp_path):
    store = Store(tmp_path / "s.db")
    add(store, 1, [("Bill Clinton", "former President")])
    add(store, 2, [("Hillary Clinton", "Secretary of State")])
    add(store, 3, [("Clinton", None), ("officials", None)])
    answer = Replies(store).answer_text("/who Clinton")[0]
    text = plain([answer])
    assert "Which one?" in text
    assert "Bill Clinton — former President" in text and "Hillary Clinton — Secretary of State" in text
    labels = [b.label for row in answer.buttons for b in row]
    assert "officials" not in labels and all(b.data.startswith("who:p") for row in answer.buttons for b in row)


def test_canonical_names_across_articles_and_as_written_in_the_article(tmp_path):
    store = obama_store(tmp_path)
    replies = Replies(store)
    latest = plain(replies.answer_text("/latest 6"))
    assert "Quoted: Barack Obama, experts" in latest  # article 1 wrote "Obama"; "experts" shown as written
    assert "Quoted: Donald Trump" in latest and "Donald J. Trump" not in latest
    claims = plain(replies.answer_text("/claims Barack Obama"))
    assert claims.startswith("Claims by Barack Obama") and claims.count("Barack Obama claims") == 3
    search = plain(replies.answer_text("/search talk by President Obama"))
    assert "• President Obama:" not in search and "• Barack Obama: “Pipeline talk 1 by President Obama" in search
    article = plain(replies.answer_text("/article 3"))
    assert "President Obama" in article and "Barack Obama" not in article
    digest = compose(store, 0, store.max_seq(), Filters.parse("who:trump"), title="Digest")
    assert "in 4.”</i> — Donald Trump\n" in digest.text and "— Donald J. Trump" not in digest.text


def test_who_filters_match_identities_and_subscribe_says_when_several_match(tmp_path):
    store = obama_store(tmp_path)
    add(store, 7, [("Michelle Obama", None)])
    assert matching_ids(store, 0, store.max_seq(), Filters.parse("who:barack")) == [3, 2, 1]
    assert matching_ids(store, 0, store.max_seq(), Filters.parse("who:obama")) == [7, 3, 2, 1]
    answers = DigestAnswers(Subscriptions(store))
    text = answers.subscribe(7, "08:00 UTC who:obama").text
    assert "who:obama matches 2 people: Barack Obama, Michelle Obama" in html.unescape(text)
    assert "matches" not in answers.subscribe(7, "08:00 UTC who:michelle").text
    assert "no one quoted yet" in answers.subscribe(7, "who:nobody").text


def test_a_merge_by_the_editor_shows_at_once_in_a_running_bot(tmp_path):
    store = Store(tmp_path / "s.db")
    add(store, 1, [("Bill Clinton", "former President")])
    add(store, 2, [("William Clinton", None)])
    replies = Replies(store)
    assert "Which one?" in plain(replies.answer_text("/who Clinton"))
    other = Store(tmp_path / "s.db")  # the editor's process
    bill = other.db.execute("select person_id from speakers where name = 'Bill Clinton'").fetchone()[0]
    william = other.db.execute("select person_id from speakers where name = 'William Clinton'").fetchone()[0]
    people.merge(other, bill, william)
    page = plain(replies.answer_text("/who Clinton"))
    assert page.startswith("Bill Clinton\n") and "Quoted in 2 articles (4 quotes)" in page
    assert "1. Bill Clinton — 4 quotes in 2 articles" in plain(replies.answer_text("/who"))


def test_examples_come_from_the_store_and_an_empty_store_says_so(tmp_path):
    empty = Replies(Store(tmp_path / "empty.db"))
    for command in ("/start", "/help", "/who", "/claims", "/search", "hello"):
        text = plain(empty.answer_text(command))
        assert "Doctorow" not in text and "Chasov" not in text and "sanctions" not in text, command
    assert "No one is quoted yet" in plain(empty.answer_text("/who"))
    assert "e.g. /who NAME" in plain(empty.answer_text("/help"))
    store = obama_store(tmp_path)
    replies = Replies(store)
    texts = {c: plain(replies.answer_text(c)) for c in ("/start", "/help", "/search", "/claims !!", "hello")}
    assert "/who Barack Obama" in texts["/start"] and "/who Barack Obama" in texts["hello"]
    topic = replies.examples().topic
    assert topic == "pipeline"
    assert f"/search {topic}" in texts["/search"] and f"/claims {topic}" in texts["/claims !!"]
    assert f'who:"Barack Obama" topic:{topic}' in texts["/help"]
    for info in COMMANDS:  # every example in /help answers with something from the store
        example = info.example_for(replies.examples())
        if info.name in ("who", "claims", "search", "article"):
            answer = plain(replies.answer_text(example))
            assert "No one" not in answer and "Nothing found" not in answer and "No claims" not in answer, example
    help_text = DigestAnswers(Subscriptions(store)).subscribe(9, "25:99 Mars/Base").text
    assert f'who:"Barack Obama" topic:{topic}' in html.unescape(help_text)


def test_newsbrief_people_list_merge_split_rename(tmp_path):
    store = Store(tmp_path / "cli.db")
    add(store, 1, [("Bill Clinton", "former President")])
    add(store, 2, [("Hillary Clinton", None)])
    store.close()
    db = tmp_path / "cli.db"
    listed = run_cli("people", "list", db=db)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    ids = {row[1]: row[0] for row in rows}
    assert set(ids) == {"Bill Clinton", "Hillary Clinton"} and rows[0][3:5] == ["1 article", "2 quotes"]
    merged = run_cli("people", "merge", ids["Bill Clinton"], ids["Hillary Clinton"], db=db)
    assert merged.returncode == 0 and "Bill Clinton" in merged.stdout
    assert "4 quotes\tHillary Clinton" in run_cli("people", "list", db=db).stdout
    split = run_cli("people", "split", ids["Bill Clinton"], "--name", "Hillary Clinton", db=db)
    assert split.returncode == 0 and "new person" in split.stdout
    renamed = run_cli("people", "rename", ids["Bill Clinton"], "William", "J.", "Clinton", db=db)
    assert renamed.returncode == 0
    names = {line.split("\t")[1] for line in run_cli("people", "list", db=db).stdout.splitlines()}
    assert names == {"William J. Clinton", "Hillary Clinton"}
    refused = run_cli("people", "split", ids["Bill Clinton"], "--name", "Nobody", db=db)
    assert refused.returncode == 1 and refused.stderr.startswith("error: ") and "Traceback" not in refused.stderr


def test_a_name_first_only_mentioned_then_quoted_is_one_entry(tmp_path):
    store = Store(tmp_path / "s.db")
    store.upsert_article(make_article("Mention", ident="m1", url="https://news.example/m/1", mentions=["Ana Ruiz"]))
    replies = Replies(store)
    assert "mentioned in 1 article but never quoted" in plain(replies.answer_text("/who Ruiz"))
    add(store, 2, [("Ana Ruiz", "economist")])
    page = plain(replies.answer_text("/who Ruiz"))
    assert page.startswith("Ana Ruiz\neconomist") and "Which one" not in page


def test_a_corrected_article_that_no_longer_names_someone_drops_them_from_who(tmp_path):
    store = Store(tmp_path / "s.db")
    add(store, 1, [("Bill Clinton", "former President")])
    add(store, 2, [("Chelsea Clinton", None)])
    replies = Replies(store)
    assert "Which one?" in plain(replies.answer_text("/who Clinton"))
    corrected = make_article("Pipeline story 2", ident="s2", url="https://news.example/s/2",
                             published=BASE + timedelta(hours=2, minutes=5), speakers=[Speaker("Bill Clinton")],
                             quotes=[("Bill Clinton", "direct", "It was Bill.")])
    assert store.upsert_article(corrected).action == "replaced"
    page = plain(replies.answer_text("/who Clinton"))
    assert page.startswith("Bill Clinton\n") and "Chelsea" not in page
