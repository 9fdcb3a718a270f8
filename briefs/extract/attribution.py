"""Step 5, attribution: which mention is the source of each quote and report, in reading order.

For a direct quote, first match wins: the words around it (see frames.py), the speech verb that
attributes it (its subject; "adding that" takes the head verb's subject), "according to X";
otherwise it continues the previous quote's speaker. A report takes its cue's subject. Every
source mention is resolved by coreference against the names seen so far.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .coreference import note_issuers, note_pronoun_subjects, recheck_pronoun, resolve
from .sources import names_no_one
from .cues import Cues, can_speak, coordinated_report, inverted_aside, verb_for_quote
from .entities import Registry, clean_name, entity_name
from .frames import frame_speaker, name_before_aside
from .phrases import dateline_dash, np_text
from .lexicon import (DOCUMENT_NOUNS, ISSUING_VERBS, NON_SPEAKERS, ORG_NOUNS, PERSON_PRONOUNS, PLAIN_SAYING_VERBS,
                      PLURAL_PRONOUNS, SPEECH_VERBS)
from .paragraph import Para, in_quote, title_case_sentence, trim
from .quotations import HEADLINE_BLOCK, Headline
from .settings import PARAMS

SIGNATURE_MAX_TOKENS = 16  # a name and a role under a pull quote, not a sentence


@dataclass
class Found:
    text: str
    speaker: str | None
    kind: str
    start: int
    end: int
    block: int
    explicit: bool = False  # the speaker was named next to this quote (not carried over)


@dataclass
class Attribution:
    found: list[Found] = field(default_factory=list)  # quotes and reports in reading order
    intro_speaker: dict[int, str | None] = field(default_factory=dict)  # intro block -> who lists the bullets


@dataclass
class _Focus:
    """What one paragraph leaves to the next: the speaker a floating quote would continue."""

    prev_quoted: str | None = None
    last_speaker: str | None = None


def attribute(paras: list[Para], cues: list[Cues], reg: Registry, headline: Headline | None = None) -> Attribution:
    """Every quote and report of the article with its speaker, resolved in reading order (a headline's
    'Source: words' once the body has named the source in full)."""
    reg.history.clear()  # salience is rebuilt in reading order, as a reader meets the names
    result = Attribution()
    focus = _Focus()
    body_names = None  # the names the body gave, before the headline is read (it is read last)
    for k, (p, c) in enumerate(zip(paras, cues)):
        if p.index == HEADLINE_BLOCK and body_names is None:
            body_names = _names_seen(reg)
        if p.reported or p.kind == "heading":
            note_mentions(reg, p)  # (a "READ MORE: ..." link is another story: its names are not in focus)
        if not p.reported:
            continue  # headings and "READ MORE: ..." links are not reported speech
        if p.kind == "bullet":
            speaker = result.intro_speaker.get(p.intro) if p.intro is not None else None
            if speaker:  # the bullets under "X lists several options:" are X's
                s, e = trim(p.text, 0, len(p.text))
                result.found.append(Found(p.text[s:e], speaker, "indirect", p.start + s, p.start + e, p.index))
            continue
        verb_spk = {}
        for v in c.verbs:  # in reading order: "Protesters said ... They called it ...": "they" are the protesters
            verb_spk[v.i] = verb_speaker(reg, p, v)
            spk, subj = verb_spk[v.i]
            ent = reg.entity(spk)
            if ent is not None and subj is not None and (ent.kind in ("group", "org") or subj.ent_type_ == "PERSON"):
                reg.note(p.start + subj.idx, spk, "subj")  # (not a description the tagger took for a name)
        if p.kind == "intro":
            # the speech verb nearest the colon introduces the bullets ("Sorokina explains the demands:")
            result.intro_speaker[p.index] = next((verb_spk[v.i][0] for v in reversed(c.verbs) if verb_spk[v.i][0]), None)
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        signed = signature(nxt) if nxt is not None and nxt.index == p.index + 1 and _quote_alone(p) else None
        attribute_direct(reg, p, c, verb_spk, focus, result.found, signed)
        attribute_reports(reg, p, c, verb_spk, focus, result.found)
    carry_back(paras, result.found)
    sign_pull_quotes(reg, paras, result.found)
    # a headline yields no name of its own (title case names anything): its words are a speaker's only when
    # the body names that speaker
    body_names = _names_seen(reg) if body_names is None else body_names
    result.found = [f for f in result.found if f.block != HEADLINE_BLOCK or f.speaker in body_names]
    if headline is not None and reg.lookup(headline.source) in body_names:
        result.found.insert(0, _headline_found(reg, headline))
    return result


def _names_seen(reg: Registry) -> set[str]:
    """The people and organisations the text read so far named."""
    return {name for _, name, _ in reg.history if reg.entity(name) is not None}


def _headline_found(reg: Registry, h: Headline) -> Found:
    """The headline's words are its source's, the name the body gives in full ('Graham:' is Lindsey Graham's)."""
    return Found(h.text, reg.lookup(h.source), "indirect", h.start, h.end, HEADLINE_BLOCK)


def attribute_direct(reg: Registry, p: Para, c: Cues, verb_spk: dict, focus: _Focus, found: list[Found],
                     signed: str | None = None) -> None:
    """The speaker of each direct quote in `p`; a floating quote continues the one in focus. `signed`: the
    name on the dash line under a paragraph that is one quote alone."""
    last_in_para, last_at = None, -1
    for q in p.direct:
        s, e, ts, te = q.s, q.e, q.ts, q.te
        speaker, subj = (reg.lookup(signed) or signed, None) if signed else frame_speaker(reg, p, s, e)
        silent = None  # the frame's pronoun when it named no one ('"...," it argued')
        if p.doc is not None and speaker is None:
            v = verb_for_quote(p, s, e, c.verbs)
            if v is not None:
                speaker, subj = verb_spk[v.i]
                if speaker is None:
                    silent = next((x for x in v.children if x.dep_ == "nsubj" and x.lower_ in FRAME_PRONOUNS), None)
            if speaker is None:
                # the "according to" nearest the quote ('According to one report, ... According to X, "..."')
                for t, pobj in sorted(c.according, key=lambda a: abs(a[0].idx - s)):
                    speaker = resolve(reg, p, pobj)
                    subj = pobj
                    if speaker:
                        break
            if speaker is None and (subj is None or subj.lower_ not in PERSON_PRONOUNS):
                # (a "she" with no woman in sight stays unattributed)
                speaker, subj = clause_speaker(reg, p, s, verb_spk)
        speaker = recheck_pronoun(reg, p, subj, speaker, p.text[ts:te])
        explicit = speaker is not None
        if speaker is None and q.continued and focus.prev_quoted:
            speaker = focus.prev_quoted
        unresolved = speaker is None and subj is not None and subj.lower_ in PERSON_PRONOUNS
        if speaker is None and not unresolved:
            # a floating quote: the paragraph's speaker (its last quote's, or the speaker of the last speech
            # verb before it: 'Reyes said that ... "..."'), the previous quote's, else the person last in focus
            said = _last_speaker_before(c, verb_spk, s, last_at)
            speaker = said or last_in_para or _subject_just_before(reg, p, s) or focus.prev_quoted or \
                reg.recent(p.start + s, "person", ("speaker", "subj")) or focus.last_speaker
            if silent is not None and not _fits_pronoun(reg, speaker):
                speaker = None  # ('"...," it argued' after Mayor Reyes spoke: no person is "it")
        if speaker:
            last_in_para, last_at = speaker, e
            if subj is not None:
                note_speaker(reg, p, subj, speaker)
            else:
                reg.note(p.start + s, speaker, "speaker")
            focus.last_speaker = speaker
        found.append(Found(p.text[ts:te], speaker, "direct", p.start + ts, p.start + te, p.index, explicit))
    # the speaker a floating quote in the next paragraph would continue
    focus.prev_quoted = last_in_para if p.direct else None


FRAME_PRONOUNS = PLURAL_PRONOUNS | {"it"}


def _fits_pronoun(reg: Registry, name: str | None) -> bool:
    """Can the speaker in focus be the "it" or "they" of a frame that named no one? An organisation, a
    document or a group (a description as written) can; a person cannot."""
    if not name:
        return False
    ent = reg.entity(name)
    return ent.kind != "person" if ent is not None else name[:1].islower()


def _subject_just_before(reg: Registry, p: Para, s: int) -> str | None:
    """'Moss touted her record on the board. "We need ..."': a quote opening a sentence right after one whose
    subject is a person named there speaks for that person, not for the previous paragraph's speaker."""
    doc = p.doc
    if doc is None:
        return None
    k = bisect.bisect_left(p.tok_idx, s)
    if k >= len(doc) or k == 0:
        return None
    start = p.sent_bounds[k][0]
    if p.text[doc[start].idx:s].strip(" \"“”'‘’([—–-") or start == 0:
        return None  # the quote does not open its sentence, or no sentence before it in the paragraph
    root = doc[start - 1].sent.root
    subj = next((c for c in root.children if c.dep_ == "nsubj" and not in_quote(p, c.idx)), None)
    if subj is None or in_quote(p, root.idx) or subj.pos_ != "PROPN" or subj.ent_type_ != "PERSON":
        return None
    name = resolve(reg, p, subj)
    ent = reg.entity(name)
    return name if ent is not None and ent.kind == "person" else None

# '- Dana Moss.', '-Tom Reyes, at a rally after the debate.': a dash, a name, then a comma or the end
SIGNATURE_RE = re.compile(r"^\s*[-—–]{1,2}\s?(?P<name>[A-Z][^,.;:()\n]{0,60}?)\s*(?:[,.]|$)")
SIGNATURE_MAX_CHARS = 100  # a signature line is a name with a few words of where or when, never prose
SIGNATURE_MAX_WORDS = 4


def signature(p: Para) -> str | None:
    """The name that signs the quote above with a dash on a line of its own ('- Dana Moss.'), as fact-checks
    and boxes of quotes do; None for any other line (a section title between dashes, "– Old hands –", is none)."""
    text = p.text.strip()
    if len(text) > SIGNATURE_MAX_CHARS or p.direct or text.rstrip(" .").endswith(("-", "—", "–")):
        return None
    m = SIGNATURE_RE.match(text)
    name = clean_name(m.group("name")) if m else ""
    names = name.split()
    if not 0 < len(names) <= SIGNATURE_MAX_WORDS or not all(w[:1].isupper() for w in names):
        return None
    return name


def _quote_alone(p: Para) -> bool:
    """Is the paragraph one quotation and nothing else (a byline's dash signs prose, never this)?"""
    if len(p.direct) != 1:
        return False
    q = p.direct[0]
    return not (p.text[:q.s] + p.text[q.e:]).strip(" \t\n\"'“”‘’.,")


def _last_speaker_before(c: Cues, verb_spk: dict, s: int, after: int) -> str | None:
    """The speaker of the last speech verb of the paragraph between `after` and the quote at `s`."""
    said = [verb_spk[v.i][0] for v in c.verbs if after < v.idx < s and verb_spk[v.i][0]]
    return said[-1] if said else None


def attribute_reports(reg: Registry, p: Para, c: Cues, verb_spk: dict, focus: _Focus, found: list[Found]) -> None:
    """Indirect speech: each report takes its cue's speaker; a report nested in another is dropped."""
    cands = []
    for r in c.reports:
        spk, subj = verb_spk[r.cue.i] if r.cue.i in verb_spk else verb_speaker(reg, p, r.cue)  # (a fragment's verb)
        if spk is None or (subj is not None and subj.lower_ != "it" and _not_a_speaker(subj)):
            continue  # (an "it" that resolved is an organisation: coreference.speaking_org)
        # "X hid, he said, but Y ran": both parts are one report, and "he" is not X in either
        said = p.text[slice(*r.span)] + (" " + p.text[slice(*r.after)] if r.after else "")
        spk = recheck_pronoun(reg, p, subj, spk, said)
        cands.append((*r.span, spk, subj, r.cue))
        if r.after:
            cands.append((*r.after, spk, subj, r.cue))
    for cs, ce, spk, subj, v in cands:
        # a report inside another report ("X said the study showed Y") is part of the outer one
        if PARAMS["nested_filter"] and any(o is not v and o_cs <= v.idx < o_ce and not _outer(v, o)
                                           for o_cs, o_ce, _, _, o in cands):
            continue
        note_speaker(reg, p, subj, spk)
        focus.last_speaker = spk
        found.append(Found(p.text[cs:ce], spk, "indirect", p.start + cs, p.start + ce, p.index))
    said = [v.idx for _, _, _, _, v in cands]
    for r in c.according_reports:
        cs, ce = r.span
        spk = resolve(reg, p, r.source)
        if not spk or reg.is_outlet(spk) and any(cs <= i < ce for i in said):
            continue  # ("X said ..., according to Reuters": X's words, which the outlet carries)
        note_speaker(reg, p, r.source, spk)
        found.append(Found(p.text[cs:ce], spk, "indirect", p.start + cs, p.start + ce, p.index))


def clause_speaker(reg: Registry, p: Para, s: int, verb_spk: dict):
    """A quotation inside someone's sentence with no speech verb next to it ('X called the plan "reckless"',
    'X thanked him for "stepping up"'): the subject of the clause that holds it, or the speaker of a
    speech verb that reports that clause ('X said Y was right to urge "..."' is X's)."""
    doc = p.doc
    k = bisect.bisect_left(p.tok_idx, s)
    if k >= len(doc) or not p.text[doc[p.sent_bounds[k][0]].idx:s].strip(" \"“”'‘’([—–-"):
        return None, None  # the quote opens its sentence: not embedded in anyone's clause
    outside = [t for t in doc[k].ancestors if not in_quote(p, t.idx)]
    reported = next((verb_spk[t.i] for t in outside if t.i in verb_spk and verb_spk[t.i][0]), None)
    if reported:
        return reported
    for t in outside:
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < k and
                     not in_quote(p, c.idx)), None)
        if subj is not None:
            if _not_a_speaker(subj) or names_no_one(subj) or (subj.pos_ == "PRON" and subj.lower_ not in PERSON_PRONOUNS):
                return None, None
            speaker = resolve(reg, p, subj)
            return (speaker, subj) if speaker else (None, None)
    return None, None


