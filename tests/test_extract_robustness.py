"""Hostile input: bounded work and valid offsets; importing briefs does not load spaCy.

Every paragraph below is written for this project (invented people and events); none
comes from the evaluation set.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from briefs.extract import extract, find_quote_spans
from briefs.parse import parse_text
from extract_helpers import check_offsets


def test_quote_spans_are_linear_and_valid():
    text = '"' * 5001
    spans, open_end = find_quote_spans(text)
    assert all(0 <= s <= e <= len(text) for s, e in spans)


HOSTILE = [
    '"unbalanced quote that never ends, said nobody at all',
    'closing only” marks ” everywhere ” here, he said.',
    '"' * 3000,
    ('“' * 1500) + ('”' * 1500),
    ('"a" ' * 2000) + "he said.",
    "x" * 1_000_000,
    ('word "quoted words here" ' * 20_000),
    "😀 “Emoji 🎉 quote with flags 🇨🇦 inside,” said Zoë Ångström. 👍",
    "«مرحبا بكم في الأخبار» قال المتحدث. \u202eRTL override text\u202c “done,” she said.",
    "\u200b\u200d\ufeff" * 1000,
    "'single' 'quotes' 'only' " * 500,
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("body", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_finishes_with_valid_offsets(body):
    parsed = parse_text("Hostile Input Story\n\n" + body + "\n", stem="h", source="h")
    for article in parsed.articles:
        extract(article)
        check_offsets(article)
        for c in article.claims:
            assert 0.0 <= c.score <= 1.0


@pytest.mark.timeout(60)
def test_hostile_scraper_layout_line():
    text = (" date 2025-01-02 World\nA Title Here\nA Title Here\nsummary\nbody\nA Title Here\n\n"
            "10:00 GMT 02.01.2025\n" + ('"' + "y" * 50 + " ") * 20_000 + "\n")
    for article in parse_text(text, stem="s", source="s").articles:
        extract(article)
        check_offsets(article)


def test_importing_briefs_does_not_load_spacy():
    import subprocess
    import sys

    code = "import sys, briefs, briefs.extract, briefs.parse; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.parametrize("mark", ["''", "\""])
def test_a_word_in_double_apostrophes_inside_a_source_phrase_keeps_the_parse(mark):
    # "Any ''clear-eyed'' reading ..., said X": the phrase cut at the marks left a blank speaker that
    # threw the whole article back to the reading without the parse (no names, no reported speech)
    text = (f"The harbour board met on Monday.\n\nAny {mark}clear-eyed{mark} reading of Mr. Reyes's plan, said "
            "Tom Bell, an expert on ports at the Harbour Institute, would see it as an admission that the city "
            "is giving up on the channel.")
    article = extract(parse_text("A Test Story About Things\n\n" + text, stem="t", source="t").articles[0])
    assert "Tom Bell" in article.mentions
    assert all(q.speaker is None or q.speaker.strip() for q in article.quotes)
def test_a_blank_speaker_name_is_no_speaker_and_keeps_the_articles_other_quotes():
    from briefs.extract.attribution import Found
    from briefs.extract.entities import Registry
    from briefs.extract.results import quotes_of, speakers_of

    article = parse_text("A Test Story\n\nThe pier will reopen in May, Mayor Ida Lund said.", stem="t", source="t").articles[0]
    start = article.text.index("The pier")
    end = article.text.index(", Mayor")
    found = [Found(article.text[start:end], " ", "indirect", start, end, 1)]
    quotes = quotes_of(article, found)
    assert [(q.text, q.speaker) for q in quotes] == [("The pier will reopen in May", None)]
    assert speakers_of(quotes, Registry(None)) == []  # (a blank name once raised here and lost every report)
