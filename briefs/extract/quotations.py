"""Step 1, quotation spans: the article's body blocks and, in each, the stretches in quotation marks
that are quotes (scare quotes, short fragments and titles are not)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Article
from .cues import has_frame
from .lexicon import (HEADLINE_LABELS, HEADLINE_OPENERS, HEADLINE_PHRASE_WORDS, HEADLINE_SAYING_VERBS, SKIP_PARA_RE,
                      SMALL_TITLE_WORDS, SPEECH_RE)
from .paragraph import DQ, DQ_CLOSE, DQ_OPEN, DirectQuote, Para, trim, words
from .settings import PARAMS


def find_quotations(article: Article, headline: bool = False) -> list[Para]:
    """The body blocks in order, each with its quoted stretches and the ones that are quotes; with
    `headline`, the headline last, read as a sentence of its own."""
    text = article.text
    paras: list[Para] = []
    intro = _intro_of_blocks(article)
    for i, b in enumerate(article.blocks):
        if b.kind in ("title", "stamp") or b.end <= b.start:
            continue
        paras.append(Para(index=i, kind=b.kind, start=b.start, text=double_apostrophes(text[b.start:b.end]),
                          intro=intro[i]))
    head = _headline_para(article) if headline else None
    if head is not None:
        paras.append(head)  # read last: its names must not steer the body's he/she or floating quotes
    continuing = False
    for p in paras:
        p.quotes, p.open_end = find_quote_spans(p.text, continuing and p.kind == "paragraph")
        continuing = p.open_end
        p.qstarts = [q[0] for q in p.quotes]
    prev_open, prev = False, None
    for p in paras:
        # headings, "READ MORE: ..." links and bullets are not reported speech in marks
        p.reported = not (p.kind == "heading" or SKIP_PARA_RE.match(p.text.lstrip()[:40]))
        if not p.reported or p.kind == "bullet":
            prev_open = False
            continue
        p.may_sign = prev_open and _stands_alone(prev) and bool(_SIGNATURE_RE.match(p.text))
        p.direct = _quotes_kept(p, prev_open)
        prev_open, prev = p.open_end and bool(p.direct), p
    return paras


def _quotes_kept(p: Para, prev_open: bool) -> list[DirectQuote]:
    """The stretches of `p` that are quotes: not empty, not scare quotes unless an attribution follows."""
    kept = []
    for k, (s, e) in enumerate(p.quotes):
        ts, te = trim(p.text, s, e)
        if te <= ts:
            continue
        continued = k == 0 and prev_open
        if not continued and is_named_title(p.text, s, e):
            continue  # 'he said on Channel 9's "Harbour Week," ...': the show, not his words
        if not continued and is_scare_quote(p.text[s:e]) and not said_in_full(p.text, s, e):
            if not is_short_fragment(p.text[s:e]):
                continue
            if not has_frame(p, e):
                continue  # 'signs reading "Quebec please separate," lined the road'
        kept.append(DirectQuote(s, e, ts, te, continued))
    return kept


# 'Dana Moss, Bayview Harbour Trust."', 'Former mayor Tom Reyes."': a short line from a capital letter to the closing mark
# (attribution.sign_pull_quotes reads its parse: a person's name, a role, no verb)
_SIGNATURE_RE = re.compile(r"^\s*[A-Z][^\"“”:;!?]{3,100}[\"”]\s*$")


def _stands_alone(p: Para) -> bool:
    """Is the block one open quote and nothing else, as a pull quote is set (not '"We waited," said X. "The')?"""
    return p.open_end and len(p.quotes) == 1 and not p.text[:p.quotes[0][0] - 1].strip()


# 'Graham: Reyes's plan would sink the port', 'Poll: Reyes leads in Bayview', 'Harbour Chief On Fees: "We ...",
# 'EXCLUSIVE - Dana Moss: ...': the source, what the headline is about ("On Fees", in title case; never "Moss on trial:", "Moss at 80:"), a colon
_HEADLINE_RE = re.compile(r"^(?:EXCLUSIVE\s*[–—-]\s*)?(?P<src>[A-Z][^:;,!?.\"“”]{0,40}?)"
                          r"(?:\s+On\s+[A-Z][^:;\"“”]{0,29})?:\s+(?P<said>\S.*)$")
# 'Harbour Chief Dana Moss Says Pier Will Close Before The Storms': a source in capitals, a capitalised verb of
# saying, and what was said, also capitalised (the whole headline in title case)
_TITLE_CASE_SAYS_RE = re.compile(r"^(?P<src>(?:[A-Z][\w.'’-]*\s+){1,5}?)(?:" + "|".join(HEADLINE_SAYING_VERBS) +
                                 r")\s+(?P<said>[A-Z‘'\"“].*)$")
HEADLINE_BLOCK = -1  # the index of the headline's Para: the headline is no body block
HEADLINE_SOURCE_MAX_WORDS = 4  # "McCain Challenger Dana Moss"; longer, it is a phrase ("Moss Endorses Tom Reyes")
HEADLINE_ACRONYM_MAX = 5  # letters of a source in capitals ("AP", "WSJ"); a longer word in capitals is a shout


@dataclass
class Headline:
    """'Source: what the source says' in a headline: the source as written and the article span of what it says."""

    source: str
    text: str
    start: int
    end: int


def headline_claim(article: Article) -> Headline | None:
    """A headline of a source, a colon and what it says ('Graham: Reyes's plan would sink the port'), or in
    title case of a source and a verb of saying ('Harbour Chief Says Pier Will Close'), reports the source's
    words: the source is a name or a few words naming one, never a label ('Breaking:', 'The Latest:') or a
    phrase with a verb in it ('Bill is back:')."""
    at = article.text.find(article.title) if article.title else -1
    if at < 0:
        return None
    text = article.title
    m = _HEADLINE_RE.match(text) or _TITLE_CASE_SAYS_RE.match(text)
    if m is None or not _names_a_source(m.group("src").strip()):
        return None
    s, e = trim(text, m.start("said"), len(text.rstrip(". ")))
    return Headline(m.group("src").strip(), text[s:e], at + s, at + e) if e > s else None


def _headline_para(article: Article) -> Para | None:
    """The headline read as a sentence of its own ('Reyes says pier will close before the storms' reports
    Reyes's words), unless it is 'Source: words' (headline_claim)."""
    at = article.text.find(article.title) if article.title else -1
    if at < 0 or headline_claim(article) is not None:
        return None
    return Para(index=HEADLINE_BLOCK, kind="paragraph", start=at, text=double_apostrophes(article.title))


def _names_a_source(src: str) -> bool:
    """Do the words before a headline's colon name who speaks ('Graham', 'NY Post', 'Poll', 'Clinton camp'),
    not a label ('Breaking', 'BUSTED', 'The Latest') or a phrase ('Reyes is back')?"""
    found = src.split()
    if not 1 <= len(found) <= HEADLINE_SOURCE_MAX_WORDS or found[0].lower() in HEADLINE_OPENERS:
        return False
    if any(re.sub(r"['’]s$", "", w.lower()) in HEADLINE_LABELS | HEADLINE_PHRASE_WORDS for w in found):
        return False
    return not any(w.isupper() and len(w) > HEADLINE_ACRONYM_MAX for w in found)  # a shout, not "AP", "NY"


def _intro_of_blocks(article: Article) -> list[int | None]:
    """For each block, the intro block ("X lists several options:") whose bullets it is among."""
    intro_of_block, last = [], None
    for block in article.blocks:
        intro_of_block.append(last)
        if block.kind == "intro":
            last = len(intro_of_block) - 1
        elif block.kind != "bullet":
            last = None
    return intro_of_block


# Two apostrophes as a double quotation mark (''We will,'' she said): the style of some wire and archive
# text. Same length: the opener becomes ' "', the closer '" ', so every offset stays the article's.
_OPEN_2APOS = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))''(?='?[^\s'])")  # also before a nested single quote
_CLOSE_2APOS = re.compile(r"(?<=[^\s'])('?)''(?=[\s.,;:!?)\]—–-]|$)")  # a nested single quote closes first


