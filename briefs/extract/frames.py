"""Part of attribution: the speaker named in the words right around a direct quote
('..., X said.', '..., said X.', '..., X, a description, tells Outlet', 'X said: "...',
'X is blunt: "...'), resolved through coreference."""
from __future__ import annotations

import bisect

from .coreference import resolve
from .sources import names_no_one
from .cues import FRAME_AFTER, FRAME_APPOS, FRAME_BEFORE, FRAME_INVERTED, FRAME_WINDOW, sentence_ends_inside
from .entities import Registry, clean_name
from .lexicon import (DETERMINERS, DOCUMENT_NOUNS, FIRST_PERSON, NON_SPEAKERS, ORG_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS,
                      ROLE_WORDS, SPEECH_VERBS)
from .paragraph import Para, in_quote, mask_abbrev


def frame_speaker(reg: Registry, p: Para, s: int, e: int):
    """Speaker from the words right around a direct quote ('..., X said.' / 'said X.' / 'X said: ...')."""
    text = mask_abbrev(p.text)
    after = text[e:e + FRAME_WINDOW]
    for rx in () if sentence_ends_inside(text, s, e) else (FRAME_AFTER, FRAME_APPOS, FRAME_INVERTED):
        m = rx.match(after)
        if m:
            np_s, np_e = e + m.start("np"), e + m.end("np")
            spk, tok = np_speaker(reg, p, np_s, np_e)
            if spk:
                return spk, tok
            if tok is not None and tok.lower_ in PERSON_PRONOUNS:
                return None, tok  # '..., she said' with no she in sight: named, but no one to give it to
    spk, tok = colon_speaker(reg, p, s)
    if spk:
        return spk, tok
    start = max(0, s - 1 - FRAME_WINDOW)
    before = text[start:max(0, s - 1)]
    # only the sentence (or clause) just before the opening mark
    m = FRAME_BEFORE.search(before)
    if m:
        np_s, np_e = start + m.start("np"), start + m.end("np")
        spk, tok = np_speaker(reg, p, np_s, np_e)
        if spk:
            return spk, tok
    return None, None


_WH_SUBJECTS = {"what", "which", "who", "whoever", "whatever", "that"}


def colon_speaker(reg: Registry, p: Para, s: int):
    """'X, the doctor on the coast, is more blunt: "..."': the subject of the clause before the colon."""
    if s < 2 or p.doc is None:
        return None, None
    head = p.text[max(0, s - 4):s - 1].rstrip()
    if not head.endswith(":"):
        return None, None
    colon = p.text.rfind(":", 0, s)
    k = bisect.bisect_left(p.tok_idx, colon)
    if k >= len(p.doc) or k <= 0:
        return None, None
    named = _name_before_colon(reg, p, k, colon)
    if named[0]:
        return named
    clause = None
    for t in [p.doc[k - 1]] + list(p.doc[k - 1].ancestors):
        if in_quote(p, t.idx) or t.idx > colon:
            break
        if any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in _WH_SUBJECTS for c in t.children):
            clause = t  # (not "what happened" in "X apologized for what happened:": X's clause holds it)
            break
    if clause is None:
        return None, None
    clause = _reporting_clause(p, clause, colon)
    aside = name_before_aside(p, clause)
    if aside is not None:
        return resolve(reg, p, aside), aside  # ('Lund, whose company sells tide charts, said X was right:')
    for c in clause.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.idx < colon and not in_quote(p, c.idx):
            if c.pos_ == "PRON" and c.lower_ not in PERSON_PRONOUNS and c.lower_ not in PLURAL_PRONOUNS:
                return None, None
            if c.pos_ not in ("PROPN", "PRON") and c.lemma_.lower() in NON_SPEAKERS - DOCUMENT_NOUNS or names_no_one(c):
                return None, None
            spk = resolve(reg, p, c)
            return (spk, c) if spk else (None, None)
    return None, None


