"""Step 7, claims and check-worthiness: every attributed quote is a claim by its speaker; the
outlet's own voice is the headline, the lede's plain statements and the bullet items that no
speaker introduced. Each gets a check-worthiness score in [0, 1]."""
from __future__ import annotations

from ..models import Article, Claim, Quote
from .lexicon import CAUSAL_RE, DATE_RE, FIGURE_RE, HEDGE_RE
from .paragraph import DQ, Para, trim, words


def find_claims(article: Article, paras: list[Para], quotes: list[Quote],
                intro_speaker: dict[int, str | None]) -> list[Claim]:
    """The outlet's claims in reading order, then each attributed quote as its speaker's claim."""
    out = []
    if article.title:
        block = next((b for b in article.blocks if b.kind == "title"), None)
        out.append(Claim(text=article.title, speaker=None, source="outlet", score=check_worthiness(article.title),
                         start=block.start if block else None, end=block.end if block else None))
    spans = [(q.start, q.end) for q in quotes]
    for p in paras:
        if p.kind == "lede" and p.doc is not None:
            out.extend(_lede_claims(article, p, spans))
        elif p.kind == "bullet":
            if p.intro is not None and intro_speaker.get(p.intro):
                continue  # "Raffone lists several options:" -> the items are his
            s, e = trim(p.text, 0, len(p.text))
            text = p.text[s:e]
            out.append(Claim(text=text, speaker=None, source="outlet", score=check_worthiness(text),
                             start=p.start + s, end=p.start + e))
    for q in quotes:
        if q.speaker:
            said = f"{q.lead} {q.text}" if q.lead else q.text
            out.append(Claim(text=q.text, speaker=q.speaker, source="speaker", score=check_worthiness(said),
                             start=q.start, end=q.end, lead=q.lead))
    return out


def _lede_claims(article: Article, p: Para, spans: list[tuple[int, int]]) -> list[Claim]:
    out = []
    for sent in p.doc.sents:
        a, b = trim(p.text, sent.start_char, sent.end_char)
        a, b = p.start + a, p.start + b
        text = article.text[a:b]
        if text.endswith("?") or len(words(text)) < 5 or any(qa < b and a < qb for qa, qb in spans) \
                or any(ch in text for ch in DQ):
            continue  # questions, fragments and reported speech are not the outlet's claims
        out.append(Claim(text=text, speaker=None, source="outlet", score=check_worthiness(text), start=a, end=b))
    return out


def check_worthiness(text: str) -> float:
    """A 0..1 score: figures, dates, named entities, causal and comparative words rank higher."""
    if not text:
        return 0.0
    tokens = words(text)
    if not tokens:
        return 0.0
    score = 0.15
    if FIGURE_RE.search(text):
        score += 0.25
    if DATE_RE.search(text):
        score += 0.15
    caps = sum(1 for w in tokens[1:] if w[:1].isupper())
    score += min(0.2, 0.05 * caps)
    if CAUSAL_RE.search(text):
        score += 0.15
    if len(tokens) >= 8:
        score += 0.1
    if len(tokens) < 4:
        score -= 0.1
    if text.rstrip().endswith("?"):
        score -= 0.2
    if HEDGE_RE.search(text):
        score -= 0.1
    return max(0.0, min(1.0, round(score, 3)))