def double_apostrophes(text: str) -> str:
    if "''" not in text or '"' in text or "“" in text:
        return text  # a block that has real double quotation marks keeps its apostrophes
    return _CLOSE_2APOS.sub(r'\1" ', _OPEN_2APOS.sub(' "', text))


def find_quote_spans(text: str, continuing: bool = False) -> tuple[list[tuple[int, int]], bool]:
    """Inner spans of double-quoted stretches in one paragraph, by a linear scan.

    Returns (spans, open_end): open_end is True when the last opener has no closer
    (the quote continues into the next paragraph). Single quotes are never
    boundaries (they are apostrophes or nested quotes). `continuing`: the paragraph
    before ended inside a quote; if this one does not open a new quote and its
    first mark reads as a closer ('...," said X'), it starts inside that quote.
    """
    spans: list[tuple[int, int]] = []
    opened = -1
    n = len(text)
    if continuing:
        lead = text.lstrip()
        first = next((i for i, ch in enumerate(text) if ch in DQ), -1)
        if lead and lead[0] not in DQ and first > 0 and not text[first - 1].isspace() and \
                (first + 1 == n or not text[first + 1].isalnum()):
            opened = 0
    for i, ch in enumerate(text):
        if ch not in DQ:
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if opened < 0:
            if ch in DQ_CLOSE and (nxt.isspace() or i + 1 == n) and not prev.isspace() and i > 0:
                continue  # a stray closer
            opened = i + 1
        else:
            # an opener where a closer was expected: the earlier quote was never closed
            if ch in DQ_OPEN and prev.isspace() and (nxt.isalnum() or nxt in "'‘") and i - opened > 0 and ch != '"':
                spans.append((opened, i))
                opened = i + 1
                continue
            spans.append((opened, i))
            opened = -1
    open_end = False
    if opened >= 0 and opened < n:
        spans.append((opened, n))
        open_end = True
    return spans, open_end


