"""Step 4, cues: the speech verbs and "according to" phrases outside quotation marks, the
attribution frames around a quote ('..., X said'), and what each cue reports as indirect speech
(the clause of "X said that ...", the object of "rules out", the rest of an "according to" sentence).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import (ASIDE_VERBS, CCOMP_ONLY, JUDGING_VERBS, LOST_SUBJECT_VERBS, OBJECT_VERBS, ORG_NOUNS, PARTY_NOUNS,
                      PERSON_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS, REFLEXIVE_PRONOUNS, REFUSED_NOUNS, ROLE_WORDS,
                      SMALL_TITLE_WORDS, SPEECH_RE, SPEECH_VERBS, TELLING_VERBS, WH_CLAUSE_RE)
from .paragraph import Para, content_span, in_quote, mask_abbrev, size, words
from .settings import PARAMS, STRAY_CLAUSE_REACH


@dataclass
class Report:
    """Indirect speech of one cue: the verb (or "according" token), what it reports [cs, ce) and,
    for '..., he said, but Y ran', the report's continuation after the attribution."""

    cue: object
    span: tuple[int, int]
    after: tuple[int, int] | None = None
    source: object = None  # for "according to X": the token X


@dataclass
class Cues:
    verbs: list = field(default_factory=list)  # speech verb tokens outside quotes, in order
    according: list = field(default_factory=list)  # ("according" token, the object of its "to")
    reports: list[Report] = field(default_factory=list)  # per speech verb, when it reports a clause
    according_reports: list[Report] = field(default_factory=list)


def find_cues(paras: list[Para]) -> list[Cues]:
    """One Cues per block; empty for blocks that carry no reported speech or were not parsed."""
    return [para_cues(p) if p.doc is not None and p.reported and p.kind != "bullet" else Cues() for p in paras]


def para_cues(p: Para) -> Cues:
    cues = Cues(verbs=speech_verbs(p), according=according_to(p))
    kept = [(q.ts, q.te) for q in p.direct]
    for v in cues.verbs:
        if any(c.dep_ == "neg" for c in v.children):
            continue  # "the filing does not claim she fled", "never said that ...": nothing was said
        span = indirect_content(p, v)
        if span is None or overlaps_direct(kept, *span):
            continue
        rest = after_parenthetical(p, v)
        cues.reports.append(Report(v, span, rest if rest and not overlaps_direct(kept, *rest) else None))
    cues.reports.extend(fragment_reports(p, cues))
    for t, pobj in cues.according:
        span = according_content(p, t, pobj)
        if span is not None and not overlaps_direct(kept, *span):
            cues.according_reports.append(Report(t, span, source=pobj))
    return cues


def fragment_reports(p: Para, cues: Cues) -> list[Report]:
    """'Reyes blamed the "fog of war" for the delay': a few quoted words (too short to be a quote of their
    own) inside the object of someone's verb are that person's words, and the verb's object is the report."""
    kept = {(q.s, q.e) for q in p.direct}
    covered = [r.span for r in cues.reports]
    out: list[Report] = []
    for s, e in p.quotes:
        if (s, e) in kept or any(cs <= s and e <= ce for cs, ce in covered) or _names_a_title(p.text[s:e]):
            continue
        v = _clause_verb(p, s)
        if v is None or hypothetical(v) or any(r.cue is v for r in out + cues.reports):
            continue
        span = _object_span(p, v, s, e)
        if span is not None:
            covered.append(span)
            out.append(Report(v, span))
    return out


def hypothetical(v) -> bool:
    """'The crews would call the plan a "disgrace" if it passed': a naming verb under "would", "could" or
    "might" is a conjecture about words nobody has said yet, not a report of them (other verbs keep theirs:
    'strange that he would denounce "X"' is said)."""
    return v.lemma_ in NAMING_VERBS and any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_MODALS for c in v.children)


