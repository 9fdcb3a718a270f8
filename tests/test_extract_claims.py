"""Step 7, claims and check-worthiness.

Every paragraph below is written for this project (invented people and events); none
comes from the evaluation set.
"""
from __future__ import annotations

from briefs.extract import check_worthiness, extract
from briefs.parse import parse_text
from extract_helpers import article_of


def test_claim_scores_rank_substance_higher():
    assert check_worthiness("Unemployment rose to 7.2 per cent in March, the highest since 2016.") > \
        check_worthiness("We are very happy.")
    for text in ("", "?", "Sales fell 40% because of the strike."):
        assert 0.0 <= check_worthiness(text) <= 1.0


def test_a_claim_from_rules_out_keeps_the_verb_so_its_meaning_is_not_reversed():
    text = (
        "Budget Talks Stall\n\n"
        "Finance minister Ana Costa spoke on Monday.\n"
        "Costa rules out any tax increase before the election in May.\n"
    )
    article = extract(parse_text(text, stem="t", source="t.txt").articles[0])
    quote = next(q for q in article.quotes if "tax increase" in q.text)
    assert not quote.text.lower().startswith("rules out")  # the quote is what is ruled out
    assert quote.lead == "rules out"  # ... and it is shown with its verb
    claim = next(c for c in article.claims if c.source == "speaker" and "tax increase" in c.text)
    assert claim.speaker == "Ana Costa"
    assert claim.lead == "rules out" and claim.text.lower().startswith("any tax increase")  # the verb beside it
    record = next(c for c in article.to_json()["claims"] if c["source"] == "speaker")
    assert record["text"].lower().startswith("rules out any tax increase")  # the JSON Lines record reads as said


def test_a_reported_quote_keeps_its_negating_verb_from_plain_records():
    from briefs.extract.attribution import Found
    from briefs.extract.results import quotes_of

    article = article_of("Mayor Ines Duarte denies that the pool will close this summer.")
    start = article.text.index("that the pool")
    found = [Found(article.text[start:start + 34], "Ines Duarte", "indirect", start, start + 34, 1)]
    (quote,) = quotes_of(article, found)
    assert quote.lead == "denies"
