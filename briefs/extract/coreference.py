"""Coreference: which entity a source mention refers to. Attribution calls `resolve` on each
speaker mention in reading order, so "he", "the pundit" and "the union" resolve against the names
seen so far (the Registry's history), and new names are registered as they are met.

- he/she: the most recent person speaker or subject whose gender does not clash;
  they: the most recent organisation or group.
- "the pundit": the person whose description holds the noun, else the latest person in focus;
  "the union": the organisation whose name holds the noun, else the latest organisation
  (descriptions.py, with the descriptions that point to nobody but themselves).
- "a statement from X": X. Indefinite or plural descriptions stay as written ("a spokesperson").
- An outlet speaks only as the subject of its own speech verb or after "according to" (never "tells Sputnik").
"""
from __future__ import annotations

import itertools

from .descriptions import described_org, described_person, named_later, names_itself, org_named_by
from .entities import Entity, Registry, clean_name, describe_span, entity_name
from .lexicon import (DOCUMENT_NOUNS, GENDER_WORDS, GROUP_PRONOUNS, INNER_TITLE_RE, ISSUING_VERBS, IT_SAYS, ORG_NOUNS,
                      PARTY_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS, ROLE_WORDS, SPEECH_VERBS, STAFF_NOUNS,
                      TITLES)
from .paragraph import DQ, Para, dtext, in_quote, words
from .phrases import joined, noun_text, np_text
from .settings import HISTORY_LOOKBACK, IT_WINDOW, PARAMS
from .sources import plausible_source

_DESCRIBING_NOUNS = PARTY_NOUNS | ROLE_WORDS
_ISSUING_OR_SPEECH = ISSUING_VERBS | SPEECH_VERBS


def resolve(reg: Registry, p: Para, t, span=None, avoid: str | None = None) -> str | None:
    """A speaker token -> a resolved name (or a descriptive phrase). `avoid`: the words said;
    he/she is not someone those words name ("Macharia hid under a desk, he said")."""
    pos = p.start + t.idx
    low = t.lower_
    if low in GROUP_PRONOUNS and _says_who(p, t):
        text, toks = np_text(p, t)  # "some in the harbour community", "those surveyed": the group as written
        return resolve_description(reg, p, t, text, toks)
    whole = _group_of_part(p, t)
    if whole is not None:
        return resolve(reg, p, whole)
    if low == "another" and t.dep_ == "nsubj" and not list(t.children):
        return another_one(reg, pos)
    if low == "it":
        return speaking_org(reg, p, t)
    if t.pos_ == "PRON" or low in PERSON_PRONOUNS or low in PLURAL_PRONOUNS:
        return resolve_pronoun(reg, pos, low, avoid)
    if t.pos_ in ("NOUN",) and span is None:
        # "the director of operations, Jeff Fraser, says": the name in apposition
        for c in t.children:
            if c.dep_ == "appos" and c.pos_ == "PROPN" and not in_quote(p, c.idx) and \
                    c.ent_type_ != "NORP" and c.lemma_.lower() not in PARTY_NOUNS:  # ("a lifelong Republican")
                return resolve(reg, p, c)  # (a group "A and B" is handled there)
        named = _name_after_role(p, t)
        if named is not None:
            return resolve(reg, p, named)  # "according to principal Joan Pike"
    if not plausible_source(p, t):
        return None
    if _some_of_a_people(p, t):
        text, toks = noun_text(p, t)
        return resolve_description(reg, p, t, text, toks)
    text, toks = np_text(p, t)
    if span is not None and t.pos_ not in ("PROPN",) and not t.text[:1].isupper():
        toks = list(span)  # the frame's words as written ("a spokesperson for the camp")
        text = dtext(t.doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
    if t.lower_ in _DESCRIBING_NOUNS and t.i > 0 and t.doc[t.i - 1].lower_ != "the" and \
            any(x.lower_ == "the" for x in t.doc[max(0, t.i - 3):t.i]) and reg.lookup(t.text) is None and \
            not (t.ent_type_ == "ORG" and t.doc[t.i - 1].ent_type_ == "ORG"):  # ("The Coast Guard" is a name)
        # "the Kentucky Republican", "the Liberal MP": a description of someone named earlier
        found = described_person(reg, pos, t.lower_, ahead=t)
        if found or t.pos_ == "PROPN":
            return found
    if t.pos_ == "PROPN" and span is None:
        group = named_group(reg, p, t) or name_and_others(reg, p, t)
        if group:
            return group
    owned = owned_org(reg, p, t)
    if owned:
        return owned
    issuer = _possessor_of_titled_work(reg, p, t)
    if issuer:
        return issuer
    if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > 0 and not any(x.pos_ == "DET" for x in toks)):
        return _whole_org_name(reg, t, toks) or resolve_name(reg, p, t, text, toks)
    # a common noun phrase, unless it is a known name at the start of a sentence ("Golden said")
    if t.text[:1].isupper() and t.pos_ != "PRON":
        known = reg.lookup(t.text)
        if known:
            return known
    return resolve_description(reg, p, t, text, toks)