def _clause_verb(p: Para, s: int):
    """The verb, outside the marks, whose object holds the quoted words at `s`, when it has a subject of its own."""
    k = bisect.bisect_left(p.tok_idx, s)
    if k >= len(p.doc):
        return None
    v = next((a for a in p.doc[k].ancestors if not in_quote(p, a.idx) and a.pos_ in ("VERB", "AUX")), None)
    if v is None or v.pos_ != "VERB" or v.lemma_ not in SPEECH_VERBS | JUDGING_VERBS or v.idx > s or v.dep_ in ("relcl", "acl"):
        return None  # (a relative clause, "what critics call "X"", names a thing: it reports nothing; a linking
        # verb, 'the plan is "reckless"', is no verb of saying or judging: its subject is described, not speaking)
    if not any(c.dep_ == "nsubj" and c.i < v.i and not in_quote(p, c.idx) for c in v.children):
        return None
    if any(c.lower_ in ("what", "which") for c in v.children):
        return None  # "what critics call "X"" names a thing
    if any(a.lemma_ in SPEECH_VERBS and a.pos_ in ("VERB", "AUX") and not in_quote(p, a.idx) for a in v.ancestors):
        return None  # inside what a speech verb reports: that verb's report, not this one
    return v


def _names_a_title(inner: str) -> bool:
    """'told "This Week"', 'the book "Strangers No More"': capitalised words name a show or a work."""
    found = [w for w in words(inner) if w.lower() not in SMALL_TITLE_WORDS]
    return bool(found) and all(w[:1].isupper() for w in found)


_STOP_DEPS = {"cc", "conj", "advcl", "parataxis", "relcl"}
MEDIUM_PREPS = {"in", "during", "without", "through", "via"}  # (not "on", "at", "with": "scoffed at suggestions that")


_OBJECT_DEPS = {"dobj", "oprd", "xcomp", "ccomp", "acomp", "dative"}
_ABOUT_PREPS = {"as", "for", "of", "about", "against", "over"}  # "blamed ... for", "warned of": what is said


def _object_span(p: Para, v, s: int, e: int):
    """The verb's object and complements, up to a coordinated or set-off clause, when the quoted words
    [s, e) are in its object ('praised the "bold" plan'), not in where or when it was said ('on "This Week"')."""
    parts = []
    for c in v.rights:
        if c.dep_ in _STOP_DEPS or (c.dep_ == "punct" and c.text in ",;:.—–!?"):
            break
        if c.dep_ in ("punct", "prt", "advmod", "npadvmod") and not parts:
            continue
        parts.append(c)
    holder = next((c for c in parts if c.left_edge.idx <= s and e <= c.right_edge.idx + len(c.right_edge.text) + 1), None)
    if holder is None or not (holder.dep_ in _OBJECT_DEPS or holder.dep_ == "prep" and holder.lower_ in _ABOUT_PREPS):
        return None
    cs, last = parts[0].left_edge.idx, parts[-1].right_edge
    ce = last.idx + len(last.text)
    if _inside_marks(p, cs) or _inside_marks(p, ce - 1):
        return None  # the parse cut a quotation in two
    return content_span(p, cs, ce, question=False)


def _inside_marks(p: Para, pos: int) -> bool:
    return any(qs < pos < qe - 1 for qs, qe in p.quotes)


def speech_verbs(p: Para) -> list:
    doc = p.doc
    out = []
    for t in doc:
        if t.pos_ not in ("VERB", "AUX") and not (t.lemma_ == "accord"):
            continue
        if t.lemma_ not in SPEECH_VERBS and not puts_it_in_words(t):
            continue
        if in_quote(p, t.idx):
            continue
        if t.lemma_ == "point" and not any(c.lower_ == "out" for c in t.children):
            continue
        if t.lemma_ == "rule" and not any(c.lower_ == "out" for c in t.children):
            continue
        if t.lemma_ in ("call", "describe", "continue", "show", "find", "maintain") and not any(c.dep_ == "ccomp" for c in t.children) \
                and naming_complement(t) is None:
            continue
        out.append(t)
    return out


# what "put it" may be followed by and still be words, not a thing moved: when and where it was said
_SAID_WHEN_WHERE = {"DATE", "TIME", "GPE", "LOC", "FAC", "EVENT"}


def puts_it_in_words(t) -> bool:
    """'As Moss put it, "..."', 'Reyes put it bluntly:': "put it" with no place it goes ("put it on the
    table", "put it into play") says something; a phrase of when or where it was said does not count."""
    if t.lemma_ != "put" or not any(c.dep_ == "dobj" and c.lower_ == "it" for c in t.children):
        return False
    if any(c.dep_ == "prt" for c in t.children):
        return False  # ("put it off", "put it back")
    for c in t.children:
        if c.dep_ == "prep":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is None or obj.ent_type_ not in _SAID_WHEN_WHERE:
                return False
    return True


