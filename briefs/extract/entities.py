"""Step 3, mentions and entities: the people and organisations an article names, with their
aliases (surname, first name, acronym), kinds and descriptions ("international relations analyst").

The Registry is what coreference reads: the names seen so far and, during attribution, a history
of where each was mentioned (as a speaker, a subject or a mere mention) in reading order.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from .lexicon import (FEMALE_NAMES, GENDER_WORDS, GENERIC_ORG_WORDS, INNER_TITLE_RE, KNOWN_OUTLETS, LEGAL_FORMS, MALE_NAMES,
                      ORG_NOUNS, PARTY_NOUNS, ROLE_WORDS, SPEECH_VERBS, TITLE_RE, TITLES)
from .paragraph import Para, dtext, in_quote, norm, title_case_sentence
from .settings import HISTORY_LOOKBACK

_ROLE_HEADS = TITLES | ROLE_WORDS | PARTY_NOUNS


@dataclass
class Entity:
    name: str
    kind: str  # person | org
    description: str | None = None
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    quoted: bool = False
    first: int | None = None  # where the article first names it (a role that speaks before may be it)
    first_speaks: bool = False  # ... as the subject of a speech verb, with no appositive ('"...," said Ana Ortiz.')


class Registry:
    """Names seen so far, with surname / first-name aliases and a salience history."""

    def __init__(self, outlet: str | None):
        self.entities: dict[str, Entity] = {}
        self.alias: dict[str, str] = {}
        self.outlet = (outlet or "").lower()
        self.history: list[tuple[int, str, str]] = []  # (pos, name, role: speaker|subj|mention)
        self.alias_all: dict[str, list[str]] = {}  # surname / first name -> every full name that has it
        self.company_alias: dict[str, str] = {}  # first word -> a company named with its legal form
        self.issuers: dict[str, str] = {}  # document noun -> who the text says issued it ("the city released a report")

    def is_outlet(self, name: str) -> bool:
        low = name.lower().strip()
        return low == self.outlet or low in KNOWN_OUTLETS or low.rstrip("'s") in KNOWN_OUTLETS

    def add(self, name: str, kind: str) -> str | None:
        name = clean_name(name)
        the = ""
        if name.lower().startswith("the ") and kind == "org":
            the, name = "the ", name[4:]
        inner = INNER_TITLE_RE.search(name)
        titled = False
        if inner and inner.end() < len(name):
            rest = name[inner.end():].strip()
            if rest and all(w[:1].isupper() for w in rest.split()) and not any(w.lower() in ORG_NOUNS for w in rest.split()):
                name, kind, titled = rest, "person", True
        if titled and name.lower() in self.entities:
            self.entities[name.lower()].kind = "person"  # "Chief X": a person, whatever the tagger said before
        if not name or self.is_outlet(name):
            return None
        key = name.lower()
        if key in self.entities:
            return self.entities[key].name
        if kind == "person":
            parts = name.split()
            if len(parts) == 1:
                found = self.alias.get(key)
                if found:
                    return found
            elif len(parts) >= 2:
                # an earlier single-name entity now gets its full name
                for part in (parts[-1], parts[0]):
                    pk = part.lower()
                    if pk in self.entities and len(self.entities[pk].name.split()) == 1:
                        old = self.entities.pop(pk)
                        self.alias.pop(pk, None)
                        _ = old
                for part in (parts[-1], parts[0]):
                    self.alias.setdefault(part.lower(), name)
                    self.alias_all.setdefault(part.lower(), []).append(name)
        else:
            words = name.split()
            if len(words) > 1:
                acronym = "".join(w[0] for w in words if w[0].isupper())
                if len(acronym) >= 2:
                    self.alias.setdefault(acronym.lower(), the + name)
                first, suffix = words[0].lower(), words[-1].rstrip(".").lower()
                if suffix in LEGAL_FORMS and first not in GENERIC_ORG_WORDS:
                    # "Samsung" for "Samsung Electronics Co.": only where no person goes by that name (lookup)
                    self.company_alias.setdefault(first, the + name)
        self.entities[key] = Entity(name=the + name, kind=kind, gender=name_gender(name) if kind == "person" else None)
        return the + name

    def add_group(self, name: str) -> str:
        """A group that speaks as one ("Tom Reyes and Dana Moss", "protesters"), for a later "they"."""
        self.entities.setdefault(name.lower(), Entity(name=name, kind="group"))
        return name

    def lookup(self, name: str, gender: str | None = None) -> str | None:
        """The full name known for `name`; `gender` ("Mrs. Reyes": "f") rules out a namesake of the other."""
        name = clean_name(name)
        if name.lower().startswith("the "):
            name = name[4:]
        if not name:
            return None
        key = name.lower()
        if key in self.entities:
            return self.entities[key].name
        if key in self.alias:
            options = self.alias_all.get(key, [])
            if gender and len(options) > 1:
                fits = [o for o in options if self.entities[o.lower()].gender in (None, gender)] \
                    if all(o.lower() in self.entities for o in options) else options
                if len(fits) == 1:
                    return fits[0]
                options = fits or options
            if len(options) > 1 and self.history:
                # the full name most recently the subject or the speaker wins ("Karlsson" after "Erik Karlsson
                # scored"), else the one mentioned last: a namesake named in passing ("her husband, Tom Reyes")
                # does not take over the surname of the one the story follows
                recent = list(itertools.islice(reversed(self.history), HISTORY_LOOKBACK))
                for roles in (("subj", "speaker"), None):
                    for _, seen, role in recent:
                        if seen in options and (roles is None or role in roles and self._is_person(seen)):
                            return seen
            return self.alias[key]
        parts = key.split()
        if len(parts) >= 2 and parts[-1] in self.alias:
            full = self.alias[parts[-1]]
            if full.lower().split()[0] == parts[0]:
                return full
        return self.company_alias.get(key)

    def _is_person(self, name: str) -> bool:
        ent = self.entities.get(name.lower())
        return ent is not None and ent.kind == "person"

    def entity(self, name: str | None) -> Entity | None:
        if not name:
            return None
        key = name.lower()
        return self.entities.get(key[4:] if key.startswith("the ") else key)

    def note(self, pos: int, name: str, role: str) -> None:
        self.history.append((pos, name, role))

    def recent(self, pos: int, kind, roles: tuple[str, ...], gender: str | None = None,
               exclude=None, known: bool = False, within: int | None = None) -> str | None:
        """The latest name before `pos` in one of `roles`, of `kind`, compatible with `gender`;
        `exclude` is a name or a predicate over names."""
        for p, name, role in itertools.islice(reversed(self.history), HISTORY_LOOKBACK):
            if p > pos or role not in roles or (exclude(name) if callable(exclude) else name == exclude):
                continue
            if within is not None and pos - p > within:
                break
            ent = self.entity(name)
            if ent is None or (ent.kind != kind if isinstance(kind, str) else ent.kind not in kind):
                continue
            if gender and ent.gender and ent.gender != gender:
                continue
            if known and ent.gender != gender:
                continue
            return name
        return None


def clean_name(name: str) -> str:
    name = norm(name).strip(" \t\n,.;:\"'()[]-–—")
    name = re.sub(r"'s$|'$", "", name).strip()
    stripped = TITLE_RE.sub("", name)
    if stripped and stripped[0].isupper():
        name = stripped
    words = name.split()
    roles = [i for i, w in enumerate(words[:-1]) if w.lower() in ROLE_WORDS]
    if roles and all(w[:1].isupper() for w in words[roles[-1] + 1:]):
        words = words[roles[-1] + 1:]  # "Analyst Irene Kovacs", "Canadian actor Oh"
    return " ".join(words)


def name_gender(name: str) -> str | None:
    """"f"/"m" when the first name is a common given name of that gender (the word before a name: _gender_before)."""
    first = name.split()[0].lower().strip(".") if name.split() else ""
    if first in FEMALE_NAMES:
        return "f"
    if first in MALE_NAMES:
        return "m"
    return None


def looks_like_person(name: str, ent=None) -> bool:
    """An ORG-tagged "Pavel Ignatov": a known given name, or a role word right before it ("economist X")."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return False
    if any(w.lower().strip(".,") in ORG_NOUNS or w.lower() in GENERIC_ORG_WORDS for w in words):
        return False
    if words[0].lower() in FEMALE_NAMES or words[0].lower() in MALE_NAMES:
        return True
    if ent is not None and ent.start > 0 and ent.doc[ent.start - 1].lower_ in ROLE_WORDS:
        return True
    return False