def _possessor_of_titled_work(reg: Registry, p: Para, t) -> str | None:
    """"the trust's Street Needs Assessment": a document known by its title speaks for whoever it belongs
    to, as any document does; never a day ("Tuesday's Annual Report")."""
    if t.pos_ != "PROPN" or t.lemma_.lower() not in DOCUMENT_NOUNS:
        return None
    owner = next((c for c in t.children if c.dep_ == "poss" and c.i < t.i and not in_quote(p, c.idx)), None)
    if owner is None or owner.ent_type_ in ("DATE", "TIME"):
        return None
    return resolve(reg, p, owner)


def _group_of_part(p: Para, t):
    """"Parents and alumni rallied, with many saying ...": "many" (some, most) in a "with" clause is part of
    the group the sentence is about, its subject."""
    if t.lower_ not in ("many", "some", "most", "several", "others") or t.dep_ != "nsubj":
        return None
    with_ = t.head.head
    if t.head.dep_ != "pcomp" or with_.lower_ != "with" or with_.head is with_:
        return None
    return next((c for c in with_.head.children if c.dep_ == "nsubj" and c.i < with_.i and
                 c.tag_ in ("NNS", "NNPS") and not in_quote(p, c.idx)), None)


ANOTHER_REACH = 600  # how far back (characters) "another" looks for the "one X" it is one more of


def another_one(reg: Registry, pos: int) -> str:
    """'"...," one reader wrote. ... Another said ...': "another" standing alone is one more of the people just
    quoted, "another reader" after "one reader" (or "another reader"); with no such source before it, the word
    as written."""
    for seen, name, role in reversed(reg.history):
        if seen > pos:
            continue
        if pos - seen > ANOTHER_REACH:
            break
        first, _, rest = name.partition(" ")
        if role == "speaker" and first.lower() in ("one", "another") and rest:
            return "another " + rest
    return "Another"


def _says_who(p: Para, t) -> bool:
    """Do words after "some" / "those" say who they are ("of the women", "in the party", "surveyed",
    "who back her rivals")? A bare "some said" names no one."""
    for c in t.children:
        if c.i < t.i or in_quote(p, c.idx):
            continue
        if c.dep_ == "prep" and c.lower_ in ("of", "in", "at", "from", "among", "on", "with", "inside", "within") and \
                any(g.dep_ == "pobj" and g.lower_ not in ("it", "this", "that", "which") for g in c.children):
            return True  # (not "some of it": a thing)
        if c.dep_ in ("acl", "relcl") and not any(x.lemma_ in SPEECH_VERBS for x in c.subtree):
            return True  # (not "those who said ...": that clause is what they say)
    return False