def note_mentions(reg: Registry, p: Para) -> None:
    """Note the names of `p` outside quotes in reading order (their salience), as subjects or mentions."""
    doc = p.doc
    if doc is None:
        return
    noted = set()
    for ent in doc.ents:
        if len(ent) > 8:
            continue  # not a name
        if ent.label_ in ("PERSON", "ORG") and not in_quote(p, ent.start_char) and not title_case_sentence(ent.root):
            name = reg.lookup(entity_name(ent) or "")
            if name:
                role = "subj" if _subject_name(ent.root) else "mention"
                reg.note(p.start + ent.start_char, name, role)
                noted.update(range(ent.start, ent.end))
    for t in doc:
        if t.i in noted or t.pos_ != "PROPN" or in_quote(p, t.idx) or title_case_sentence(t):
            continue
        if t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN" and doc[t.i + 1].dep_ in ("compound", "flat"):
            continue
        name = reg.lookup(t.text)
        if name is None and t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in ("", "PERSON"):
            # a two- or three-word name the tagger missed, as the subject of a clause
            text_, toks_ = np_text(p, t)
            words_ = clean_name(text_).split()
            if 2 <= len(words_) <= 3 and all(w[:1].isupper() for w in words_) and \
                    not any(w.lower() in ORG_NOUNS for w in words_):
                name = reg.add(" ".join(words_), "person")
        if name:
            role = "subj" if t.dep_ in ("nsubj", "nsubjpass") else "mention"
            reg.note(p.start + t.idx, name, role)
    note_pronoun_subjects(reg, p)
    reg.history.sort(key=lambda h: h[0])
    note_issuers(reg, p)


