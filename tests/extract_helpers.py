"""Helpers for the extraction tests: read an invented paragraph, find a quote's speaker."""
from __future__ import annotations

import re
import unicodedata

from briefs.extract import extract
from briefs.parse import parse_text


def norm(s: str | None) -> str:
    """gold.json's comparison: quotation marks dropped, apostrophes equal, case folded, tokens."""
    s = unicodedata.normalize("NFKC", s or "").replace("’", "'").replace("‘", "'").casefold()
    return " ".join(re.findall(r"[\w']+", s))


def read(text: str, title: str | None = None):
    """A plain-text article through parse + extract, under `title` or a neutral headline."""
    parsed = parse_text((title or "A Test Story About Things") + "\n\n" + text, stem="t", source="t")
    assert parsed.articles, parsed.errors
    return extract(parsed.articles[0])


def quotes_of(article, kind=None):
    return [(norm(q.text), q.speaker, q.kind) for q in article.quotes if kind in (None, q.kind)]


def speaker_of(article, fragment: str, kind: str | None = None) -> str | None:
    hits = [q for q in article.quotes if norm(fragment) in norm(q.text) and kind in (None, q.kind)]
    assert hits, f"no quote holds {fragment!r}: {quotes_of(article)}"
    return hits[0].speaker


def check_offsets(article) -> None:
    for q in article.quotes:
        assert article.text[q.start:q.end] == q.text
        assert q.text and q.text[0] not in "\"“”" and q.text[-1] not in "\"“”"


def article_of(text: str):
    """A plain-text article (first line is the title), parsed but not yet extracted."""
    parsed = parse_text("A Test Story About Things\n\n" + text, stem="t", source="t")
    assert parsed.articles, parsed.errors
    return parsed.articles[0]