def _some_of_a_people(p: Para, t) -> bool:
    """"Democrats on the harbour board", "Republicans who watched the debate": a party or a people followed
    by words saying which of them spoke is those members, as written, not the whole party."""
    if t.tag_ != "NNPS" or t.ent_type_ not in ("NORP", ""):
        return False
    return _says_who(p, t)


def _whole_org_name(reg: Registry, t, toks: list) -> str | None:
    """"the Norland Institute on Harbour Safety": a known organisation's name runs over "on" / "of", where
    the noun phrase of its head stops."""
    if t.ent_type_ != "ORG" or not toks:
        return None
    ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
    end = toks[-1].i + 1
    if ent is None or len(ent) > 8 or ent.end <= end or t.doc[end].lower_ not in ("of", "on", "for"):
        return None
    name = entity_name(ent)
    return reg.lookup(name) if name else None


def _name_after_role(p: Para, t):
    """The name right after a role noun ("principal Joan Pike"), when the parse split them."""
    doc = t.doc
    if t.lower_ not in ROLE_WORDS or t.i + 1 >= len(doc) or doc[t.i + 1].pos_ != "PROPN":
        return None
    k = t.i + 1
    while k + 1 < len(doc) and doc[k + 1].pos_ == "PROPN" and doc[k + 1].dep_ in ("compound", "flat", "pobj", "appos"):
        k += 1
    return None if in_quote(p, doc[k].idx) else doc[k]


def _org_like(name: str) -> bool:
    """A name the tagger called a person that he/she cannot be: "RCMP", "Conservatives", "National Institute"."""
    parts = name.split()
    last = parts[-1].lower()
    return (name.isupper() and len(name) > 1) or last in ORG_NOUNS or \
        (len(parts) == 1 and last.endswith("s") and last[:-1] in PARTY_NOUNS)


def resolve_pronoun(reg: Registry, pos: int, low: str, avoid: str | None) -> str | None:
    """he/she: the latest compatible person in focus; they: the latest organisation or group."""
    if low in PERSON_PRONOUNS:
        g = PERSON_PRONOUNS[low]
        named = set(words(avoid.lower())) if avoid else set()
        skip = (lambda n: n.split()[-1].lower() in named or _org_like(n)) if named else _org_like
        name = reg.recent(pos, "person", ("speaker", "subj"), gender=g, exclude=skip) or \
            reg.recent(pos, "person", ("speaker", "subj", "mention"), gender=g, exclude=skip)
        ent = reg.entity(name)
        if ent is not None and ent.gender is None and not ent.quoted:
            # an unknown-gender name that never spoke loses to a recent speaker known to match
            better = reg.recent(pos, "person", ("speaker",), gender=g, known=True,
                                within=PARAMS["gender_window"], exclude=skip)
            if better:
                name = better
        return name
    if low in PLURAL_PRONOUNS:
        return reg.recent(pos, ("org", "group"), ("speaker", "subj")) or \
            reg.recent(pos, "org", ("speaker", "subj", "mention"))
    return None


def speaking_org(reg: Registry, p: Para, t) -> str | None:
    """"The port authority said ... It also said ...": "it" as the subject of a plain verb of saying is
    the organisation that was the last subject or speaker just before, with no other sentence subject
    between them ("The storm hit the pier. It said ..." names no one)."""
    if t.dep_ != "nsubj" or t.head.lemma_ not in IT_SAYS:
        return None  # ("it argued", "it seemed to suggest": too often a thing)
    pos = p.start + t.idx
    for at, name, role in itertools.islice(reversed(reg.history), HISTORY_LOOKBACK):
        if at >= pos or role not in ("speaker", "subj"):
            continue
        ent = reg.entity(name)
        if pos - at > IT_WINDOW or ent is None or ent.kind != "org":
            return None
        if any(x.dep_ in ("nsubj", "nsubjpass") and x.head.dep_ == "ROOT" and x.lower_ != "it" and
               at < p.start + x.left_edge.idx and p.start + x.idx < pos and not in_quote(p, x.idx) for x in p.doc[:t.i]):
            return None  # another sentence's subject came between
        return name
    return None