def _subject_name(root) -> bool:
    """Is this name the subject of its clause: "X said", or set beside a subject that is a role, however
    the parse hung it ("Director, security response at the firm Y, Z, agreed": Z)?"""
    if root.dep_ in ("nsubj", "nsubjpass"):
        return True
    t = root
    for _ in range(4):
        if t.dep_ not in ("appos", "pobj", "prep") or t.head is t:
            return False
        t = t.head
        if t.dep_ in ("nsubj", "nsubjpass"):
            return root.dep_ == "appos" and t.ent_type_ != "PERSON" and t.i < root.i
    return False


def verb_speaker(reg: Registry, p: Para, v) -> tuple[str | None, object]:
    """The resolved speaker of speech verb `v` (a token), and the subject token."""
    subj = _named_inside_commas(p, v)
    # a passive speech verb's subject is spoken to or about ("he was yelled at"), its speaker the agent
    subjects = [c for c in v.children if c.dep_ == "nsubj" and not in_quote(p, c.idx)]
    if subjects and subj is None:
        before = [c for c in subjects if c.i < v.i]
        subj = before[-1] if before else subjects[0]
    inverted = inverted_aside(p, v)
    if inverted is not None:
        subj = inverted[0]  # "The plan, said Dana Moss, will fail": Moss, not the plan
    if subj is None:
        # "according to X"
        for c in v.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        subj = g
    if subj is None and v.dep_ == "conj":
        subj = _shared_subject(p, v)
    if subj is None and v.dep_ in ("advcl", "xcomp", "conj", "pcomp") and v.head is not v:
        h = v.head
        if h.dep_ in ("prep", "agent", "mark") and h.head is not h:
            h = h.head
        h = _main_clause(p, v, h)
        hs = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass") and not in_quote(p, c.idx)]
        if hs and (h.lemma_ in SPEECH_VERBS or v.dep_ in ("pcomp", "advcl") or _goes_on(h) or _moved_to_say(v, h)):
            before = [c for c in hs if c.i < h.i]
            subj = before[-1] if before else hs[0]
        elif not hs and v.dep_ in ("pcomp", "advcl"):
            subj = _subject_above(p, h)
    if subj is None and v.dep_ == "acl" and _issued_document(p, v.head):
        subj = v.head  # "X issued a statement saying ...": the statement speaks for X (coreference)
    if subj is None and v.dep_ == "acl" and v.tag_ == "VBG":
        subj = _participle_speaker(p, v)
    if subj is None and _finite_after_aside(p, v):
        subj = v.head  # "Dana Moss, the nominee, tweeted in response: ..."
    if subj is None:
        subj = _name_before(p, v) or name_before_aside(p, v)
    if subj is None and v.lemma_ == "say":
        # inverted "said X" parsed as dobj/attr
        for c in v.rights:
            if c.dep_ in ("dobj", "attr", "npadvmod") and c.pos_ in ("PROPN", "NOUN") and not in_quote(p, c.idx):
                subj = c
                break
    if subj is None:
        return None, None
    if subj.dep_ == "nsubj":
        subj = _after_dateline(subj) or subj
    subj = _after_topic(p, subj) or subj
    subj = _antecedent(subj, v)
    if _a_thing(subj):
        subj = _actor_just_before(p, v) or subj
    if subj.pos_ == "NOUN" and _not_a_speaker(subj):
        return None, subj  # "the data show ...": a thing, not a speaker (a document speaks: coreference)
    main = _main_subject(reg, p, subj, v)
    if main is not None:
        return main, subj
    return resolve(reg, p, subj), subj