def according_to(p: Para) -> list:
    doc = p.doc
    out = []
    for t in doc:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to" and not in_quote(p, t.idx):
            pobj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is None and t.i + 2 < len(doc):
                pobj = doc[t.i + 2]
            if pobj is not None:
                out.append((t, pobj))
    return out


# The frame patterns only ever see this many characters next to a quote (their work stays bounded).
FRAME_WINDOW = 160
FRAME_AFTER = re.compile(
    r"^[\"”»]?\s*,?\s*(?P<np>[^\s\"“”,.;:!?()](?:[^\"“”,.;:!?()\n]{0,70}?))\s+(?:has\s+|had\s+|have\s+|also\s+|then\s+|later\s+)?(?P<v>" + SPEECH_RE + r")\b")
FRAME_INVERTED = re.compile(
    r"^[\"”»]?\s*,?\s*(?P<v>" + SPEECH_RE + r")\s+(?P<np>[^\"“”,.;:!?()\n]{1,80}?)\s*(?:[,.;:!?]|$|\s+(?:in|on|at|during|after|before|while|to|about|when|with)\s)")
FRAME_APPOS = re.compile(
    r"^[\"”»]?\s*,?\s*(?P<np>(?:[A-Z][\w'’.\-]*\s+){0,3}[A-Z][\w'’.\-]*),\s+[^\"“”\n]{2,200}?,\s+(?:has\s+|also\s+)?(?P<v>" + SPEECH_RE + r")\b")
FRAME_BEFORE = re.compile(
    r"(?:^|[.!?;]\s+|,\s+|\b(?:but|and|as)\s+)(?P<np>[^\"“”,.;:!?()\n]{1,70}?)\s+(?:has\s+|had\s+|also\s+|then\s+|later\s+)?(?P<v>" + SPEECH_RE + r")(?:\s+\w+){0,3}?\s*[:,]?\s*$")


def has_frame(p: Para, e: int) -> bool:
    """Is the quote ending at `e` followed by an attribution ('..., she said')?"""
    after = mask_abbrev(p.text[e:e + FRAME_WINDOW])
    return any(rx.match(after) for rx in (FRAME_AFTER, FRAME_APPOS, FRAME_INVERTED))


def verb_for_quote(p: Para, s: int, e: int, verbs: list):
    """The speech verb that attributes the quote at [s, e) (block-relative), or None."""
    if not verbs:
        return None
    doc = p.doc
    best, best_d = None, None
    first = max(0, bisect.bisect_left(p.tok_idx, s))
    last = max(0, bisect.bisect_left(p.tok_idx, e) - 1)
    first, last = min(first, len(doc) - 1), min(max(first, last), len(doc) - 1)
    lo, hi = p.sent_bounds[first][0], p.sent_bounds[last][0]
    ended = sentence_ends_inside(p.text, s, e)
    before = []  # (distance, verb) of the candidates before the quote
    for v in verbs:
        if v.lemma_ in CCOMP_ONLY:
            continue
        vs = p.sent_bounds[v.i][0]
        in_q = lo <= vs <= hi
        if v.idx >= e:
            gap = p.text[e:v.idx]
            d = v.idx - e
            if ended:
                continue  # 'Reyes "has a record of results." Moss warned that ...': the next sentence's verb
            if not in_q and (d > PARAMS["verb_window"] or any(q[0] > e and q[0] < v.idx for q in p.quotes)):
                continue
            if re.search(r"[.!?]\s+[A-Z]", gap) and not in_q and d > 40:
                continue
        elif v.idx < s:
            d = s - v.idx
            gap = p.text[v.idx:s]
            if not in_q and not re.search(r"[:,]\s*[\"“]?$", gap.rstrip()[-3:] + " ") and d > 40:
                continue
            if not in_q and d > 150:
                continue
            d += 10  # prefer attribution after the quote
        else:
            continue
        if best_d is None or d < best_d:
            best, best_d = v, d
        if v.idx < s:
            before.append((d, v))
    if best is not None and best.idx < s and p.text[best.idx + len(best.text):s].strip(" ,:\"“”'‘’"):
        return _verb_holding(doc[first], best, before)
    return best


