"""Properties over any text (hypothesis): parsing and extraction never raise, every offset lies
inside the text read, each quote is exactly its `[start:end]`, records serialise, the store takes them."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefs.extract import extract
from briefs.parse import MAX_BLOCKS, MAX_BODY_CHARS, parse_text
from briefs.store import Store
from cli_helper import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")

_FRAGMENTS = [
    "date 2025-08-08 International\n", " date 2025-01-01 \n", "17:58 GMT 08.08.2025\n", "99:99 GMT 31.02.2025\n",
    "Russia Holds All Cards in Trump Talks\n", "US Has No Cards to Play\n", "On the global stage:\n",
    "Raffone lists several options:\n", "What would be the focus of the talks?\n", "\n", "\n\n", " ", "\t",
    "\u201c", "\u201d", '"', "'", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", ", ", ". ", ": ", "? ",
    "said", " says ", " tells Sputnik", " told Reuters, ", "the pundit", "Paolo Raffone, a strategic analyst, ",
    "Gardner says.", "\u201cIt is over,\u201d said Hall Gardner.", "\"Yes,\" he added, \"and no.\"",
    "According to the Kremlin, talks could happen soon.", "Doctorow argues that ", "Krasnoarmeysk (Pokrovsk)",
    "\u00e9", "\u0301", "\u200b", "\u202e", "\ufeff", "\U0001F680", "\u05d0\u05de\u05e8", "\x0b", "\x1f", "\u2028",
    "{", "}", '{"text": "x"}', "[", "]",
]

articleish = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=20)), max_size=60).map("".join)
any_text = st.one_of(st.text(), articleish)


def _mutated_seed(draw_ops):
    text = SEED_TEXT
    for position, cut, insert in draw_ops:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + cut:]
    return text


mutated_seed = st.lists(
    st.tuples(st.integers(0, len(SEED_TEXT)), st.integers(0, 40), st.sampled_from(_FRAGMENTS + [""])), max_size=8
).map(_mutated_seed)


def _parse(text: str, jsonl):
    return parse_text(text, stem="x", source="x.txt", jsonl=jsonl)


def _check_blocks(article):
    assert len(article.blocks) <= MAX_BLOCKS
    assert sum(b.end - b.start for b in article.blocks) <= MAX_BODY_CHARS
    previous_end = 0
    for block in article.blocks:
        assert 0 <= previous_end <= block.start < block.end <= len(article.text)
        piece = article.text[block.start:block.end]
        assert piece.strip() and "\n" not in piece
        previous_end = block.end


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, jsonl=st.sampled_from([None, True, False]))
@example(text="\ufeff", jsonl=None)
@example(text=" date 2025-08-08 International\n", jsonl=None)
@example(text="date 2025-02-30 X\nT\nT\nT\n\n25:61 GMT 30.02.2025\nbody", jsonl=None)
def test_parse_never_raises_and_blocks_lie_inside_the_text(text, jsonl):
    parsed = _parse(text, jsonl)
    assert parsed.articles or parsed.errors
    for line, reason in parsed.errors:
        assert reason and (line is None or line >= 1)
    for article in parsed.articles:
        _check_blocks(article)
        if article.lede is not None:
            assert article.lede in article.text
        assert all(h in article.text for h in article.headings)
        json.dumps(article.to_json(), ensure_ascii=False).encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(text=mutated_seed)
def test_a_damaged_seed_still_parses_inside_its_text(text):
    for article in _parse(text, None).articles:
        _check_blocks(article)


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
record = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(st.text(), json_value), "text": st.one_of(articleish, st.text(), json_value),
        "published": st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.text(max_size=30), json_value),
        "section": st.text(), "url": st.text(), "source": st.one_of(st.text(), json_value),
    },
)
# Lone surrogates only reach Python through JSON's \\uD800-style escapes: put some in.
surrogate_escapes = st.lists(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d\\ude80", "x"]), max_size=4).map("".join)


@settings(max_examples=200, deadline=None)
@given(records=st.lists(record, max_size=5), escapes=surrogate_escapes)
def test_json_lines_records_always_serialise_and_store(records, escapes):
    lines = [json.dumps(r) for r in records]
    lines.append('{"title": "T' + escapes + '", "text": "body ' + escapes + '."}')
    parsed = _parse("\n".join(lines), True)
    store = Store(":memory:")
    for article in parsed.articles:
        json.dumps(article.to_json(), ensure_ascii=False).encode("utf-8")  # stdout of `extract`
        _check_blocks(article)
        assert store.upsert_article(article).action in ("added", "unchanged", "replaced")
        assert store.upsert_article(article).action == "unchanged"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(articleish, mutated_seed))
@example(text=SEED_TEXT)
def test_extract_never_raises_and_each_quote_is_its_slice_of_the_text(text):
    for article in _parse(text, None).articles:
        article = extract(article)
        _check_blocks(article)
        for quote in article.quotes:
            assert 0 <= quote.start <= quote.end <= len(article.text)
            assert quote.text == article.text[quote.start:quote.end]
            assert quote.kind in ("direct", "indirect")
        for claim in article.claims:
            assert 0.0 <= claim.score <= 1.0
            assert claim.source in ("speaker", "outlet")
            if claim.start is not None:
                assert 0 <= claim.start <= claim.end <= len(article.text)
        json.dumps(article.to_json(), ensure_ascii=False).encode("utf-8")