def _name_before_colon(reg: Registry, p: Para, k: int, colon: int):
    """'Dana Moss: "..."', 'Turnout is up - Dana Moss: "..."': a name standing alone before the colon,
    at the start of a sentence or after a dash, introduces the quote (a transcript's or a digest's layout)."""
    toks = []
    for t in reversed(p.doc[max(0, k - 9):k]):
        if t.text in ("-", "–", "—", "--") or t.is_sent_start and t.i < k:
            if t.is_sent_start and t.text not in ("-", "–", "—", "--"):
                toks.append(t)
            break
        toks.append(t)
    else:
        return None, None  # more than a short phrase before the colon
    toks.reverse()
    paren = next((i for i, t in enumerate(toks) if t.text == "("), None)
    if paren is not None and toks[-1].text == ")":
        toks = toks[:paren]  # "Rep. Dana Moss (D-Ore.):" names her party after the name
    if not toks or len(toks) > 8 or in_quote(p, toks[0].idx) or not any(t.pos_ == "PROPN" for t in toks):
        return None, None
    if any(t.pos_ in ("VERB", "AUX") or t.is_punct and t.text not in (".", "'", "’") for t in toks):
        return None, None  # a clause ("Wait, it gets better:"), handled below
    end = toks[-1].idx + len(toks[-1].text)
    if end > colon:
        return None, None  # a token that runs over the colon ('Moss:"We') is no name
    return np_speaker(reg, p, toks[0].idx, end)


_ASIDE_OPENERS = {"a", "an", "the", "who", "whose", "one", "his", "her", "their", "its", "now", "then", "herself", "himself"}


def name_before_aside(p: Para, v):
    """'Speaking by phone on Nov. 14, Capt. Ana Ortiz, a harbour spokeswoman, said ...', 'Lund, whose
    company sells tide charts, said ...': a person's name with an aside set off by commas right before a finite speech verb that
    the parser left without a subject (it hung the name on the phrase before, or on the aside's own verb)."""
    doc = v.doc
    k = v.i - 1
    if k < 2 or doc[k].text != "," or v.tag_ not in ("VBD", "VBZ", "VBP") or \
            any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        return None
    for j in range(k - 1, max(v.sent.start, k - 30), -1):
        t = doc[j]
        if in_quote(p, t.idx) or t.text in ("\"", "“", "”", "''", ";", ":"):
            return None
        if t.text == "," and doc[j + 1].lower_ in _ASIDE_OPENERS and j + 1 < k:
            name = doc[j - 1]
            if name.pos_ == "PROPN" and name.ent_type_ == "PERSON" and not in_quote(p, name.idx):
                return name
    return None


def _reporting_clause(p: Para, clause, colon: int):
    """'X said her words say it all: "..."': the clause before the colon is what X says, so the
    quote is X's, the subject of the speech verb that reports it ("X said A and that B:" too)."""
    first = clause
    while clause.dep_ == "conj" and clause.head.idx < clause.idx:
        clause = clause.head  # "... and that she will not run again:" is the second thing X said
    reporter = _reporter(p, clause, colon)
    return reporter if reporter is not clause else _reporter(p, first, colon)


def _reporter(p: Para, clause, colon: int):
    while clause.dep_ == "ccomp" and clause.head.lemma_ in SPEECH_VERBS and clause.head.idx < colon:
        head = clause.head
        if not any(c.dep_ == "nsubj" and c.idx < colon and not in_quote(p, c.idx) for c in head.children) and \
                name_before_aside(p, head) is None:
            break
        clause = head
    return clause


def _named_by_apposition(p: Para, roots: list, toks: list):
    """'Tom Reyes, president of the Harbour Association said, "It is ..."' (the second comma left out): the
    words before the verb are a role set beside a name, and the name is who speaks. Not when the quote goes
    on with the name's own sentence ('Reyes, a senior adviser said, "feels sure"': the adviser speaks of him)."""
    if len(roots) != 1 or roots[0].dep_ != "appos":
        return None
    name, verb = roots[0].head, roots[0].head.head
    if name.i >= toks[0].i or name.pos_ != "PROPN" or name.dep_ not in ("nsubj", "nsubjpass") or in_quote(p, name.idx):
        return None
    return name if _quote_opens_sentence(p.text[verb.idx + len(verb.text):verb.idx + len(verb.text) + 12]) else None


def _quote_opens_sentence(after: str) -> bool:
    """', "It is ...': the words after the verb open a quotation with a capital letter."""
    rest = after.lstrip()
    rest = rest[1:].lstrip() if rest[:1] in ",:" else rest
    return rest[:1] in ('"', "“") and rest[1:].lstrip()[:1].isupper()


