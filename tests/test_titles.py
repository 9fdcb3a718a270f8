"""Plain-text titles: a headline is told from a one-sentence lede, a byline and a caption, whether or
not it ends with a full stop. Every line below is written for this project."""
from __future__ import annotations

import pytest

from briefs.parse import parse_text

BODY = "\n\nThe harbour board met on Tuesday night to vote on the new fees for the port.\n\nMore text follows here.\n"


def first_read(first: str):
    parsed = parse_text(first + BODY, stem="t", source="t.txt")
    assert parsed.articles, parsed.errors
    return parsed.articles[0]


@pytest.mark.parametrize("headline", [
    "Harbour Board Raises Docking Fees for Cruise Ships",  # title case
    "Harbour Board Raises Docking Fees for Cruise Ships.",  # title case with a full stop
    "Harbour board raises docking fees, angering cruise lines.",  # sentence case with a full stop
    "Port of Norland to raise fees for cruise ships",  # sentence case, no full stop
    "Mayor Reyes: Cruise lines will pay their fair share.",  # "speaker: words"
    "Board raises fees on cruise ships;",  # a headline whose deck follows on the next line
    "Harbour pilot retired, and the port noticed.",  # a short headline in the past tense
])
def test_a_headline_is_the_title(headline):
    article = first_read(headline)
    assert article.title == headline.rstrip(";")
    assert article.lede.startswith("The harbour board met")


@pytest.mark.parametrize("lede", [
    "The harbour board was split on Tuesday over raising docking fees.",  # a lede sentence in the past tense
    "Fees at the Port of Norland have doubled since the spring.",  # the perfect
    "For the third time in a year, the harbour board was back in court.",
    "OTTAWA — The harbour board raises docking fees for cruise ships",  # a dateline
    "NORLAND, Ont., Jan. 4 (CP) — The harbour board raises docking fees for cruise ships",  # a wire dateline
    "Mayor Ana Ruiz unveiled a plan on Monday to raise docking fees for the cruise lines.",  # the simple past
    "From Jane Roe, writing in the Norland Harbour Gazette:",  # introduces what follows
    "Jane Roe, The Canadian Press",  # a byline
    "CTV Vancouver",  # an outlet's byline line
    "Harbour pilots at work near the Norland docks on Monday. (Jane Roe/CBC)",  # a photo caption
])
def test_a_lede_byline_or_caption_is_not_a_title(lede):
    article = first_read(lede)
    assert article.title is None


def test_a_byline_is_not_the_lede_either():
    article = first_read("Jane Roe and John Doe, The Associated Press")
    assert article.title is None
    assert article.lede.startswith("The harbour board met")
    assert "Jane Roe" not in article.mentions