def note_pronoun_subjects(reg: Registry, p: Para) -> None:
    """"For X, Friday is a day she has waited for": a he/she in the narrative (not one that speaks) is the
    one person of the sentence named before it, who is then in focus as a subject, and whose gender the
    text has just told."""
    doc = p.doc
    for t in doc:
        if t.lower_ not in ("he", "she") or t.dep_ not in ("nsubj", "nsubjpass") or in_quote(p, t.idx) or \
                any(a.lemma_ in SPEECH_VERBS for a in t.ancestors):
            continue  # (one who speaks, or one inside what someone says, is attribution's to resolve)
        s0 = p.sent_bounds[t.i][0]
        named, spans = [], set()
        for ent in doc.ents:
            if s0 <= ent.start and ent.end <= t.i and ent.label_ == "PERSON" and not in_quote(p, ent.start_char):
                found = reg.entity(reg.lookup(entity_name(ent) or ""))
                if found is not None and found.kind == "person" and found.name not in named:
                    named.append(found.name)
                    spans.update(range(ent.start, ent.end))
        others = [x for x in doc[s0:t.i] if x.pos_ == "PROPN" and x.dep_ in ("nsubj", "nsubjpass") and x.i not in spans
                  and x.ent_type_ in ("", "PERSON", "ORG")]
        if len(named) != 1 or others:
            continue  # (another name the tagger missed may be the one)
        ent = reg.entity(named[0])
        gender = PERSON_PRONOUNS[t.lower_]
        if ent.gender in (None, gender):
            ent.gender = gender
            reg.note(p.start + t.idx, ent.name, "subj")


def owned_org(reg: Registry, p: Para, t) -> str | None:
    """"his office", "her campaign": "<that person>'s office"; "the Mayor's Office" is an organisation."""
    if t.lemma_.lower() not in ORG_NOUNS and t.lower_ not in ORG_NOUNS:
        return None
    poss = next((c for c in t.children if c.dep_ == "poss" and c.i < t.i and not in_quote(p, c.idx)), None)
    if poss is None:
        return None
    if t.pos_ == "PROPN" and poss.pos_ == "PROPN":
        first = poss.left_edge
        name = dtext(t.doc)[first.idx:t.idx + len(t.text)]
        if first.lower_ == "the":
            name = "the" + name[3:]
        return reg.add(name, "org") or name
    if poss.lower_ in ("his", "her", "their", "its"):
        pronoun = {"his": "he", "her": "she", "their": "they", "its": "they"}[poss.lower_]
        owner = resolve_pronoun(reg, p.start + poss.idx, pronoun, None)
    else:
        owner = resolve(reg, p, poss)
    return f"{owner}{_possessive_ending(poss)} {t.text.lower()}" if owner else None


def _possessive_ending(poss) -> str:
    """The possessive as the article writes it: "Reyes' campaign" stays "Reyes'", "Reyes's" stays "'s"
    (a pronoun's owner takes "'s")."""
    mark = next((c.text for c in poss.children if c.dep_ == "case"), "'s")
    return "'" if mark in ("'", "’") else "'s"


def resolve_name(reg: Registry, p: Para, t, text: str, toks: list) -> str | None:
    """A proper name: the full name already known for it, else a new person or organisation."""
    name = clean_name(text)
    if not name:
        return None
    if reg.is_outlet(name):
        return _outlet_speaking(reg, t, name)
    found = reg.lookup(name, gender=_title_gender(text))
    if found:
        if INNER_TITLE_RE.search(text):
            ent = reg.entity(found)
            if ent is not None:
                ent.kind = "person"  # "Hereditary Chief X" is a person whatever the tagger said
        return found
    kind = "person"
    if t.ent_type_ in ("ORG", "GPE", "NORP", "FAC") or any(x.lower_ in ORG_NOUNS for x in toks):
        kind = "org"
    display = name
    if toks and toks[0].lower_ == "the" and kind == "org":
        display = "the " + name
    added = reg.add(display if kind == "org" else name, kind)
    if added and kind == "person" and not in_quote(p, t.idx):
        describe_span(reg, p, toks[0].i, toks[-1].i + 1, added)
    return added