def np_speaker(reg: Registry, p: Para, cs: int, ce: int):
    """Resolve the noun phrase at block-relative [cs, ce) to a speaker."""
    doc = p.doc
    if doc is None:
        return _np_speaker_text(reg, p, cs, ce), None
    toks = [t for t in doc if cs <= t.idx < ce and not t.is_space]
    while toks and toks[0].lower_ in ("and", "but", "so", "then", "as", "while", "also", "or", "because", "when", "where"):
        toks = toks[1:]
    if not toks or len(toks) > 12:
        return None, None
    if any(t.pos_ in ("VERB",) and t.lower_ not in PERSON_PRONOUNS and not t.text[:1].isupper() and
           not _title_before_name(toks, k) for k, t in enumerate(toks)):
        return None, None
    if all(t.pos_ in ("AUX", "VERB", "ADV", "PART", "ADP", "SCONJ", "CCONJ", "PUNCT") and t.is_lower for t in toks):
        return None, None  # '..., had said,': no noun phrase at all
    if toks[0].lower_ in FIRST_PERSON or toks[-1].lower_ in FIRST_PERSON:
        return None, None
    if toks[0].lower_ in ("it", "there", "this", "that") :
        return None, None
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    owner = _named_by_apposition(p, roots, toks)
    if owner is not None:
        return resolve(reg, p, owner), owner
    names = [t for t in toks if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != toks[0].i and t.pos_ != "PRON")]
    names = [t for t in names if not any(a.pos_ == "ADP" and a.i in ids for a in t.ancestors)] or \
        [t for t in names if not any(x.pos_ == "ADP" and x.i < t.i for x in toks)] or names
    names = [t for t in names if not _possessor(t, ids)]
    head = None
    if names:
        head = names[-1]
    elif len(toks) == 1:
        head = toks[0]
    else:
        nouns = [t for t in toks if t.pos_ in ("NOUN", "PRON", "PROPN")]
        head = nouns[-1] if nouns else (roots[-1] if roots else toks[-1])
    if head.lower_ in ("statement", "release", "email", "report", "interview", "tweet", "post", "letter"):
        return None, None
    named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and not in_quote(p, c.idx)), None)
    if head.pos_ == "NOUN" and named is not None:
        return resolve(reg, p, named), named  # "Reyes's deputy campaign manager, Dana Moss"
    spk = resolve(reg, p, head, span=toks)
    return spk, head


def _title_before_name(toks: list, k: int) -> bool:
    """'said guide Tomas Berg': a role word the tagger took for a verb, with only a name after it."""
    rest = toks[k + 1:]
    return k <= 2 and len(rest) >= 2 and all(t.pos_ == "PROPN" for t in rest) and toks[k].lemma_ not in SPEECH_VERBS
def _possessor(t, ids: set) -> bool:
    """'Reyes's deputy campaign manager said': the owner of the role is not who speaks, the role is."""
    root = t
    while root.dep_ in ("compound", "flat") and root.head.i in ids and root.head.i != root.i:
        root = root.head
    owned = root.head
    return root.dep_ == "poss" and owned.i in ids and owned.pos_ == "NOUN" and \
        (owned.lower_ in ROLE_WORDS or owned.lemma_.lower() in ORG_NOUNS or owned.lemma_.lower() == "source")


def _np_speaker_text(reg: Registry, p: Para, cs: int, ce: int) -> str | None:
    """Without a parse: the frame's words as a name, a pronoun or a description."""
    words = p.text[cs:ce].split()
    while words and words[0].lower() in ("and", "but", "so", "then", "as", "while", "also", "or"):
        words = words[1:]
    if not words or len(words) > 8:
        return None
    low = words[0].lower()
    pos = p.start + cs
    if len(words) == 1 and low in PERSON_PRONOUNS:
        g = PERSON_PRONOUNS[low]
        return reg.recent(pos, "person", ("speaker", "subj", "mention"), gender=g)
    if len(words) == 1 and low in PLURAL_PRONOUNS:
        return reg.recent(pos, "org", ("speaker", "subj", "mention"))
    if low in FIRST_PERSON or low in ("it", "there", "this", "that"):
        return None
    phrase = " ".join(words)
    caps = [w for w in words if w[:1].isupper()]
    if caps and caps[-1] == words[-1]:
        # trailing capitalised words are a name ("coach Dana Whitfield", "Whitfield")
        k = len(words)
        while k > 0 and words[k - 1][:1].isupper():
            k -= 1
        name = clean_name(" ".join(words[k:]))
        if not name or reg.is_outlet(name):
            return None
        found = reg.lookup(name) or reg.add(name, "person")
        if found:
            reg.note(pos, found, "speaker")
        return found
    if low in ("the", "this", "that") and len(words) >= 2:
        return reg.recent(pos, "person", ("speaker", "subj")) or phrase
    if low in DETERMINERS:
        phrase = " ".join(words[1:]) or phrase
    return phrase