def find_entities(paras: list[Para], outlet: str | None) -> Registry:
    """Every person and organisation the parsed blocks name, in reading order."""
    reg = Registry(outlet)
    for p in paras:
        register_entities(reg, p)
    return reg


def register_entities(reg: Registry, p: Para) -> None:
    """Add the PERSON and ORG names the tagger found in `p`, with their descriptions."""
    doc = p.doc
    if doc is None:
        return
    for ent in doc.ents:
        if len(ent) > 8:
            continue  # not a name
        workplace = ent.label_ in ("PERSON", "ORG", "FAC") and _workplace(ent)
        if (ent.label_ not in ("PERSON", "ORG") and not workplace) or title_case_sentence(ent.root):
            continue  # (a headline or caption names no one who speaks here)
        name = entity_name(ent)
        if not name:
            continue
        kind = "person" if ent.label_ == "PERSON" and not workplace else "org"
        if kind == "person" and len(name.split()) == 1 and reg.lookup(name) is None and name.isupper():
            kind = "org"
        if kind == "org" and not workplace and looks_like_person(name, ent):
            kind = "person"
        if kind == "org" and (ent[0].lower_ == "the" or (ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the")):
            name = "the " + name
        full = reg.add(name, kind) if reg.lookup(name) is None else reg.lookup(name)
        if full and not in_quote(p, ent.start_char):
            describe_span(reg, p, ent.start, ent.end, full)
            found = reg.entity(full)
            if found is not None and found.first is None:
                found.first = p.start + ent.start_char
                found.first_speaks = ent.root.dep_ == "nsubj" and ent.root.head.lemma_ in SPEECH_VERBS and \
                    (ent.end >= len(doc) or doc[ent.end].text != ",")  # (", vice-president of ...": a role)
            if found is not None and found.kind == "person" and found.gender is None:
                found.gender = _gender_before(ent)
            if workplace and found is not None and (ent.label_ != "PERSON" or found.name.lower() == name.lower()):
                found.kind, found.gender = "org", None  # (not a person who merely shares a surname)


def _gender_before(ent) -> str | None:
    """"Mr. X", "Ms. X", "her father X", "spokeswoman X": the word right before the name tells the gender."""
    before = [t for t in ent if t.lower_.rstrip(".") in GENDER_WORDS]  # (a title the tagger kept in the name)
    if not before and ent.start > 0:
        before = [ent.doc[ent.start - 1]]
    word = before[0].lower_.rstrip(".") if before else ""
    return GENDER_WORDS.get(word)


def _workplace(ent) -> bool:
    """"a researcher at Harbour House": where someone works is an organisation, whatever the tagger said."""
    root = ent.root
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ == "at" and prep.head.pos_ in ("NOUN", "PROPN") and \
        prep.head.lower_ in _ROLE_HEADS and not any(t.lower_.rstrip(".") in TITLES for t in ent)


def entity_name(ent) -> str | None:
    toks = [t for t in ent if not (t.is_punct and t.text not in "-.&'")]
    if ent.label_ == "PERSON" and len(ent) == 1:
        doc, i = ent.doc, ent.start - 1
        # "Mamadou Dia" tagged as "Dia": take back the given name the tagger left out
        if i >= 0 and doc[i].pos_ == "PROPN" and doc[i].dep_ == "compound" and doc[i].head.i == ent.start \
                and doc[i].text[:1].isupper() and not doc[i].ent_type_ and doc[i].lower_.rstrip(".") not in TITLES \
                and doc[i].lower_ not in ROLE_WORDS:
            toks = [doc[i]] + toks
    while toks and (toks[0].lower_ in ("the",) or toks[0].lower_.rstrip(".") in TITLES):
        toks = toks[1:]
    while toks and toks[-1].text in ("'s", "’s", "'", "’"):
        toks = toks[:-1]
    if not toks:
        return None
    name = dtext(ent.doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
    name = clean_name(name)
    if not name or not name[0].isupper() and not name[0].isdigit():
        return None
    if len(name) > 60 or "\n" in name:
        return None
    return name


_APPOS_RE = re.compile(
    r"^,\s+((?:(?:a|an|the)\s+)?[^,\"“”()]{2,120}?(?:,\s+[^,\"“”()]{2,80}?)?),\s+"
    r"(?:who\s+|and\s+)?(?:\w+\s+)?(?:says|said|tells|told|adds|added|notes|noted|explains|explained|argues|argued|"
    r"writes|wrote|suggests|suggested|stresses|stressed|warns|warned|believes|thinks|agrees|agreed)\b")
_APPOS_END_RE = re.compile(r"^,\s+((?:a|an|the)\s+[^,\"“”()]{2,150}?)(?:[.;]|$|,\s+(?:who|which)\b)")


def describe_span(reg: Registry, p: Para, start: int, end: int, full: str) -> None:
    """A description for the name at tokens [start, end): appositive or pre-modifier."""
    entity = reg.entity(full)
    if entity is None or entity.description or p.doc is None:
        return
    doc = p.doc
    end_char = doc[end - 1].idx + len(doc[end - 1].text)
    after = p.text[end_char:end_char + 300]
    m = _APPOS_RE.match(after)
    if m is None:
        m = _APPOS_END_RE.match(after)
        if m and _has_finite_verb(p, end_char + m.start(1), end_char + m.end(1)):
            m = None  # ", the rouble's weakness made ...": a clause, not an appositive
    desc = None
    if m:
        desc = m.group(1)
    else:
        desc = _premodifier(doc, start)
    if desc:
        desc = re.sub(r"^(?:a|an|the)\s+", "", desc.strip(), flags=re.I).strip(" ,")
        if 2 <= len(desc) <= 200 and not in_quote(p, end_char):
            entity.description = desc


def _has_finite_verb(p: Para, cs: int, ce: int) -> bool:
    """Does [cs, ce) hold a clause (a finite verb) rather than a noun phrase?"""
    k = bisect.bisect_left(p.tok_idx, cs)
    doc = p.doc
    while k < len(doc) and doc[k].idx < ce:
        t = doc[k]
        if t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG"):
            return True
        k += 1
    return False


def _premodifier(doc, start: int) -> str | None:
    """'international relations and Russian affairs analyst' before the name at token `start`."""
    i = start - 1
    toks = []
    while i >= 0 and len(toks) < 12:
        t = doc[i]
        if t.is_punct and t.text not in ("-",):
            break
        if t.pos_ in ("DET", "VERB", "AUX", "ADP", "PRON", "SCONJ", "NUM"):
            break
        if t.pos_ not in ("NOUN", "ADJ", "PROPN", "CCONJ", "PART", "PUNCT"):
            break
        toks.append(t)
        i -= 1
    toks.reverse()
    while toks and toks[0].pos_ in ("CCONJ", "PUNCT", "PART"):
        toks = toks[1:]
    for k in range(len(toks) - 1, 0, -1):
        if toks[k].pos_ == "CCONJ" and any(x.pos_ == "PROPN" for x in toks[:k]):
            toks = toks[k + 1:]  # "President Obama and Republican presidential nominee": the last conjunct only
            break
    if not toks or toks[-1].pos_ not in ("NOUN", "PROPN") or len(toks) > 8:
        return None
    if toks[-1].lower_.rstrip(".") not in _ROLE_HEADS and toks[-1].lemma_.lower() not in _ROLE_HEADS:
        return None  # a role names the person ("Mayor", "economist"); "Bloomberg interview" does not
    if any(x.ent_type_ == "PERSON" for x in toks):
        return None  # another person's name is not this person's description
    return dtext(doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