def _actor_just_before(p: Para, v):
    """'The first outburst came during her speech, when protesters interrupted her, shouting "..."': a
    participle of saying set off after a clause whose subject is a thing speaks for whoever acts in the clause
    right before the comma (the parser hangs it on the main verb)."""
    if v.tag_ != "VBG" or v.dep_ != "advcl" or not _set_off(v):
        return None
    before = v.doc[v.i - 2] if v.i >= 2 else None
    clause = next((t for t in [before] + list(before.ancestors) if t.pos_ in ("VERB", "AUX")), None) if before else None
    if clause is None or clause.i == v.head.i:
        return None
    subj = next((c for c in clause.children if c.dep_ == "nsubj" and not in_quote(p, c.idx)), None)
    return subj if subj is not None and can_speak(subj) else None


def _named_inside_commas(p: Para, v):
    """'The new fees, said Lee Park, would drive the crews out': "said" and a person's name set off by commas
    inside the clause they report: the name after the verb speaks (the parser may make the clause's own
    subject the verb's)."""
    doc = v.doc
    if v.lemma_ != "say" or v.i < 2 or doc[v.i - 1].text != "," or in_quote(p, v.idx):
        return None
    k = v.i + 1
    while k < len(doc) and doc[k].pos_ == "PROPN" and doc[k].ent_type_ == "PERSON":
        k += 1
    if k == v.i + 1 or k >= len(doc) or doc[k].text != ",":
        return None
    return doc[k - 1]