def _verb_holding(tok, best, before: list):
    """'Moss said the letter saying pilots back him meant that "..."': a nearer verb set apart from the quote
    by words of its own, whose clause does not hold the quote, loses to an earlier verb of the same
    sentence whose clause holds it (the quote is Moss's). (A verb right before the quote introduces it:
    'heard them shout, "..."'.)"""
    if any(a.i == best.i for a in tok.ancestors):
        return best
    holding = [(d, v) for d, v in before if any(a.i == v.i for a in tok.ancestors)]
    return min(holding, key=lambda dv: dv[0])[1] if holding else best


def sentence_ends_inside(text: str, s: int, e: int) -> bool:
    """'Kasich "has a record of results." He warns that ...': a full stop inside the closing mark ends
    the sentence, so a capitalised clause after it is the next sentence, not this quote's attribution
    (a question or an exclamation may still be followed by its speaker: '"Why now?" Reyes asked')."""
    if not text[s:e].rstrip().endswith("."):
        return False
    return text[e:e + 4].lstrip("\"”»' \t")[:1].isupper()


def overlaps_direct(quotes, cs, ce) -> bool:
    total = max(1, ce - cs)
    inside = sum(max(0, min(ce, e) - max(cs, s)) for s, e in quotes)
    return inside > 0.3 * total


