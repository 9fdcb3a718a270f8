"""Reported claims read with their verb wherever a claim is shown: "Ana Costa rules out any tax
increase ...", never "Ana Costa claims: rules out ..." (issue 11; the claims table's `lead`, m007).
The article is written for this project."""
from __future__ import annotations

import html
import re
import sqlite3

import pytest

from briefs.extract import extract
from briefs.parse import parse_text
from briefs.replies import Replies
from briefs.store import Store

TEXT = ("Budget Talks Stall in the Capital\n\n"
        "Finance minister Ana Costa spoke to reporters on Monday about the spring budget.\n\n"
        "Costa rules out any tax increase before the election in May.\n")
SAID = "Ana Costa rules out any tax increase before the election in May"


def store_with_article(path) -> Store:
    store = Store(path)
    store.upsert_article(extract(parse_text(TEXT, stem="costa", source="costa.txt").articles[0]))
    return store


def shown(store: Store, command: str) -> str:
    text = "\n".join(html.unescape(re.sub(r"<[^>]*>", "", r.text)) for r in Replies(store).answer_text(command))
    return " ".join(text.split())


@pytest.mark.parametrize("command", ["/claims Ana Costa", "/claims tax increase", "/claims", "/search tax increase",
                                     "/article 1"])
def test_a_reported_claim_reads_with_its_verb(tmp_path, command):
    text = shown(store_with_article(tmp_path / "s.db"), command)
    assert SAID in text
    assert "claims: rules out" not in text and "claims rules out" not in text


def test_who_lists_the_claim_with_its_verb_or_not_at_all(tmp_path):
    text = shown(store_with_article(tmp_path / "s.db"), "/who Costa")
    assert "rules out any tax increase" in text  # the quote, reported with its verb
    assert "claims: rules out" not in text


def test_a_store_written_before_m007_gets_its_claims_split_without_reingest(tmp_path):
    path = tmp_path / "old.db"
    store_with_article(path).db.close()
    # the previous schema: no lead column, the verb inside the claim's text, m007 not applied
    con = sqlite3.connect(path)
    con.execute("update claims set text = lead || ' ' || text where lead is not null")
    con.execute("alter table claims drop column lead")
    con.execute("delete from _sqlite_migrations where name = 'm007_claim_lead'")
    con.commit()
    con.close()
    store = Store(path)
    rows = store.db.execute("select lead, text from claims where source = 'speaker'").fetchall()
    assert rows == [("rules out", "any tax increase before the election in May")]
    assert SAID in shown(store, "/claims Ana Costa")
    assert shown(store, "/search election in May")  # the full-text index follows the split