def _title_gender(text: str) -> str | None:
    """"Mr. Reyes" -> "m", "Mrs. Reyes" / "Ms. Reyes" -> "f": which of two namesakes is meant."""
    first = text.split()[0].rstrip(".").lower() if text.split() else ""
    return GENDER_WORDS.get(first) if first in TITLES else None


def _outlet_speaking(reg: Registry, t, name: str) -> str | None:
    """An outlet is a source only as the subject of its own speech verb ('"...," Fox News said in a
    statement') or named by "according to" ("according to CNN"); one that is told something or carries
    someone's words ("tells Sputnik") is not."""
    according = t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according"
    if not according and (t.dep_ != "nsubj" or t.head.lemma_ not in SPEECH_VERBS or t.head.lemma_ == "tell"):
        return None
    key = name.lower()
    if key not in reg.entities:
        reg.entities[key] = Entity(name=name, kind="org")
    return reg.entities[key].name


def resolve_description(reg: Registry, p: Para, t, text: str, toks: list) -> str | None:
    """A common noun phrase: a document's issuer, "the city" / "the pundit" to whom they describe,
    else the phrase as written ("a spokesperson", "police")."""
    pos = p.start + t.idx
    head = t.lemma_.lower()
    if head in DOCUMENT_NOUNS:
        return resolve_document(reg, p, t, toks)
    det = next((x for x in toks if x.dep_ == "det"), None)
    if det is not None and det.lower_ in ("the", "this", "that") and t.tag_ in ("NN", "NNP"):
        if head in ORG_NOUNS:
            if names_itself(t):
                return text[0].lower() + text[1:] if text[:4] == "The " else text
            return described_org(reg, pos, head, text)
        found = org_named_by(reg, pos, head) if head not in ROLE_WORDS else None
        found = found or described_person(reg, pos, head, t, ahead=t)
        if found:
            return found  # (nobody named at all: the description as written, below)
    elif head in ROLE_WORDS:
        found = named_later(reg, pos, t)  # "a spokeswoman for the mayor said ..." named just after
        if found:
            return found
    if det is None:
        staff = staff_of_named_org(reg, pos, t)
        if staff:
            if t.tag_ == "NNS":
                reg.add_group(staff)  # (a later "they" may be these officials)
            return staff
    # indefinite or plural descriptions stay as they are written ("a spokesperson", "police"); a space token
    # (a line break before '' marks) is no word: the phrase keeps its words rather than going blank
    kept = [x for x in toks if not (x.dep_ == "det" and x.i == toks[0].i) and not x.is_space]
    cut = next((k for k, x in enumerate(kept) if x.text in DQ or in_quote(p, x.idx)), None)
    if cut is not None:
        kept = kept[:cut]
    if not kept:
        return None
    kept += _participle_after(p, kept)
    kept = _according_source(p, t, kept)
    kept = _whole_subject(p, t, kept)
    phrase = dtext(t.doc)[kept[0].idx:kept[-1].idx + len(kept[-1].text)]
    first = kept[0]
    if first.is_sent_start and first.pos_ in ("NOUN", "ADJ", "DET") and not first.ent_type_ and phrase[1:2].islower():
        phrase = phrase[0].lower() + phrase[1:]  # "Police said" -> "police"
    if t.tag_ == "NNS":
        reg.add_group(phrase)  # "protesters", "city officials": a group that a later "they" may refer to
    return phrase