def _after_dateline(subj):
    """'BAYVIEW, Norland — Gov. Dana Moss on Thursday blamed ...': the parser can make the dateline's place
    the subject and hang the real one on it after the dash; a dateline says where, never who, so the
    subject is the phrase after the dash (None when `subj` is no dateline)."""
    dash = dateline_dash(subj.doc)
    if dash is None or subj.i > dash:
        return None
    return next((c for c in subj.children if c.dep_ == "appos" and c.i > dash), None)


def _after_topic(p: Para, subj):
    """'Of Ortiz, Lund, who backs Moss, said, "..."': a phrase opening the sentence with "Of" and ending at a
    comma says whom the words are about; the parser may take it, or its "Of", for the subject. The one who
    speaks is the name right after its comma (None when `subj` is not inside such a phrase)."""
    doc = subj.doc
    s0, s1 = p.sent_bounds[subj.i]
    if doc[s0].lower_ != "of":
        return None
    comma = next((t.i for t in doc[s0:s1] if t.text == ","), None)
    if comma is None or subj.i > comma or comma + 1 >= s1 or doc[comma + 1].pos_ != "PROPN":
        return None
    name = doc[comma + 1]
    while name.i + 1 < s1 and doc[name.i + 1].pos_ == "PROPN":
        name = doc[name.i + 1]
    return name