def indirect_content(p: Para, v) -> tuple[int, int] | None:
    aside = as_aside_content(p, v)
    if aside is not None:
        return aside
    inverted = inverted_aside(p, v)
    if inverted is not None:
        _, first, last = inverted
        return content_span(p, first.idx, last.idx + len(last.text), question=False)
    comp = None
    for c in v.children:
        if c.dep_ == "ccomp" and c.i > v.i:
            comp = c
            break
    if comp is None:
        comp = _stray_that_clause(v)
    if comp is None:
        for c in v.children:
            if c.dep_ == "ccomp" and c.i < v.i:
                comp = c
                break
    if comp is None and v.lemma_ == "deny" and not _denies_a_claim(v):
        return None
    if comp is not None and v.lemma_ in CCOMP_ONLY and _about_oneself(comp):
        return None  # "found himself embroiled in the row": how the subject fared, not a thing said
    if comp is None and ((v.lemma_, None) in OBJECT_VERBS or v.lemma_ == "rule"):
        for c in v.children:
            if c.dep_ in ("dobj",) and c.i > v.i:
                # "rules out X before Y": the object and what follows it in the verb's phrase, up to a
                # participle of saying of its own ("denied the claim, explaining that ...": a second report)
                said = [a for a in v.children if a.dep_ == "advcl" and a.i > c.i and a.tag_ == "VBG" and
                        a.lemma_ in SPEECH_VERBS]
                end = v.doc[said[0].left_edge.i - 1] if said else v.right_edge
                while end.i > c.i and (end.dep_ == "cc" or end.text in _DANGLING):
                    end = v.doc[end.i - 1]
                return content_span(p, c.left_edge.idx, end.idx + len(end.text))
    if comp is None and v.lemma_ in ("urge", "tell") and not any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children):
        # "urged the council to reopen the pier", "told staff to stay home": the appeal or the instruction
        # is what was said
        todo = next((c for c in v.children if c.dep_ == "xcomp" and c.i > v.i and
                     any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if todo is not None:
            first = min([c.left_edge for c in v.children if c.dep_ == "dobj" and v.i < c.i < todo.i] + [todo.left_edge],
                        key=lambda t: t.i)
            return content_span(p, first.idx, todo.right_edge.idx + len(todo.right_edge.text), question=False)
    named = naming_complement(v) if comp is None else None
    if named is not None and hypothetical(v):
        return None
    if named is not None:
        # 'X called the plan "reckless"', 'X described her as a hero': X's words are what it was called
        quoted = in_quote(p, named.idx) or in_quote(p, named.right_edge.idx)
        end = named.right_edge.idx + len(named.right_edge.text)
        said = content_span(p, named.left_edge.idx, end, question=False, min_words=1 if quoted else 3)
        obj = next(c for c in v.children if c.dep_ == "dobj" and c.i > v.i)
        if said is None or v.lemma_ != "call" or obj.i > named.i:
            return said
        # 'called the long lines "unacceptable"': the thing called and what it was called are one claim
        return content_span(p, obj.left_edge.idx, end, question=False, min_words=1)
    if comp is None and v.dep_ in ("parataxis", "ccomp") and v.head.i < v.i and v.lemma_ not in CCOMP_ONLY:
        h = v.head
        if h.left_edge.i < v.left_edge.i:
            # only the clause before the attribution
            return content_span(p, h.left_edge.idx, v.left_edge.idx)
        return None
    if comp is None and v.dep_ in ("parataxis", "ccomp") and v.head.i > v.i and v.lemma_ not in CCOMP_ONLY:
        # "Otherwise, she said, rates will rise": the attribution interrupts the clause it reports,
        # which goes on after it
        h, end, doc = v.head, v.right_edge, v.doc
        while end.is_space and end.i > v.i:
            end = doc[end.i - 1]  # ('she said,  "is ...': the blank a block's '' leaves is no word)
        if end.text != "," and end.i + 1 < len(doc) and doc[end.i + 1].text == ",":
            end = doc[end.i + 1]
        subj = next((c for c in v.children if c.dep_ == "nsubj" and c.i < v.i), v)
        lead = subj.left_edge.i  # where the speaker's phrase starts: after a comma when words of the clause precede it
        after_words = lead > p.sent_bounds[v.i][0] and doc[lead - 1].text in (",", "—", "–")
        set_off = (v.left_edge.i > h.left_edge.i or after_words) and end.text == ","
        if set_off and end.i + 1 < len(doc) and h.right_edge.i > end.i:
            last = h.right_edge
            rest = content_span(p, v.doc[end.i + 1].idx, last.idx + len(last.text))
            after = p.text[v.doc[end.i + 1].idx:last.idx + len(last.text)]
            if rest is None and h.left_edge.i < v.left_edge.i and len(words(after)) >= 2:
                # "The plan, she said, never worked": too few words after the attribution to stand
                # alone, so the whole clause is the report, the attribution inside it
                return content_span(p, h.left_edge.idx, last.idx + len(last.text))
            return rest
        return _opening_attribution(p, v, h, end)
    if comp is None and v.lemma_ == "say":
        for c in v.children:
            if c.dep_ == "xcomp" and c.i > v.i and c.tag_ == "VBG" and size(c) >= 4:
                comp = c  # "said having X back was a boost"
                break
    if comp is None:
        return None
    end = report_end(comp) if comp.i > v.i else comp.right_edge
    cs, ce = comp.left_edge.idx, end.idx + len(end.text)
    lost = _lost_subject(v, comp)
    if lost is not None:
        cs = lost.left_edge.idx
    if comp.i > v.i:
        more = second_complement(v, comp)
        if more is not None:
            ce = more.right_edge.idx + len(more.right_edge.text)
    if comp.i > v.i and cs < v.idx:
        cs = v.idx + len(v.text)  # "policies which he said had failed": the antecedent is not what was said
    if comp.i < v.i:
        # "CLAUSE, economist X argues": everything up to the speaker's phrase
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > comp.i]
        stop = min([c.left_edge.idx for c in subjects] + [v.idx])
        first_subj = min([c.i for c in subjects] + [v.i])
        commas = [t for t in v.doc[comp.i:first_subj] if t.text in (",", "—", "–")]
        if commas:
            stop = commas[-1].idx
        if stop > cs:
            ce = stop
    return content_span(p, cs, ce, question=is_question(comp, cs))


_OPENING_ADJUNCTS = {"prep", "advmod", "npadvmod", "punct"}


def _opening_attribution(p: Para, v, h, end) -> tuple[int, int] | None:
    """'Reyes concedes on reflection, the locks were too slow': an attribution that opens its sentence (after at
    most a conjunction) and ends at a comma reports the clause after the comma, though the parser made the
    verb part of that clause."""
    doc, start = v.doc, p.sent_bounds[v.i][0]
    if doc[start].dep_ == "cc" and doc[start].head is not v:
        start += 1  # ("But Reyes admits ...", however the parser hung the "But")
    if v.left_edge.i != start or end.text != "," or end.i + 1 >= len(doc) or h.right_edge.i <= end.i:
        return None
    subj = next((c for c in v.children if c.dep_ == "nsubj" and c.i < v.i), None)
    if subj is None or not (subj.pos_ == "PROPN" or subj.lower_ in PERSON_PRONOUNS):
        return None  # (a named speaker or he/she: "their analysis did not mention ..." is no attribution)
    if any(c.dep_ not in _OPENING_ADJUNCTS for c in v.children if c.i > v.i and c.i < end.i):
        return None  # (only when or how it was said between the verb and the comma, nothing said)
    if any(c.dep_ in ("neg", "aux", "auxpass") for c in v.children) or \
            not any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i > end.i for c in h.children):
        return None  # (the clause after the comma has a subject of its own)
    last = h.right_edge
    return content_span(p, doc[end.i + 1].idx, last.idx + len(last.text))