def staff_of_named_org(reg: Registry, pos: int, t) -> str | None:
    """"city staff", "company officials" after "the City of Norland" / "Acme Company": that organisation's
    staff ("City of Norland staff"). Only an organisation whose name is "<Noun> of X" or ends in the noun:
    "state officials" are no "State Department officials"."""
    if t.tag_ not in ("NN", "NNS") or t.lemma_.lower() not in STAFF_NOUNS:
        return None
    owners = [c for c in t.children if c.dep_ == "compound" and c.i < t.i]
    if len(owners) != 1 or owners[0].i != t.i - 1 or owners[0].pos_ != "NOUN" or owners[0].lower_ not in ORG_NOUNS:
        return None
    noun = owners[0].lower_
    name = org_named_by(reg, pos, noun)
    if not name:
        return None
    bare = name[4:] if name.lower().startswith("the ") else name
    parts = bare.lower().split()
    if parts[-1] != noun and not (parts[0] == noun and len(parts) > 2 and parts[1] == "of"):
        return None
    return f"{bare} {t.text}"


_PHRASE_ENDS = {",", ";", ":", "(", ")", "—", "–", "--"}
DESCRIBED_SOURCE_MAX_WORDS = 16  # a described source longer than this is a clause, not a name for it
SOURCE_WITH_AGENT_MAX_WORDS = 24  # ... unless what runs on is a participle that says who made it ("by X")


def _according_source(p: Para, t, kept: list) -> list:
    """"according to numbers the union published on Tuesday", "according to polling by the federation": after
    "according to" the source as written is its whole noun phrase, up to the comma."""
    to = t.head
    if t.dep_ != "pobj" or to.lower_ != "to" or to.i == 0 or t.doc[to.i - 1].lower_ != "according":
        return kept
    whole = []
    for x in t.subtree:
        if x.i < kept[0].i:
            continue
        if x.text in DQ or in_quote(p, x.idx):
            return kept  # (words quoted in it are someone's words, not who the source is)
        if x.text in _PHRASE_ENDS or x.tag_ in ("WP", "WP$", "WDT"):
            break  # (an unnamed source's "who declined to give a name" is not its name)
        if not x.is_space:
            whole.append(x)
    return whole if len(kept) <= len(whole) <= DESCRIBED_SOURCE_MAX_WORDS else kept


def _whole_subject(p: Para, t, kept: list) -> list:
    """"Democrats trying to win back the council say", "fishermen interviewed at the docks this week said": a
    described group that is the subject of a verb of saying keeps the phrases and participles after it that
    say which of them, up to a comma (not "here", "today" or "themselves", which say nothing of who they are)."""
    if t.dep_ != "nsubj" or t.tag_ not in ("NNS", "NNPS") or t.head.lemma_ not in SPEECH_VERBS:
        return kept
    whole = list(kept)
    for c in t.rights:
        if c.i <= kept[-1].i:
            continue
        if c.dep_ not in ("prep", "acl", "amod"):
            break
        for x in c.subtree:
            if x.text in DQ or in_quote(p, x.idx):
                return kept
            if x.is_punct and not joined(x) or x.is_space or x.tag_ in ("WP", "WP$", "WDT"):
                return whole if len(whole) <= DESCRIBED_SOURCE_MAX_WORDS else kept
            whole.append(x)
    return whole if len(whole) <= DESCRIBED_SOURCE_MAX_WORDS else kept


def _participle_after(p: Para, kept: list) -> list:
    """"first returns of the harbour survey conducted by the institute", "figures released Friday": a described
    source keeps the participle that says whose or which it is (a short one, with no quotation in it)."""
    last = kept[-1]
    acl = next((c for c in last.rights if c.dep_ == "acl" and c.tag_ == "VBN" and c.i == last.i + 1), None)
    if acl is None or acl.lemma_ in SPEECH_VERBS:
        return []
    part = list(acl.subtree)
    if len(kept) + len(part) > DESCRIBED_SOURCE_MAX_WORDS:
        part = _up_to_agent(acl, limit=SOURCE_WITH_AGENT_MAX_WORDS - len(kept))  # "... conducted by the institute for X"
    if any(x.is_punct and x.text not in ".-&'" or in_quote(p, x.idx) for x in part):
        return []
    return part


