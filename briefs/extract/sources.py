"""What can be a source at all, before anyone asks who it is: a person, an organisation or a described
group, never a figure, a date, a platform, a place from a dateline, a word of a headline, or a thing."""
from __future__ import annotations

from .lexicon import (CALENDAR_WORDS, DOCUMENT_NOUNS, NON_SOURCE_ENTITIES, ORG_NOUNS, PARTY_NOUNS, PERSON_NOUNS,
                      PLATFORMS, ROLE_WORDS)
from .paragraph import Para, title_case_sentence

_SOURCE_NOUNS = ROLE_WORDS | ORG_NOUNS | PARTY_NOUNS | DOCUMENT_NOUNS | PERSON_NOUNS


def plausible_source(p: Para, t) -> bool:
    """A source is a person, an organisation or a described group: never a figure ("19 percent"), a date,
    a platform ("wrote on Twitter"), a place from a dateline or after a preposition, or a word of a
    title-case line (a headline or a caption)."""
    low = t.lower_
    figure = t.pos_ == "NUM" or t.lemma_.lower() in ("percent", "%") or t.ent_type_ in NON_SOURCE_ENTITIES
    if figure and not any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
        return False  # "19 percent" is no one; "19 percent of voters" is a described group
    if low in CALENDAR_WORDS and t.pos_ == "PROPN" and not _ends_a_name(t):
        return False
    after_preposition = t.dep_ == "pobj" and t.head.lower_ != "to"  # "according to China/Facebook" is a source
    if low in PLATFORMS and after_preposition:
        return False
    if t.ent_type_ in ("GPE", "LOC") and (after_preposition or _in_dateline(t)):
        return False
    if t.pos_ == "PROPN" and title_case_sentence(t):
        return False
    return True


def _ends_a_name(t) -> bool:
    """'Sofia May, a harbour pilot, said': a month that ends a person's name is that name, not a date."""
    return t.ent_type_ == "PERSON" and any(c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" and c.i < t.i
                                           for c in t.children)


def names_no_one(t) -> bool:
    """'The timing of the surge doesn't surprise X:', 'some kind of bargain might be possible:': a clause
    subject that is a thing, not a person, an organisation or a group, is no source of what follows."""
    if t.pos_ in ("ADJ", "DET", "NUM") and t.lower_ in ("much", "more", "most", "some", "all", "this", "that"):
        return True  # "much of the hearing was so quiet that ..."
    if t.pos_ != "NOUN" or t.tag_ != "NN" or t.ent_type_ or any(c.dep_ == "poss" for c in t.children):
        return False  # (not "Reyes's slogan was: ...": whose words they are is named)
    lemma = t.lemma_.lower()
    return lemma not in _SOURCE_NOUNS and t.lower_ not in _SOURCE_NOUNS


def _in_dateline(t) -> bool:
    """'TORONTO — ...', 'OTTAWA (CP) - ...': a place at the head of the text, before a dash or bracket."""
    doc = t.doc
    if t.i > 3 or not t.text.isupper():
        return False
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    return nxt is not None and (nxt.text in ("—", "–", "-", "--", "(", ",") or nxt.text.isupper())