def can_speak(t) -> bool:
    """A name, a person's pronoun, or a noun for people or an organisation ("officials", "the campaign")."""
    lemma = t.lemma_.lower()
    return t.pos_ == "PROPN" or t.lower_ in PERSON_PRONOUNS or t.lower_ in PLURAL_PRONOUNS or \
        lemma in ROLE_WORDS or lemma in ORG_NOUNS or lemma in PERSON_NOUNS or lemma in PARTY_NOUNS


def inverted_aside(p: Para, v):
    """'The plan, said Dana Moss, will fail', 'And the mayor, said Ortiz, who knows her, never forgets':
    an inverted attribution set between commas inside the clause it reports. The parser makes the
    words before it the verb's subject; the one named right after the verb speaks, and the whole
    clause, the aside inside it, is what was said. Returns (speaker token, first and last token of
    the clause), or None."""
    doc = v.doc
    if v.i < 2 or doc[v.i - 1].text != "," or any(c.dep_ in ("aux", "auxpass", "neg") for c in v.children):
        return None
    lead = next((c for c in v.children if c.dep_ == "nsubj" and c.i < v.i), None)
    if lead is None or lead.right_edge.i not in (v.i - 2, v.i - 1) or in_quote(p, lead.idx):
        return None
    if any(t.dep_ != "cc" for t in doc[p.sent_bounds[v.i][0]:lead.left_edge.i]):
        return None  # (the subject opens the clause, after an "And" at most)
    comp = next((c for c in v.children if c.dep_ == "ccomp" and c.i > v.i), None)
    if comp is None and v.dep_ == "parataxis" and v.head.i > v.i:
        comp = v.head  # (the parser may hang the attribution on the clause's verb instead)
    if comp is None:
        return None
    speaker = next((c for c in v.children if c.dep_ == "nsubj" and c.i > v.i), None) or \
        next((c for c in comp.children if c.dep_ == "nsubj" and comp.dep_ == "ccomp"), None)
    if speaker is None or speaker.left_edge.i != v.i + 1 or not can_speak(speaker):
        return None  # ("aides said their speeches, already long, would change": a thing is no speaker)
    close = speaker.right_edge.i if speaker.right_edge.text == "," else speaker.right_edge.i + 1
    if close >= len(doc) or doc[close].text != "," or comp.right_edge.i <= close + 1:
        return None  # (the clause must go on after the speaker's phrase)
    return speaker, lead.left_edge, comp.right_edge


_DANGLING = (",", ";", "—", "–", "-", "--")
# Modals that make a naming verb a conjecture ("would call the plan a disgrace"), not something said.
HYPOTHETICAL_MODALS = ("would", "could", "might")
NAMING_VERBS = ("call", "describe")


def report_end(comp):
    """The last word of what a clause after a verb of saying reports: never a conjunction left dangling at
    its end ("said the ferry was late but implied ..."), nor a verb of saying the parser coordinated with the
    clause that has no subject of its own ("says the goal is X, but conceded that Y": Y is a second report
    by the same speaker: attribution._shared_subject gives it the speaker), nor another speaker's clause
    ("..., while Reyes said that ...")."""
    doc = comp.doc
    end = comp.right_edge
    stops = [c for c in (coordinated_report(comp), _another_speakers_clause(comp)) if c is not None]
    if stops:
        # (before the verb's own words: "..., and have been calling for ...", "..., while Reyes said ...")
        end = doc[min(c.left_edge.i for c in stops) - 1]
    while end.i > comp.i and (end.dep_ == "cc" or end.text in _DANGLING):
        end = doc[end.i - 1]
    return end


# Conjunctions that set one speaker's words against another's ("X suggested A, while Y said B").
CONTRAST_MARKS = ("while", "whereas", "although", "though")


def _another_speakers_clause(comp):
    """'Moss suggested that A, while Reyes said that B': a clause the parser hung on the report whose verb of
    saying has a subject of its own is another speaker's report, not part of this one (None when there is
    none)."""
    for c in comp.children:
        subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
        if c.i < comp.i or c.lemma_ not in SPEECH_VERBS or subj is None or subj.lower_ in PERSON_PRONOUNS or \
                any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            continue  # ("said A but he feels B", "said that A and that she thinks B": one report)
        if c.dep_ == "conj" or c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONTRAST_MARKS
                                                         for m in c.children):
            return c
    return None


