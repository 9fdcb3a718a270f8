"""Plain-text titles: tell a headline from a one-sentence lede, a byline or a photo caption.

A plain-text article may start with its headline, or straight with its lede. Headlines are written
in title case, or in sentence case without the auxiliaries a lede sentence uses ("was", "have",
"didn't": headlines drop them), and are short; a "headline; deck" pair ends its first line with ";".
Bylines ("Jane Roe, The Associated Press"), datelines ("OTTAWA —") and captions ending in a photo
credit ("(Jane Roe/CBC)") are not headlines.
"""
from __future__ import annotations

import re

SMALL_WORDS = {
    "a", "an", "and", "as", "at", "be", "but", "by", "for", "from", "in", "into", "is", "of", "on",
    "or", "the", "to", "vs", "via", "with", "will", "has", "no", "its", "over", "after", "up",
}
HEADLINE_MAX_WORDS = 20  # news headlines run 5-15 words; a longer first line is a lede sentence
PAST_LEDE_MIN_WORDS = 10  # "Ruiz stayed on - and paid for it": short past-tense headlines exist
_NOT_PAST = {"speed", "indeed", "hundred", "proceed", "succeed", "exceed", "breed", "sacred", "naked", "wicked", "embed"}
# What a lede sentence uses and a headline drops: past-tense auxiliaries, negated auxiliaries, the
# perfect ("has already proven") and the passive ("are determined"). Headlines keep the present.
_LEDE_WORDS_RE = re.compile(
    r"\b(?:was|were|did|been|(?:was|were|did|does|has|have|had|could|would|is|are)n['’]t)\b|"
    r"\b(?:has|have|had|is|are)\s+(?:\w+\s+)?\w+(?:ed|en|wn|ne)\b", re.I)
# A sentence break inside the line: a second sentence is body text ("U.S. to" and "Rep. Welch" are not breaks).
_SENTENCE_BREAK_RE = re.compile(r"(?<!\bRep)(?<!\bSen)(?<!\bGov)(?<!\bGen)(?<!\bMrs)(?<!\bMr)(?<!\bMs)(?<!\bDr)"
                                r"(?<!\bSt)(?<!\bJr)(?<!\bvs)\b[a-z]{2,}[.!?]\s+[A-Z]")
_CREDIT_RE = re.compile(r"\([^()]*/[^()]*\)\s*\.?$")  # a photo credit: "(Steve Rowe/CBC)"
# "OTTAWA —", "OTTAWA (CP) -", "PASADENA, Calif., Jan. 1 (UPI) —"
_DATELINE_RE = re.compile(r"^[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?){0,2}\s*(?:\([\w. ]+\)\s*)?\s[—–-]+\s")
_BYLINE_ROLE_RE = re.compile(
    r"\b(?:Press|News|Staff|Times|Post|Reuters|Bloomberg|Journal|Herald|Tribune|Wire|producer|reporter|"
    r"correspondent|writer|editor|contributor|columnist)\b")
# The first words of an outlet's byline line ("CTV Vancouver", "CBC News"): broadcasters of the dev outlets
# and the wire services.
_OUTLET_WORDS = {"cbc", "ctv", "ctvnews.ca", "global", "reuters", "ap", "afp", "cp", "bloomberg"}


def looks_like_title(line: str) -> bool:
    """Short, no final period, and most words that are not small words capitalised."""
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    if not words or len(line) > 150 or line.rstrip()[-1:] in ".,;":
        return False
    big = [w for w in words[1:] if w.lower() not in SMALL_WORDS]
    if not big:
        return words[0][0].isupper() and len(words) >= 2
    return words[0][0].isupper() and sum(w[0].isupper() for w in big) / len(big) >= 0.75


def is_byline(line: str) -> bool:
    """'Jane Roe, The Associated Press', 'Jane Roe and John Doe, The Canadian Press', 'By Jane Roe', 'CTV Vancouver'."""
    words = line.split()
    if not words or len(words) > 10:
        return False
    if re.match(r"By\s+[A-Z]", line):
        return True
    if len(words) <= 3 and words[0].lower() in _OUTLET_WORDS:
        return True
    names, comma, rest = line.partition(",")
    return bool(comma) and all(w[:1].isupper() or w in ("and", "&") for w in names.split()) \
        and bool(_BYLINE_ROLE_RE.search(rest))


def is_headline(line: str) -> bool:
    """Is the first line of a plain-text article its headline (followed by the body)?"""
    line = line.strip()
    if not line or len(line) > 200 or is_byline(line) or _CREDIT_RE.search(line) or _DATELINE_RE.match(line):
        return False
    if line.endswith(":"):
        return False  # "From Jane Roe, writing at The Daily Star:" introduces what follows
    if looks_like_title(line) or line.endswith(";"):
        return True  # title case, or "Headline; " with its deck on the next line
    if line[-1] in ".!" and looks_like_title(line[:-1]):
        return True  # title case ending in a full stop
    head, colon, _ = line.partition(": ")
    if colon and 1 <= len(head.split()) <= 4 and head[:1].isupper():
        return True  # "Sanders: Brexit's message could draw Trump support"
    words = re.findall(r"[^\W_][\w'’-]*", line)
    return 2 <= len(words) <= HEADLINE_MAX_WORDS and not _SENTENCE_BREAK_RE.search(line) \
        and not _LEDE_WORDS_RE.search(line) and not _past_tense_sentence(words)


def _past_tense_sentence(words: list[str]) -> bool:
    """'Ana Ruiz unveiled a plan on Monday to close the branch library': headlines keep the present tense
    and drop articles; a longer line with both a simple past and an article is the story's first sentence."""
    return len(words) >= PAST_LEDE_MIN_WORDS and any(w in ("the", "a", "an") for w in words[1:]) and \
        any(len(w) >= 5 and w.endswith("ed") and w.islower() and w not in _NOT_PAST for w in words)
