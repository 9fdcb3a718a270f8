"""The unit every step works on: one body block with its quotation spans and parse, and small
helpers over its text and tokens."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import ABBREV_RE, SMALL_TITLE_WORDS, WH_CLAUSE_RE

DQ_OPEN = "“«„"
DQ_CLOSE = "”»"
DQ = DQ_OPEN + DQ_CLOSE + '"'
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass
class DirectQuote:
    """A quoted stretch kept as a quote: inner span [s, e) and trimmed [ts, te), block-relative."""

    s: int
    e: int
    ts: int
    te: int
    continued: bool = False  # the first stretch of a paragraph that goes on with the previous one's open quote


@dataclass
class Para:
    """One body block: its text, offset in the article and (optional) parse."""

    index: int
    kind: str
    start: int
    text: str
    doc: object = None
    quotes: list[tuple[int, int]] = field(default_factory=list)  # quoted stretches, block-relative inner spans
    open_end: bool = False  # the last quote runs to the end of the paragraph without a closer
    qstarts: list[int] = field(default_factory=list)
    tok_idx: list[int] = field(default_factory=list)
    sent_bounds: list[tuple[int, int]] = field(default_factory=list)  # token -> (sentence start, end)
    intro: int | None = None  # a bullet: the block index of the intro line ("X lists several options:") above it
    reported: bool = True  # False for headings and "READ MORE: ..." links: never reported speech
    direct: list[DirectQuote] = field(default_factory=list)  # the stretches that are quotes (no scare quotes)
    may_sign: bool = False  # a short line that closes a pull quote: maybe its signature ('Dana Moss, Bayview Trust."')


def in_quote(p: Para, pos: int) -> bool:
    """Is block-relative `pos` inside a direct quote (its marks included)?"""
    k = bisect.bisect_right(p.qstarts, pos + 1) - 1
    return k >= 0 and p.quotes[k][0] - 1 <= pos < p.quotes[k][1] + 1


def norm(s: str) -> str:
    return s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def words(s: str) -> list[str]:
    return _WORD_RE.findall(s)


def dtext(doc) -> str:
    """doc.text, built once per Doc (spaCy joins every token on each access)."""
    text = doc.user_data.get("briefs_text")
    if text is None:
        text = doc.user_data["briefs_text"] = doc.text
    return text


def size(tok) -> int:
    """Number of tokens in tok's subtree, from its edges (no walk)."""
    return tok.right_edge.i - tok.left_edge.i + 1


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "…"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:–—-"):
        e -= 1
    return s, e


def mask_abbrev(text: str) -> str:
    """The same text (same length) with the periods of titles and initials masked ('Dr.' -> 'Dr_')."""
    return ABBREV_RE.sub(lambda m: m.group(0)[:-1] + "_", text)


DANGLING_CONJUNCTIONS = {"and", "or", "but"}


def content_span(p: Para, cs: int, ce: int, question: bool | None = None, min_words: int = 3) -> tuple[int, int] | None:
    """What was said at [cs, ce), trimmed of marks and a leading "that"; None for questions and scraps.
    `question`: whether the clause is a reported question, when the caller knows it from the parse;
    otherwise a clause opening with a wh-word, "if" or "whether" is taken for one."""
    text = p.text
    if question if question is not None else WH_CLAUSE_RE.match(text[cs:ce].lstrip()):
        return None
    cs, ce = trim(text, cs, ce)
    while ce > cs and text[ce - 1] in ".,;:!?\"“”'’ ":
        ce -= 1
    head, _, last = text[cs:ce].rpartition(" ")
    if last in DANGLING_CONJUNCTIONS and head and not in_quote(p, cs + len(head) + 1):
        ce = cs + len(head.rstrip(",; "))  # "he is not backing anyone, and": the parse cut the second clause off
    while cs < ce and text[cs] in "\"“”,' ":
        cs += 1
    m = re.match(r"that\s+", text[cs:ce])
    if m:
        cs += m.end()
    if len(words(text[cs:min(ce, cs + 200)])) < min_words:
        return None
    return cs, ce


def title_case_sentence(t) -> bool:
    """Is token t in a sentence written in title case ("FULL SPEECH: President Obama Speech at ...")?
    Headlines and captions name people without saying anything about who speaks."""
    sent = t.sent
    known = t.doc.user_data.setdefault("briefs_title_case", {})
    if sent.start not in known:
        content = [w for w in sent if w.is_alpha and w.lower_ not in SMALL_TITLE_WORDS]
        lower = [w for w in content if not w.text[:1].isupper()]
        known[sent.start] = len(content) >= 5 and len(lower) <= 1 and not any(w.pos_ in ("VERB", "AUX") for w in lower)
    return known[sent.start]