def coordinated_report(comp):
    """The verb of saying without a subject of its own that the parser coordinated with a reported clause
    whose subject is a thing ("says the goal is X, but conceded that Y"), or None."""
    if any(c.dep_ in ("nsubj", "nsubjpass") and can_speak(c) for c in comp.children):
        return None  # ("said Moss was wrong and warned ...": Moss may be the one who warned)
    return next((c for c in comp.children if c.dep_ == "conj" and c.i > comp.i and c.lemma_ in SPEECH_VERBS and
                 not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)), None)


def as_aside_content(p: Para, v) -> tuple[int, int] | None:
    """'As a Gazette reporter noted, the hall was half empty', '..., as the study found': an aside of
    "as" with a verb of saying and nothing said of its own reports the clause it is set in."""
    if v.dep_ != "advcl" or v.head is v or not any(c.dep_ == "mark" and c.lower_ == "as" and c.i < v.i for c in v.children):
        return None
    if any(c.dep_ in ("ccomp", "xcomp", "dative") or c.dep_ == "dobj" and c.lower_ != "it" for c in v.children):
        return None  # ("as he said goodbye", "as she told reporters that ...": not an aside about the clause)
    if v.lemma_ not in ASIDE_VERBS or not any(c.dep_ == "nsubj" for c in v.children):
        return None  # ("as predicted by critics, X won": whose words the clause is stays unsaid)
    h, doc = v.head, v.doc
    first, last = v.left_edge, v.right_edge
    if last.i + 1 < len(doc) and doc[last.i + 1].text == "," and last.i < h.i:
        # the aside before its clause: the clause runs from after the comma to the clause's end, or, when
        # the clause began before the aside ("The fees, as X noted, were never approved"), all of it
        end = h.right_edge
        subject_before = any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i < first.i for c in h.children)
        start = h.left_edge.i if subject_before else last.i + 2  # (not "Still, as X noted, ...": an adverb)
        return content_span(p, doc[start].idx, end.idx + len(end.text), question=False) if start <= end.i else None
    if first.i > h.i and first.i > 0 and doc[first.i - 1].text == ",":
        # "..., as the study put it": the clause before the aside
        return content_span(p, h.left_edge.idx, doc[first.i - 1].idx, question=False)
    return None


def _stray_that_clause(v):
    """'X said late on Thursday during a phone call that he would stay', 'X told the Gazette's "Harbour Week" show
    that he was not rude': the parser hung the "that" clause on the last noun of a phrase of the verb (of the
    one told, for verbs of telling); a clause whose "that" is a conjunction, not its subject or object, and
    that has a subject of its own is what was said."""
    for part in v.children:
        if part.i < v.i or part.right_edge.i - part.i > STRAY_CLAUSE_REACH:
            continue  # (a phrase that long is no "during a phone call"; it also keeps the walk short)
        told = part.dep_ == "dobj" and v.lemma_ in TELLING_VERBS
        if not (told or part.dep_ == "prep" and part.lower_ not in ("as", "like")):
            continue  # ("described it as a buzz that voters reject": a relative clause after all)
        # a noun's "that" clause counts after a preposition of where or how it was said ("says in a statement
        # that ..."), not after one of what it answers ("responded to reports that ...", "over allegations that")
        hung = ("relcl", "acl") if told or part.lower_ in MEDIUM_PREPS else ("relcl",)
        for t in part.subtree:
            if t.dep_ in hung and any(c.dep_ == "mark" and c.lower_ == "that" and c.i < t.i for c in t.children) \
                    and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
                return t
    return None


def _lost_subject(v, comp):
    """'Pilots said pay for the coming season would be lower': the parser made the clause's subject
    the object of "said", leaving a clause without one; that object opens the report."""
    if comp.i < v.i or v.lemma_ not in LOST_SUBJECT_VERBS:
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "mark") for c in comp.children):
        return None
    obj = next((c for c in v.children if c.dep_ == "dobj" and v.i < c.i < comp.i), None)
    if obj is None or obj.lower_ in PERSON_PRONOUNS:
        return None
    # between them only a phrase the parser hung on the verb ("pay for the coming season would ...")
    hung = {t.i for c in v.children if c.dep_ == "prep" and obj.i < c.i < comp.i for t in c.subtree}
    if any(i not in hung for i in range(obj.right_edge.i + 1, comp.left_edge.i)):
        return None
    return obj


