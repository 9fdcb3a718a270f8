"""Step 6, results: the article's quotes (one per span, in text order), its speakers (in order of
first quote, with description and aliases) and the people and organisations it names."""
from __future__ import annotations

import re

from ..models import Article, Quote, Speaker
from .attribution import Found
from .entities import Registry
from .lexicon import NEGATING_VERB_RE, NOT_NAME_START, ORG_NOUNS


_MARKS_RE = re.compile(r"[\s'\"]")


def quotes_of(article: Article, found: list[Found]) -> list[Quote]:
    """One quote per span in text order; a reported quote keeps a negating verb ("rules out")."""
    text = article.text
    seen = set()
    quotes = []
    for f in sorted(found, key=lambda f: (f.start, f.end)):
        key = (f.start, f.end)
        if key in seen:
            continue
        seen.add(key)
        said = text[f.start:f.end]
        if said != f.text and _MARKS_RE.sub("", said) != _MARKS_RE.sub("", f.text):
            continue  # (a block's '' read as " is the same text; anything else is an offset gone wrong)
        # a blank name names no one; left in, speakers_of would raise and the article lose every report
        speaker = f.speaker if f.speaker and f.speaker.strip() else None
        quotes.append(Quote(text=said, speaker=speaker, kind=f.kind, start=f.start, end=f.end))
    quotes = [q for q in quotes if not _inside_report(text, q, quotes)]
    for q in quotes:
        if q.kind == "indirect":
            # "X rules out Y" does not claim Y: the quote and its claim keep the verb
            negation = NEGATING_VERB_RE.search(text, max(0, q.start - 40), q.start)
            q.lead = " ".join(negation.group(0).split()).lower() if negation else None
    return quotes


def _inside_report(text: str, q: Quote, quotes: list[Quote]) -> bool:
    """'Reyes said the plan "will not survive the winter"': quoted words inside what someone is reported
    to have said are part of that report (one quote, the report), not a second quote of their own.
    Not a quote that a colon introduces ('... he said he doubted it: "..."'): that one stands alone."""
    if q.kind != "direct":
        return False
    for r in quotes:
        if r.kind == "indirect" and r.speaker == q.speaker and r.start < q.start and q.end <= r.end + 2:
            lead = text[r.start:q.start].rstrip(" \"“”'‘’«»")
            if lead and lead[-1] not in ":,":
                return True
    return False


def speakers_of(quotes: list[Quote], reg: Registry) -> list[Speaker]:
    """Who is quoted, in order of first quote."""
    speakers: list[Speaker] = []
    names = set()
    for q in quotes:
        if q.speaker and q.speaker not in names:
            names.add(q.speaker)
            ent = reg.entity(q.speaker)
            aliases = sorted(a for a, full in reg.alias.items() if full == q.speaker and a != q.speaker.lower())
            if ent:
                speakers.append(Speaker(name=ent.name, description=ent.description,
                                        aliases=[_cap_alias(a, ent.name) for a in aliases],
                                        kind="org" if ent.kind == "org" else "person"))
            else:
                speakers.append(Speaker(name=q.speaker, kind="org" if q.speaker.lower().split()[-1] in ORG_NOUNS else "person"))
    return speakers


def mentions_of(reg: Registry, quotes: list[Quote], speakers: list[Speaker]) -> list[str]:
    """Every person or organisation named, quoted or not (lone words only when they spoke)."""
    mentions = []
    spoke = {q.speaker for q in quotes if q.speaker}
    for ent in reg.entities.values():
        if ent.name in mentions or reg.is_outlet(ent.name):
            continue
        words = ent.name.split()
        if ent.kind == "group":
            continue  # "protesters" names no one
        if ent.name not in spoke:
            if ent.kind == "person" and len(words) == 1:
                continue  # a lone capitalised word the tagger called a person: too often a place
            if ent.kind == "org" and len(words) == 1 and not ent.name.isupper():
                continue
            if words and words[0].lower() in NOT_NAME_START:
                continue
        mentions.append(ent.name)
    for s in speakers:
        ent = reg.entity(s.name)
        if s.name not in mentions and ent is not None and ent.kind != "group":
            mentions.append(s.name)  # named speakers only: "police" or "a spokesperson" name no one
    return mentions


def _cap_alias(alias: str, full: str) -> str:
    for part in full.split():
        if part.lower() == alias:
            return part
    return alias