def _finite_after_aside(p: Para, v) -> bool:
    """'Dana Moss, the 2012 nominee, tweeted in response: "…"': the parser read the verb of saying after a
    name and its aside as a participle modifying the name ("a name, tweeted ..."); set off by commas right
    after the name's aside, with no "by" of its own, it is the name's own verb."""
    h = v.head
    return v.dep_ == "acl" and v.tag_ in ("VBN", "VBD") and h.pos_ == "PROPN" and h.ent_type_ == "PERSON" and \
        h.i < v.i and v.doc[v.i - 1].text == "," and any(c.dep_ == "appos" and c.i < v.i for c in h.children) and \
        not any(c.dep_ in ("agent", "aux", "auxpass") for c in v.children) and not in_quote(p, h.idx)


_PRONOUN_GENDER = {"he": "m", "she": "f"}


def _main_subject(reg: Registry, p: Para, subj, v) -> str | None:
    """'Moss went after Reyes at the debate, when she called him "reckless"': a he/she speaking in a clause
    of time or reason hung on the main verb is that verb's subject, a named person not known to be of the
    other sex (None otherwise: the pronoun is resolved as usual)."""
    gender = _PRONOUN_GENDER.get(subj.lower_)
    if gender is None or v.dep_ != "advcl" or v.head is v:
        return None
    main = next((c for c in v.head.children if c.dep_ == "nsubj" and c.i < v.i), None)
    if main is None or main.pos_ != "PROPN" or in_quote(p, main.idx):
        return None
    name = resolve(reg, p, main)
    ent = reg.entity(name) if name else None
    return name if ent is not None and ent.kind == "person" and ent.gender in (None, gender) else None


def _goes_on(h) -> bool:
    """'He went on to say ...', 'she continued to argue ...': the verb only says the speaking went on."""
    return h.lemma_ in ("continue", "proceed") or h.lemma_ == "go" and any(c.dep_ == "prt" and c.lower_ == "on" for c in h.children)


def _moved_to_say(v, h) -> bool:
    """'X was prompted to say', 'she was moved to add': the one a passive verb moved to speak is who speaks
    (never 'was told to say' of someone else's words: a verb of saying above has its own speaker)."""
    return v.dep_ == "xcomp" and v.lemma_ in PLAIN_SAYING_VERBS and h.lemma_ not in SPEECH_VERBS and \
        any(c.dep_ == "nsubjpass" and can_speak(c) for c in h.children) and not any(c.dep_ == "neg" for c in h.children)


