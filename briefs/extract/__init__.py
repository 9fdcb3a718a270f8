"""Who said what: speakers, direct and indirect quotes, claims and mentions.

Read `extract` below first: it runs the steps in order, each a module of its own that takes and
returns plain data (the article's blocks as `Para` records, a `Registry` of names, `Cues`, `Found`
quotes, the records of briefs/models.py). Word lists live in lexicon.py, the few numeric choices
in settings.py.

Scores on the annotated sets are in README, "Who said what" (`make eval`). Without the parse
(extract(..., parse=False)) the same quotation marks and frames reach far less (F1 0.657 / speaker 0.619
on ggt-dev before issue 11): indirect speech (44% of the quotes) and the salience behind pronouns need
it. spaCy is about 95% of the run time.

Everything is linear in the text and bounded on hostile input (see parsing.py). extract() never
raises: on an internal error it falls back to quotes without the parse, then to nothing.
"""
from __future__ import annotations

from ..models import Article, Claim
from .attribution import attribute
from .claims import check_worthiness, find_claims
from .cues import find_cues
from .entities import find_entities
from .parsing import load_model, parse_paragraphs
from .quotations import find_quotations, find_quote_spans, headline_claim
from .results import mentions_of, quotes_of, speakers_of
from .settings import PARAMS

__all__ = ["PARAMS", "check_worthiness", "extract", "find_quote_spans", "load_model"]


def extract(article: Article, *, parse: bool = True) -> Article:
    """Fill `article.speakers`, `quotes`, `claims` and `mentions`; never raises on article text."""
    try:
        paras = find_quotations(article, headline=True)  # 1. body blocks (and headline) and the quotation marks in each
        if parse:
            paras = parse_paragraphs(paras)  # 2. spaCy's parse of the prose blocks
        names = find_entities(paras, article.outlet)  # 3. people and organisations, aliases, descriptions
        cues = find_cues(paras)  # 4. speech verbs, "according to", and what each reports
        found = attribute(paras, cues, names, headline_claim(article))  # 5. who said each quote (coreference on the way)
        quotes = quotes_of(article, found.found)  # 6. quotes, speakers, mentions
        speakers = speakers_of(quotes, names)
        mentions = mentions_of(names, quotes, speakers)
        claims = find_claims(article, paras, quotes, found.intro_speaker)  # 7. claims and check-worthiness
    except Exception:  # pragma: no cover - a last resort: quotes without attribution, then nothing
        if parse:
            return extract(article, parse=False)
        article.speakers, article.quotes, article.mentions = [], [], []
        article.claims = [Claim(text=article.title, speaker=None, source="outlet", score=0.3)] if article.title else []
        return article
    article.quotes, article.speakers, article.mentions, article.claims = quotes, speakers, mentions, claims
    return article
