"""The noun phrase of a speaker token as it is named: a name with its compounds, or a common noun with its
modifiers and a short phrase ("a person familiar with the talks", "media outlets including X")."""
from __future__ import annotations

from .lexicon import ORG_NOUNS, SPEECH_VERBS
from .paragraph import Para, dtext, in_quote, size


def np_text(p: Para, t) -> tuple[str, list]:
    """The noun phrase of token t, for naming: compounds and names; modifiers for common nouns."""
    doc = t.doc
    if t.pos_ == "PROPN":
        left = t.i
        while left - 1 >= 0:
            if doc[left - 1].pos_ == "PROPN" and doc[left - 1].dep_ in ("compound", "flat", "nmod", "nsubj") \
                    and not doc[left - 1].is_punct:
                left -= 1
            elif left - 2 >= 0 and joined(doc[left - 1]) and doc[left - 2].text[:1].isupper():
                left -= 2  # "Anne-Marie Slaughter", "Holtz-Eakin": a hyphenated name is one word
            else:
                break
        right = t.i
        while right + 1 < len(doc) and doc[right + 1].pos_ == "PROPN" and doc[right + 1].head.i == t.i and doc[right + 1].dep_ in ("flat", "compound", "appos") and doc[right + 1].idx == doc[right].idx + len(doc[right].text) + 1:
            right += 1
        if right + 1 < len(doc) and doc[right + 1].dep_ == "nummod" and doc[right + 1].head.i == t.i and \
                doc[right + 1].like_num and t.ent_type_ == "ORG":
            right += 1  # "UFCW Local 832": the number is part of an organisation's name
        right = _of_place(doc, t, right)
        toks = list(doc[left:right + 1])
        return dtext(doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)], toks
    return noun_text(p, t)


def _of_place(doc, t, right: int) -> int:
    """"the City of Port Alder", "the Bank of Norland": an institution's noun with "of" and a name is one
    name; returns the last token of the name (`right` when there is no such "of")."""
    if t.lower_ not in ORG_NOUNS or t.i != right or right + 2 >= len(doc) or doc[right + 1].lower_ != "of" or \
            doc[right + 1].head.i != t.i:
        return right
    place = next((c for c in doc[right + 1].children if c.dep_ == "pobj"), None)
    if place is None or place.pos_ != "PROPN" or any(x.pos_ not in ("PROPN", "DET") for x in place.subtree):
        return right
    return place.right_edge.i


MAX_CONJUNCT_LEAD = 5  # words before a coordinated noun that still belong to the phrase ("and former senior officials")

# A dateline is a place of a few words, the first in capitals, ended by a dash ("BAYVIEW, Norland —",
# "BAYVIEW, July 19 (Wire) —"): how far from the block's start its dash may be.
DATELINE_WORDS = 8
_DASHES = ("—", "–", "-", "--")
# Words after a group that say which of it speaks ("voters overall"), hung on the verb by the parser.
GROUP_QUALIFIERS = ("overall",)


def dateline_dash(doc) -> int | None:
    """The index of the dash that ends a dateline at the head of a block, or None."""
    if len(doc) == 0 or not doc[0].is_alpha or not doc[0].text.isupper():
        return None
    return next((x.i for x in doc[1:DATELINE_WORDS] if x.text in _DASHES and not joined(x)), None)


def noun_text(p: Para, t) -> tuple[str, list]:
    """A common noun with its modifiers and a short "of/for/at" phrase ("a person familiar with the talks")."""
    doc = t.doc
    toks = [c for c in t.lefts if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "quantmod", "nmod")]
    sub = []
    for c in toks:
        sub.extend(c.subtree if size(c) <= 8 else [c])
    sub.append(t)
    for c in t.rights:
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "with", "from", "in", "to", "including", "like", "by", "on",
                                             "among", "across") \
                and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children):
            part = []
            for x in c.subtree:  # "member of the public, whose name ...": stop at the clause
                if x.is_punct and not joined(x) and x.dep_ != "case" or x.dep_ in ("relcl", "appos", "acl", "advcl") \
                        or len(part) > 8:  # (a possessive "Reyes' office" goes on)
                    break
                part.append(x)
            if len(part) <= 8:
                sub.extend(part)
        elif c.dep_ in ("compound", "flat") and size(c) <= 6:
            sub.extend(c.subtree)
        elif c.dep_ in ("amod", "acl", "conj", "cc") and size(c) <= 6 and not in_quote(p, c.idx) and \
                not (c.dep_ == "acl" and c.lemma_ in SPEECH_VERBS):  # ("newspapers saying ...": what they say)
            sub.extend(c.subtree)  # "a person familiar with the talks", "lawyers and experts"
        elif c.dep_ == "conj" and c.i - c.left_edge.i < MAX_CONJUNCT_LEAD and not in_quote(p, c.idx):
            # "past and present members who talked to the Gazette": the second noun and its modifiers,
            # not the clause that follows it (which would leave "past and" alone)
            sub.extend(doc[c.left_edge.i:c.i + 1])
        elif c.dep_ == "relcl" and size(c) <= 8 and (c.left_edge.lower_ in ("who", "that") or _contact_clause(c)) and \
                not any(x.dep_ == "prep" for x in sub) and not in_quote(p, c.idx):
            # "an official who asked not to be named": an unnamed source is the whole description
            # (one already placed by a phrase, "an official with the agency", is not lengthened)
            for x in c.subtree:
                if x.is_punct and not joined(x) and x.i > c.i:
                    break  # ("the skipper we spoke with, Tom Reyes,": the clause ends at its comma)
                sub.append(x)
            break
        elif c.dep_ == "punct" and c.text == "," and c.i + 1 < len(doc) and doc[c.i + 1].head.i == t.i and \
                doc[c.i + 1].dep_ == "conj" and doc[c.i + 1].pos_ == t.pos_ == "NOUN":
            continue  # "parents, alumni and others": a list goes on after its comma
        elif c.dep_ in ("relcl", "appos", "punct"):
            break
    sub = sorted(set(sub), key=lambda x: x.i)
    after = doc[sub[-1].i + 1] if sub and sub[-1].i + 1 < len(doc) else None
    if after is not None and after.lower_ in GROUP_QUALIFIERS and after.dep_ == "advmod" and t.dep_ == "nsubj" and \
            after.head.i == t.head.i:
        sub.append(after)  # "voters overall said": the word says which group, though the parser hung it on the verb
    dash = dateline_dash(doc)
    if dash is not None and sub and sub[0].i < dash < t.i:
        # "BAYVIEW, Norland - Dana Moss's allies": the parser hung the dateline's words on the phrase
        sub = [x for x in sub if x.i > dash]
    if not sub:
        sub = [t]
    return dtext(doc)[sub[0].idx:sub[-1].idx + len(sub[-1].text)], sub


def _contact_clause(c) -> bool:
    """"numbers the union published on Tuesday", "reports Reyes filed": a relative clause without a
    relative word, opening on its own subject, says whose the thing is."""
    subj = next((x for x in c.children if x.dep_ == "nsubj" and x.i < c.i), None)
    return subj is not None and subj.left_edge.i == c.left_edge.i and subj.left_edge.i == c.head.i + 1


def joined(x) -> bool:
    """A hyphen inside a word ("pro-union", "North-Rhine"), not a dash between words."""
    doc = x.doc
    return x.text in ("-", "‐") and 0 < x.i < len(doc) - 1 and not doc[x.i - 1].whitespace_ and not x.whitespace_