def _shared_subject(p: Para, v):
    """'Reyes rubbed his chin and said ...', 'X was asked about it and said ...': a verb coordinated with
    an earlier one shares its subject (one inside a reported clause is that report's, not a new source)."""
    h = v.head
    while h.dep_ == "conj" and h.head is not h and not any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children):
        h = h.head
    second = coordinated_report(h) if h.dep_ == "ccomp" and h.head.lemma_ in SPEECH_VERBS else None
    if second is not None and second.i == v.i:
        h = h.head  # "Reyes says the goal is X, but conceded that Y": the parser hung "conceded" on the report
    if h.dep_ == "ccomp" or h.i > v.i:
        return None
    subjects = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < h.i and not in_quote(p, c.idx)]
    if not subjects or subjects[-1].dep_ == "nsubjpass" and not can_speak(subjects[-1]):
        return None  # ("classes were canceled as the school found ...": a thing things happen to does not speak)
    return subjects[-1]


def _subject_above(p: Para, h):
    """'X sought to calm the crowd, and took a heckler in stride, saying ...', 'They continued to veer off
    script, saying ...': a participle hanging on a verb with no subject of its own speaks for the subject
    of the verb that one is coordinated with or completes."""
    while h.dep_ == "xcomp" and h.head is not h and not any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children):
        h = h.head
    if h.dep_ == "conj":
        return _shared_subject(p, h)
    subjects = [c for c in h.children if c.dep_ == "nsubj" and c.i < h.i and not in_quote(p, c.idx)]
    return subjects[-1] if subjects and h.dep_ != "ccomp" else None


def _name_before(p: Para, v):
    """'Saturday at the convention Sen. Ana Ortiz (D-NL) said ...': a person's name just before a speech
    verb that the parser left without a subject (it hung the name on the phrase before) is its subject."""
    k = v.i - 1
    doc = v.doc
    if k >= 1 and doc[k].text == ")":  # a party or a state in brackets after the name
        opening = next((j for j in range(k - 1, max(-1, k - 8), -1) if doc[j].text == "("), None)
        k = opening - 1 if opening is not None else -1
    if k < 0 or any(c.dep_ in ("aux", "auxpass", "neg", "nsubj", "nsubjpass", "expl") and c.i < v.i for c in v.children):
        return None
    t = doc[k]
    if t.pos_ != "PROPN" or t.ent_type_ != "PERSON" or in_quote(p, t.idx) or \
            t.dep_ in ("nsubj", "nsubjpass", "dobj") or p.sent_bounds[t.i] != p.sent_bounds[v.i]:
        return None  # (nor a name ending the sentence before)
    return t


def _participle_speaker(p: Para, v):
    """'with a spokesperson for the crews describing the vote as ...', 'protesters chanting ...': a
    participle of saying that modifies people speaks for them (the parser may hang it on the last noun
    of their phrase: "the camp" there)."""
    h = v.head
    for _ in range(3):
        if in_quote(p, h.idx):
            return None
        if h.pos_ in ("NOUN", "PROPN") and can_speak(h):
            return h
        if h.dep_ != "pobj" or h.head.dep_ != "prep" or h.head.head is h.head:
            return None
        h = h.head.head
    return None


def _a_thing(t) -> bool:
    """A lowercase common noun that names no person or organisation ("the closure", "the new fee")."""
    return t.pos_ == "NOUN" and t.text[:1].islower() and not can_speak(t)


def _antecedent(subj, v):
    """'Reyes, who said ...', 'officials who say ...': the subject "who" of a relative clause is the noun
    that the clause modifies (`v`, the speech verb, must report something)."""
    rel = subj.head
    if subj.lower_ != "who" or rel.dep_ != "relcl" or rel.head is rel or not any(c.dep_ == "ccomp" for c in v.children):
        return subj  # (one "who complained about the delays" says nothing here)
    noun = rel.head
    if noun.dep_ == "appos" and noun.head.pos_ == "PROPN" and noun.pos_ != "PROPN":
        return noun.head  # "Reyes, a nurse who said ...": the person named
    return noun


def note_speaker(reg: Registry, p: Para, subj, name: str) -> None:
    pos = p.start + (subj.idx if subj is not None else 0)
    ent = reg.entity(name)
    if ent is not None:
        ent.quoted = True
    reg.note(pos, name, "speaker")


