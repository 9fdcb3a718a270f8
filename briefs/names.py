"""Reading a speaker's name as an editor would: titles, honorifics, initials, suffixes, organisations.

`parse_name("President Donald J. Trump")` gives the parts that linking across
articles compares (briefs/linking.py): the name without its title ("Donald J.
Trump"), first name, middle initials, surname, suffix (Jr., Sr., II), the
gender an honorific implies (Mr. / Mrs.), the title ("president"), and a key
(`donald j trump`) under which the same written person is found again.
A description that is not a name ("experts", "an official who asked not to be
named", "the report") parses as `unnamed`: never an identity across articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .store import fold

HONORIFICS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "mx": None, "sir": "m", "dame": "f", "lady": "f",
              "lord": "m", "madam": "f", "madame": "f"}
TITLES = frozenset({
    "president", "vice", "sen", "senator", "rep", "representative", "gov", "governor", "secretary", "minister",
    "premier", "chancellor", "mayor", "dr", "prof", "professor", "judge", "justice", "gen", "general", "col",
    "colonel", "capt", "captain", "lt", "sgt", "adm", "admiral", "ambassador", "speaker", "chairman", "chairwoman",
    "chair", "king", "queen", "prince", "princess", "pope", "rev", "reverend", "father", "rabbi", "imam", "sheikh",
    "former", "first", "lady", "prime", "attorney", "deputy", "acting", "state", "foreign", "defense", "defence",
    "house", "senate", "majority", "minority", "leader", "candidate", "nominee", "commissioner", "director",
    "officer", "chief", "executive", "ceo", "spokesman", "spokeswoman", "spokesperson", "gop", "democratic",
    "republican", "presidential", "u.s", "us", "then", "late", "sec", "supt", "insp", "det", "cmdr", "sgt",
})
# Words that end a title phrase without being one ("Secretary of State Kerry": "of" and "state" go too).
_TITLE_JOINERS = frozenset({"of", "the", "for", "general"})
SUFFIXES = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "ii": "ii", "iii": "iii", "iv": "iv", "v": "v"}
# Plural or generic nouns that describe people without naming them.
GENERIC = frozenset({
    "experts", "expert", "sources", "source", "officials", "official", "analysts", "analyst", "critics", "critic",
    "residents", "resident", "witnesses", "witness", "observers", "authorities", "police", "protesters",
    "supporters", "opponents", "voters", "lawmakers", "scientists", "researchers", "doctors", "spokesman",
    "spokeswoman", "spokesperson", "aides", "aide", "advisers", "adviser", "advisors", "diplomats", "insiders",
    "people", "some", "many", "others", "one", "two", "three", "several", "someone", "everyone", "nobody",
    "they", "he", "she", "it", "we", "you", "i", "report", "reports", "study", "survey", "statement", "data",
    "sources:", "officers", "investigators", "prosecutors", "economists", "activists", "leaders", "members",
    "staff", "employees", "workers", "students", "parents", "families", "victims", "neighbors", "neighbours",
})
# A person's "name" ending in one of these is a caption or a thing ("Obama Speech", "Trump Rally"), not a person.
THING_NOUNS = frozenset({"speech", "statement", "interview", "rally", "remarks", "address", "campaign", "report",
                         "administration", "team", "camp", "aides", "era", "tweet", "tweets", "video", "memo", "letter"})
_ORG_NOISE = re.compile(r"[.\u2019'`]")
_WORD = re.compile(r"[^\W\d_][\w.'\u2019-]*", re.UNICODE)


_GIVEN: dict[str, str] = {}


def given_name_gender(first: str | None) -> str | None:
    """"m"/"f" for a common given name whose gender is near-certain (briefs/data/given_names.txt), else None."""
    if not _GIVEN:
        for line in (Path(__file__).parent / "data" / "given_names.txt").read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 2 and not line.startswith("#"):
                _GIVEN[parts[0]] = parts[1]
    return _GIVEN.get(first or "")


@dataclass(frozen=True, slots=True)
class ParsedName:
    written: str
    core: str  # as shown: the written name without title, honorific or leading "the"
    kind: str  # "person" or "org"
    key: str | None  # what linking compares; None for an unnamed description
    first: str | None = None
    middles: tuple[str, ...] = ()  # initials of middle names ("h", "w")
    surname: str | None = None
    suffix: str | None = None
    gender: str | None = None  # "m" / "f" from an honorific, else from a common given name
    title: str | None = None  # the first title word ("president")

    @property
    def unnamed(self) -> bool:
        return self.key is None

    @property
    def surname_only(self) -> bool:
        return self.kind == "person" and self.key is not None and self.first is None


def _bare(token: str) -> str:
    return fold(token).strip(".,;:()\"'\u2019")


def is_unnamed(written: str) -> bool:
    """A description, not a name: lowercase ("experts", "the report", "an official who ..."), or a generic noun."""
    words = written.split()
    if not words:
        return True
    head = _bare(words[0])
    if head in ("a", "an", "some", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these"):
        return True
    if head == "the":
        return len(words) < 2 or not words[1][:1].isupper()
    if not written[:1].isupper() and not written[:1].isdigit():
        return True
    return head in GENERIC and len(words) <= 3


def org_key(written: str) -> str:
    """"the White House", "White House's", "WHITE HOUSE" -> "org:white house"; "U.S." -> "org:us"."""
    text = fold(written)
    if text.startswith("the "):
        text = text[4:]
    text = re.sub(r"('s|\u2019s|s'|s\u2019)$", "", text)
    text = _ORG_NOISE.sub("", text)
    return "org:" + " ".join(re.findall(r"\w+", text))


def acronym_of(name: str) -> str:
    """Initials of the significant words: "Federal Bureau of Investigation" -> "fbi"."""
    words = [w for w in re.findall(r"\w+", fold(name)) if w not in ("of", "the", "and", "for", "on", "in", "to", "a")]
    return "".join(w[0] for w in words)


def parse_name(written: str, *, kind: str = "person", description: str | None = None) -> ParsedName:
    """Read one written name. `description` (as the article gave it) may hold the honorific or title."""
    written = " ".join((written or "").split())
    if is_unnamed(written) or (kind == "person" and _bare(written.split()[-1]) in THING_NOUNS):
        return ParsedName(written, written, kind, None)
    if kind == "org":
        core = written[4:] if written.lower().startswith("the ") else written
        core = re.sub(r"(['\u2019]s|s['\u2019])$", "", core)
        return ParsedName(written, core, "org", org_key(written))
    tokens = written.replace(",", " ").split()
    gender, title = None, None
    while len(tokens) > 1:  # leading honorifics and titles ("Former Secretary of State John Kerry")
        bare = _bare(tokens[0])
        if bare in HONORIFICS:
            gender = gender or HONORIFICS[bare]
        elif bare in TITLES or (title and bare in _TITLE_JOINERS):
            title = title or bare
        else:
            break
        tokens = tokens[1:]
    suffix, suffix_words = None, []
    while len(tokens) > 1 and _bare(tokens[-1]) in SUFFIXES:
        suffix = suffix or SUFFIXES[_bare(tokens[-1])]
        suffix_words.insert(0, tokens[-1])
        tokens = tokens[:-1]
    if description and gender is None:  # "Obama" described as "Mr.": the honorific was split off
        for word in description.split()[:3]:
            bare = _bare(word)
            if bare in HONORIFICS:
                gender = HONORIFICS[bare]
                break
            if bare in TITLES and title is None:
                title = bare
    words = [_bare(t) for t in tokens]
    words = [w for w in words if w]
    if not words:
        return ParsedName(written, written, "person", None)
    core = " ".join(tokens + suffix_words)
    surname = words[-1]
    if len(words) == 1:
        key = surname + (f" {suffix}" if suffix else "")
        return ParsedName(written, core, "person", key, None, (), surname, suffix, gender, title)
    first = words[0]
    gender = gender or given_name_gender(first)  # an honorific wins; else a name like "Hillary" tells
    middles = tuple(letter for w in words[1:-1] for letter in _initials(w))
    key = " ".join([first, *middles, surname] + ([suffix] if suffix else []))
    return ParsedName(written, core, "person", key, first, middles, surname, suffix, gender, title)


def _initials(word: str) -> list[str]:
    """"h.w." -> ["h", "w"]; "j." -> ["j"]; "rodham" -> ["r"] (a middle name counts by its initial)."""
    parts = [p for p in word.split(".") if p]
    if len(parts) > 1 and all(len(p) == 1 for p in parts):
        return parts
    return [word[0]] if word else []


def guess_kind(written: str) -> str:
    """For a quote's speaker the article did not list: "the X ..." and institution words read as an organisation."""
    folded = fold(written)
    if folded.startswith("the "):
        return "org"
    words = set(re.findall(r"\w+", folded))
    if words & {"department", "ministry", "committee", "council", "agency", "office", "party", "university",
                "institute", "foundation", "association", "bank", "commission", "campaign", "administration",
                "government", "court", "police", "times", "post", "news", "inc", "corp", "company", "group"}:
        return "org"
    if written.isupper() and 2 <= len(written) <= 8:
        return "org"
    return "person"


def first_compatible(a: str, b: str) -> bool:
    """First names agree: equal, or one is the other's initial ("j" and "james")."""
    if a == b:
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