def _up_to_agent(acl, limit: int) -> list:
    """A long participle's words up to the end of its "by ..." (who made it), when that is short enough."""
    agent = next((c for c in acl.children if c.dep_ == "agent"), None)
    if agent is None:
        return []
    part = [x for x in acl.subtree if x.i <= agent.right_edge.i]
    return part if len(part) <= limit else []


def resolve_document(reg: Registry, p: Para, t, toks: list) -> str | None:
    """"a statement from the Harbour Business Association", "the union's report": whoever issued it;
    with no issuer named, the document as written ("the report"), never a person nearby."""
    for c in t.children:
        if c.dep_ == "poss" and not in_quote(p, c.idx):
            issuer = resolve(reg, p, c)  # "its report", "the agency's statement", "Smith's memo"
            if issuer:
                return issuer
    for x in toks:
        if x.pos_ == "PROPN" and x.i > t.i and x.dep_ not in ("compound", "flat") and not in_quote(p, x.idx):
            return resolve(reg, p, x)
    for c in t.children:  # "a study by the institute", "the report released by the agency"
        if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
            for x in c.children:
                if x.dep_ == "pobj" and x.pos_ in ("PROPN", "NOUN") and not in_quote(p, x.idx):
                    return resolve(reg, p, x)
        if c.dep_ == "acl":  # "the report released by the agency", "a release sent from the union"
            for agent in (g for g in c.children if g.dep_ == "agent" or g.dep_ == "prep" and g.lower_ == "from"):
                for x in agent.children:
                    if x.dep_ == "pobj" and not in_quote(p, x.idx):
                        return resolve(reg, p, x)
    if t.dep_ == "dobj" and t.head.lemma_ in ISSUING_VERBS:  # "X issued a statement saying ..."
        subj = next((c for c in t.head.children if c.dep_ == "nsubj" and not in_quote(p, c.idx)), None)
        if subj is not None and subj.lower_ not in ("it", "this", "that", "which", "who"):
            issuer = resolve(reg, p, subj)
            if issuer:
                return issuer
    det = next((x for x in t.children if x.dep_ == "det" and x.i < t.i), None)
    if det is not None and det.lower_ in ("the", "this", "that") and t.lemma_.lower() in reg.issuers:
        return reg.issuers[t.lemma_.lower()]  # "the report" that "the agency released" earlier
    spoke = _speaker_before(reg, p, t) if t.lemma_.lower() in ("statement", "release") else _poster_before(reg, p, t)
    if spoke:
        return spoke  # "The agency said ... A statement said ...": the statement is the agency's
    words_ = [w for w in toks if w.i >= (det.i if det is not None else t.i) and w.i <= t.i and not in_quote(p, w.idx)]
    if not words_:
        return None
    phrase = dtext(t.doc)[words_[0].idx:words_[-1].idx + len(words_[-1].text)]
    return phrase[0].lower() + phrase[1:] if words_[0].dep_ == "det" else phrase


def _speaker_before(reg: Registry, p: Para, t) -> str | None:
    """The subject of the latest speech verb before `t` in its paragraph, when it is no document."""
    for v in reversed(t.doc[:t.i]):
        if v.lemma_ not in SPEECH_VERBS or v.pos_ != "VERB" or in_quote(p, v.idx):
            continue
        subj = next((c for c in v.children if c.dep_ == "nsubj" and not in_quote(p, c.idx)), None)
        if subj is not None and subj.lemma_.lower() not in DOCUMENT_NOUNS and subj.pos_ != "PRON":
            return resolve(reg, p, subj)
    return None