def carry_back(paras: list[Para], found: list[Found]) -> None:
    """A quote running over paragraphs takes the speaker named at its end ('...," said X')."""
    by_block: dict[int, list[Found]] = {}
    for f in found:
        if f.kind == "direct":
            by_block.setdefault(f.block, []).append(f)
    for k in range(len(paras) - 2, -1, -1):
        p, nxt = paras[k], paras[k + 1]
        here, there = by_block.get(p.index), by_block.get(nxt.index)
        if not (p.open_end and here and there):
            continue
        last, first = here[-1], there[0]
        if not last.explicit and first.explicit and first.speaker and \
                nxt.quotes and nxt.quotes[0][0] <= 1 and first.start - nxt.start <= 2:
            last.speaker, last.explicit = first.speaker, True
            for f in reversed(here[:-1]):
                if f.explicit:
                    break
                f.speaker = first.speaker


def sign_pull_quotes(reg: Registry, paras: list[Para], found: list[Found]) -> None:
    """A pull quote signed on its last line ('"We cannot wait." / Dana Moss, Bayview Harbour Trust."') is
    the signer's, and the signature is no quote."""
    for prev, p in zip(paras, paras[1:]):
        signer = _signer(p) if p.may_sign else None
        name = reg.lookup(signer.text) or reg.add(signer.text, "person") if signer is not None else None
        if not name:
            continue
        for f in found:
            if f.block == prev.index and f.kind == "direct":
                f.speaker, f.explicit = name, True
        found[:] = [f for f in found if f.block != p.index]


def _signer(p: Para):
    """The person a signature line names: a person's name with at most a title before it and a role after a
    comma ('Former mayor Tom Reyes.', 'Dana Moss, Bayview Harbour Trust.'; not 'I voted for Tom Reyes.')."""
    if p.doc is None or len(p.doc) > SIGNATURE_MAX_TOKENS:
        return None
    person = next((e for e in p.doc.ents if e.label_ == "PERSON"), None)
    if person is None or any(t.pos_ in ("VERB", "AUX", "PRON") for t in p.doc[:person.start]):
        return None
    rest = [t for t in p.doc[person.end:] if not t.is_punct or t.text == ","]
    return person if not rest or rest[0].text == "," else None


def _not_a_speaker(tok) -> bool:
    """A thing that cannot say anything ("the data", "a video"); documents ("the report") can."""
    lemma = tok.lemma_.lower()
    return lemma in NON_SPEAKERS and lemma not in DOCUMENT_NOUNS


def _main_clause(p: Para, v, h):
    """'X dismissed claims that Y broke the law -- saying ...': a participle set off by a comma or a
    dash after the clause of a "that" or "who" speaks for the sentence's subject, not the inner clause's."""
    if v.tag_ != "VBG" or not _set_off(v):
        return h
    root = v.sent.root
    if h.lemma_ in SPEECH_VERBS and any(c.dep_ == "nsubj" and not _a_thing(c) for c in h.children):
        return h  # '..., Y added, saying ...' is Y's (not "the plan reminds him of a book, explaining ...")
    if h.dep_ in ("ccomp", "acl", "relcl") and any(a.i == root.i for a in h.ancestors) and \
            any(c.dep_ == "nsubj" and c.i < h.i and not in_quote(p, c.idx) for c in root.children):
        return root
    return h


def _set_off(v) -> bool:
    """A participle after a comma or a dash, the comma maybe inside a closing quotation mark
    ('... "ran it like a club," adding, ...')."""
    k = v.i - 1
    while k > 0 and v.doc[k].text in ("\"", "”", "''"):
        k -= 1
    return k >= 0 and v.doc[k].text in (",", "—", "–", "--")


def _issued_document(p: Para, t) -> bool:
    """Is `t` a document that someone issues in this clause ("X released a statement")?"""
    return t.lemma_.lower() in DOCUMENT_NOUNS and t.dep_ == "dobj" and t.head.lemma_ in ISSUING_VERBS and \
        not in_quote(p, t.idx) and any(c.dep_ == "nsubj" for c in t.head.children)


def _outer(v, o) -> bool:
    """Is cue `v` the one that reports `o` ("His office said the senator would explain ...")?"""
    return any(a.i == v.i for a in o.ancestors)