def is_scare_quote(inner: str) -> bool:
    found = words(inner)
    if not found:
        return True
    if len(found) <= PARAMS["scare_max_words"]:
        return True
    if len(found) <= PARAMS["fragment_max_words"] and not re.search(r"[.!?]\s*$", inner):
        return True
    if len(found) <= 10 and not re.search(r"[.!?,]\s*$", inner):
        big = [w for w in found[1:] if w.lower() not in SMALL_TITLE_WORDS]
        if big and sum(w[0].isupper() for w in big) >= 0.75 * len(big):
            return True  # a title in title case ("We Believe: The Best Men Can Be"), not speech
    return False


# a verb of saying, a few words and a comma or a colon right before the opening mark ('she said simply, "')
_SAID_BEFORE = re.compile(r"\b" + SPEECH_RE + r"\b(?:\s+[\w'’.-]+){0,4}?\s*[,:]\s*$")


def said_in_full(text: str, s: int, e: int) -> bool:
    """'told the agency simply, "We lost."', 'said, "Probably."': one or two words that make a sentence of
    their own after a verb of saying and a comma or a colon are what was said, not a scare quote."""
    inner = text[s:e].rstrip(" \"'’”")
    big = [w for w in words(inner) if w.lower() not in SMALL_TITLE_WORDS]
    if len(big) >= 2 and all(w[0].isupper() for w in big):
        return False  # 'she wrote in her memoir, "Tide Tables."': a title
    return inner[-1:] in (".", "!", "?") and bool(_SAID_BEFORE.search(text[max(0, s - 80):max(0, s - 1)]))


# "on", "with", "in", "of" or a possessive right before the opening mark: a show, a book or a paper is named
_BEFORE_TITLE = re.compile(r"(?:\b(?:on|with|in|of|from)|\w['’]s)\s*$")


def is_named_title(text: str, s: int, e: int) -> bool:
    """'Speaking on Channel 9's "Harbour Week," X said ...', 'X said on "Morning Norland."': a few words in title case
    after a preposition or a possessive are the name of a show or a book, whatever follows them."""
    found = words(text[s:e])
    if text[s:e].rstrip(" ,.\"'’”").endswith(("!", "?")):
        return False  # 'to chants of "Ana! Ana!"' is what the crowd shouts
    if not 1 <= len(found) <= 6 or not _BEFORE_TITLE.search(text[max(0, s - 25):max(0, s - 1)]):
        return False
    big = [w for w in found if w.lower() not in SMALL_TITLE_WORDS]
    return bool(big) and all(w[0].isupper() for w in big) and found[0][0].isupper()


def is_short_fragment(inner: str) -> bool:
    """A few words ending in a comma: a quote only if a speaker is named right next to it."""
    return len(words(inner)) <= PARAMS["fragment_max_words"] and inner.rstrip().endswith(",")