def _poster_before(reg: Registry, p: Para, t) -> str | None:
    """'They tweeted out that ... A tweet last week said ...': a document named like the verb that made one
    earlier in its paragraph ("tweet", "post") is by that verb's subject."""
    for v in reversed(t.doc[:t.i]):
        if v.pos_ == "VERB" and v.lemma_ == t.lemma_ and not in_quote(p, v.idx):
            subj = next((c for c in v.children if c.dep_ == "nsubj" and not in_quote(p, c.idx)), None)
            return resolve(reg, p, subj) if subj is not None else None
    return None


def note_issuers(reg: Registry, p: Para) -> None:
    """"The agency released a report": a later "the report" speaks for the agency."""
    for t in p.doc:
        if t.lemma_.lower() not in DOCUMENT_NOUNS or in_quote(p, t.idx):
            continue
        by = _issuer_by(p, t)
        if by is not None:  # "denied reports by two newspapers": a later "the reports" are theirs
            issuer = resolve(reg, p, by)
            if issuer:
                reg.issuers[t.lemma_.lower()] = issuer
            continue
        verb = t.head
        if t.dep_ == "pobj" and t.head.lower_ == "in" and t.head.head.lemma_ in _ISSUING_OR_SPEECH:
            verb = t.head.head  # "X wrote in a blog post", "X said in a statement"
        elif not (t.dep_ in ("dobj", "nsubjpass") and verb.lemma_ in ISSUING_VERBS):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        issuer_tok = agent if t.dep_ == "nsubjpass" else subj
        if issuer_tok is not None and issuer_tok.lower_ not in ("it", "this", "that", "which", "who"):
            issuer = resolve(reg, p, issuer_tok)
            if issuer:
                reg.issuers[t.lemma_.lower()] = issuer


def _issuer_by(p: Para, t):
    """The issuer named in a document's own phrase: "reports by X", "a study from X"."""
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            for x in c.children:
                if x.dep_ == "pobj" and x.pos_ in ("PROPN", "NOUN") and not in_quote(p, x.idx):
                    return x
    return None


def named_group(reg: Registry, p: Para, t) -> str | None:
    """'Nick Sandmann and Nathan Phillips said ...': the names joined, as one group speaker."""
    members = [t] + [c for c in t.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
    for c in list(members[1:]):
        members += [g for g in c.children if g.dep_ == "conj" and g.pos_ == "PROPN"]
    if len(members) < 2 or len(members) > 5:
        return None
    names = []
    for m in members:
        text, _ = np_text(p, m)
        name = clean_name(text)
        known = reg.entity(reg.lookup(name)) if name else None
        if not name or not name[0].isupper() or m.ent_type_ not in ("PERSON", "") and not (known and known.kind == "person"):
            return None  # "Sandmann and the school": not a group of named people (a person named before is one)
        names.append(reg.lookup(name) or name)
    return reg.add_group(", ".join(names[:-1]) + " and " + names[-1])


def name_and_others(reg: Registry, p: Para, t) -> str | None:
    """'Reyes and others said ...', 'Ms. Ortiz and other councillors have said ...': the named person
    speaks with others, and the source is them all, as written after the name."""
    others = next((c for c in t.children if c.dep_ == "conj" and c.pos_ == "NOUN" and not in_quote(p, c.idx) and
                   (c.lower_ == "others" or any(a.lower_ == "other" and a.dep_ == "amod" for a in c.children))), None)
    if others is None or t.ent_type_ not in ("PERSON", ""):
        return None
    name = clean_name(np_text(p, t)[0])
    if not name:
        return None
    return reg.add_group(f"{reg.lookup(name) or name} and {noun_text(p, others)[0]}")


def recheck_pronoun(reg: Registry, p: Para, subj, speaker: str | None, said: str) -> str | None:
    """he/she resolved to someone the quoted words themselves name: take the next candidate."""
    if subj is None or speaker is None or subj.lower_ not in PERSON_PRONOUNS:
        return speaker
    if speaker.split()[-1].lower() not in set(words(said.lower())):
        return speaker
    return resolve(reg, p, subj, avoid=said) or speaker