def _about_oneself(comp) -> bool:
    """Is the complement a small clause about the subject itself ("himself embroiled", "itself playing host")?"""
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in REFLEXIVE_PRONOUNS for c in comp.children)


def _denies_a_claim(v) -> bool:
    """'X denied the report', 'denied any wrongdoing': a claim disputed, so something said. Not a thing
    withheld from someone ('denied the visitors a goal', 'denied Reyes the nomination': a person or two
    objects) nor a request refused ('denied the permit')."""
    objs = [c for c in v.children if c.dep_ in ("dobj", "dative") and c.i > v.i]
    if len(objs) != 1:
        return len(objs) == 0
    obj = objs[0]
    return obj.pos_ != "PROPN" and not obj.text[:1].isupper() and obj.lemma_.lower() not in REFUSED_NOUNS and \
        obj.lower_ not in PERSON_PRONOUNS  # (a capitalised noun is a name the tagger missed: "denied the Flames")


def second_complement(v, comp):
    """'said that A, but that B': a clause coordinated with the verb's complement that opens with
    "that" of its own, or that the parser made a second complement after "and", is said too."""
    for c in v.children:
        if c.dep_ == "conj" and c.i > comp.i and any(g.dep_ == "mark" and g.lower_ == "that" and g.i < c.i for g in c.children):
            return c
        if c.dep_ == "ccomp" and c.i > comp.i and c.left_edge.i > 0 and v.doc[c.left_edge.i - 1].dep_ == "cc" and \
                v.doc[c.left_edge.i - 1].head.i == comp.i and c.lemma_ not in SPEECH_VERBS:
            # "adding that more counts may follow and seeking X is an option": two clauses said (not
            # "..., and Y said ...": an attribution of its own)
            return c
    return None


def naming_complement(v):
    """What an active "call" or "describe" names its object as ('called the plan "reckless"',
    'described her as a hero'), or None ("called for an inquiry", "called reporters in")."""
    if v.lemma_ not in NAMING_VERBS or any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children):
        return None
    if not any(c.dep_ == "dobj" and c.i > v.i for c in v.children):
        return None
    for c in v.children:
        if c.i <= v.i:
            continue
        if v.lemma_ == "call" and c.dep_ == "oprd":
            return c
        if v.lemma_ == "describe" and c.dep_ == "prep" and c.lower_ == "as":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def is_question(comp, cs: int) -> bool:
    """Is the clause headed by `comp` (starting at cs) a reported question ("asked whether it would
    close")? Not when its first word, a wh-word, "if" or "whether", opens a clause inside it:
    "said when the plant closes, jobs go" and "said if it rains, games move" report statements."""
    first = next((t for t in comp.subtree if t.idx >= cs and not t.is_punct and not t.is_space), None)
    if first is None or not WH_CLAUSE_RE.fullmatch(first.lower_):
        return False
    return first.head.dep_ != "advcl"


def after_parenthetical(p: Para, v) -> tuple[int, int] | None:
    """'..., he said, but one clerk ran to the car park.': the report goes on after the attribution."""
    if v.dep_ != "parataxis" or v.head.i > v.i:
        return None
    end = v.right_edge
    s0, s1 = p.sent_bounds[v.i]
    start = end.i + 1 if end.text == "," else end.i + 2
    if start >= s1 - 3 or p.doc[start - 1].text != ",":
        return None
    last = p.doc[s1 - 1]
    return content_span(p, p.doc[start].idx, last.idx + len(last.text))


def according_content(p: Para, t, pobj) -> tuple[int, int] | None:
    doc = p.doc
    s0, s1 = p.sent_bounds[t.i]
    # the longer side of the sentence around the "according to" phrase
    acc_start = t.idx
    acc_end = t.right_edge.idx + len(t.right_edge.text)
    left = (doc[s0].idx, acc_start)
    right = (acc_end, doc[s1 - 1].idx + len(doc[s1 - 1].text))
    cs, ce = right if (right[1] - right[0]) >= (left[1] - left[0]) else left
    return content_span(p, cs, ce, question=False)  # "according to" gives a statement, even one opening with "if"
