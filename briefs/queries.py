"""Read-side queries behind the replies, and the name index used by /who and /claims.

Every query here is bounded (LIMIT, newest-first FTS, indexed lookups) so that a
reply stays fast on a store of 100k articles and 1M quotes: no query sorts all
hits of a common word by BM25, and no request loads every name into Python
(the name index is built once and then topped up from the rows added since).
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from .nameindex import Match, NameIndex, Person, change_signal, name_words, person_key  # noqa: F401 (re-exported)
from .store import Store, fold, fts_query

# How many of the newest articles "recent" means for /claims and bare /who.
RECENT_ARTICLES = 500
# How many newest FTS hits a topic filter or search ranks among.
FTS_WINDOW = 400



# -- rows ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    title: str | None
    outlet: str | None
    section: str | None
    published: str | None
    lede: str | None
    headings: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteRow:
    id: int
    article_id: int
    speaker: str | None
    text: str
    kind: str
    title: str | None
    published: str | None
    lead: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimRow:
    id: int
    article_id: int
    speaker: str | None
    source: str
    text: str
    score: float
    title: str | None
    published: str | None
    outlet: str | None
    lead: str | None = None  # a reported claim's verb ("rules out"), shown before its text
    kind: str | None = None  # "direct"/"indirect" when the claim restates a quote of its article


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    name: str
    description: str | None
    kind: str | None


_ARTICLE_COLS = "a.id, a.title, a.outlet, a.section, a.published, a.lede, a.headings, a.url"


def _article(row) -> ArticleRow:
    headings: tuple[str, ...] = ()
    if row[6]:
        try:
            headings = tuple(str(h) for h in json.loads(row[6]))
        except (ValueError, TypeError):
            headings = ()
    return ArticleRow(row[0], row[1], row[2], row[3], row[4], row[5], headings, row[7])


# -- articles ------------------------------------------------------------------

def latest_articles(store: Store, limit: int, offset: int = 0) -> list[ArticleRow]:
    rows = store.db.execute(
        f"select {_ARTICLE_COLS} from articles a order by a.published desc, a.id desc limit ? offset ?",
        [limit, offset],
    ).fetchall()
    return [_article(r) for r in rows]


def get_article(store: Store, article_id: int) -> ArticleRow | None:
    row = store.db.execute(f"select {_ARTICLE_COLS} from articles a where a.id = ?", [article_id]).fetchone()
    return _article(row) if row else None


def quoted_names(store: Store, article_ids: list[int]) -> dict[int, list[str]]:
    """Article id -> the distinct speakers quoted in it (canonical names), in order of first quote."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    out: dict[int, list[str]] = {i: [] for i in article_ids}
    for article_id, speaker in store.db.execute(
        f"select q.article_id, coalesce(p.name, q.speaker) from quotes q left join people p on p.id = q.person_id "
        f"where q.article_id in ({marks}) and q.speaker is not null order by q.article_id, q.position",
        article_ids,
    ):
        if speaker not in out[article_id]:
            out[article_id].append(speaker)
    return out


def article_speakers(store: Store, article_id: int) -> list[SpeakerRow]:
    return [
        SpeakerRow(*r)
        for r in store.db.execute(
            "select name, description, kind from speakers where article_id = ? order by id", [article_id]
        )
    ]


def article_quotes(store: Store, article_id: int) -> list[QuoteRow]:
    return [
        QuoteRow(*r)
        for r in store.db.execute(
            "select q.id, q.article_id, q.speaker, q.text, q.kind, a.title, a.published, q.lead "
            "from quotes q join articles a on a.id = q.article_id where q.article_id = ? order by q.position",
            [article_id],
        )
    ]


def article_claims(store: Store, article_id: int) -> list[ClaimRow]:
    return _with_kinds(store, [
        ClaimRow(*r)
        for r in store.db.execute(
            "select c.id, c.article_id, c.speaker, c.source, c.text, c.score, a.title, a.published, a.outlet, c.lead "
            "from claims c join articles a on a.id = c.article_id where c.article_id = ? "
            "order by c.score desc, c.position",
            [article_id],
        )
    ])


# -- people --------------------------------------------------------------------
# A person is a `people` id (briefs/people.py); rows carry it as `person_id`. Lists across articles show the
# canonical name (`people.name`); an article's own page shows the name as it was written.

def person_quotes(store: Store, pid: int, limit: int, offset: int = 0) -> list[QuoteRow]:
    """A person's quotes, newest article first (ingest order), in article order within one."""
    return [
        QuoteRow(*r)
        for r in store.db.execute(
            "select q.id, q.article_id, q.speaker, q.text, q.kind, a.title, a.published, q.lead "
            "from quotes q join articles a on a.id = q.article_id where q.person_id = ? "
            "order by q.article_id desc, q.position limit ? offset ?",
            [pid, limit, offset],
        )
    ]


def person_counts(store: Store, pid: int) -> tuple[int, int, int]:
    """(articles quoting them, quotes, claims): one pass over each index (a much-quoted person has 100k+ rows)."""
    articles, quotes = store.db.execute(
        "select count(distinct article_id), count(*) from quotes where person_id = ?", [pid]
    ).fetchone()
    claims = store.db.execute("select count(*) from claims where person_id = ?", [pid]).fetchone()[0]
    return articles, quotes, claims


def person_descriptions(store: Store, pid: int, limit: int = 3) -> list[tuple[str, int]]:
    """(description, articles): used by more articles first, then the most recent (the newest 2,000 speaker
    rows). A bare honorific ("Mr.") is no description."""
    return [(r[0], r[1]) for r in store.db.execute(
        "with recent as (select description, article_id from speakers where person_id = ? "
        "order by article_id desc limit 2000) "
        "select min(description), count(distinct article_id) from recent where description is not null and trim(description) != '' "
        "and lower(trim(description, ' .')) not in ('mr', 'mrs', 'ms', 'miss', 'mx', 'dr') "
        "group by lower(description) order by count(distinct article_id) desc, max(article_id) desc limit ?",
        [pid, limit])]


def mention_articles(store: Store, norms: list[str], limit: int) -> tuple[int, list[ArticleRow]]:
    """Articles mentioning any of these names, newest first, and how many there are."""
    norms = norms[:50] or [""]
    marks = ",".join("?" * len(norms))
    total = store.db.execute(f"select count(distinct article_id) from mentions where norm in ({marks})", norms).fetchone()[0]
    rows = store.db.execute(
        f"select {_ARTICLE_COLS} from articles a where a.id in (select article_id from mentions where norm in ({marks})) "
        "order by a.id desc limit ?",
        [*norms, limit],
    ).fetchall()
    return total, [_article(r) for r in rows]


def person_written_names(store: Store, pid: int, limit: int = 8) -> list[str]:
    """How articles wrote a person's name ("Mr. Obama", "President Obama"), most used first."""
    return [r[0] for r in store.db.execute(
        "select name from person_names where person_id = ? and rows > 0 and key is not null "
        "order by rows desc, name limit ?", [pid, limit])]


def person_name_norms(store: Store, pid: int) -> list[str]:
    return [r[0] for r in store.db.execute("select norm from person_names where person_id = ? order by rows desc", [pid])]


def most_quoted(store: Store, limit: int) -> list[tuple[int, str, int, int]]:
    """(person id, canonical name, quotes, articles) of the most quoted people among the newest articles.

    Counts are summed over every name a person is written with; unnamed descriptions (no person) are left out.
    """
    return [
        (r[0], r[1], r[2], r[3])
        for r in store.db.execute(
            "with recent as (select id from articles order by published desc, id desc limit ?), "
            "counts as (select q.person_id as pid, count(*) as n, count(distinct q.article_id) as m from quotes q "
            "where q.article_id in (select id from recent) and q.person_id is not null group by q.person_id) "
            "select c.pid, p.name, c.n, c.m from counts c join people p on p.id = c.pid "
            "order by c.n desc, p.name limit ?",
            [RECENT_ARTICLES, limit],
        )
    ]


# -- claims --------------------------------------------------------------------

def _with_kinds(store: Store, claims: list[ClaimRow]) -> list[ClaimRow]:
    """Mark claims that restate a quote of their article with the quote's kind (a direct one is shown in marks)."""
    if not claims:
        return claims
    ids = sorted({c.article_id for c in claims})
    kinds: dict[tuple[int, str], str] = {}
    for article_id, text, kind in store.db.execute(
        f"select article_id, text, kind from quotes where article_id in ({','.join('?' * len(ids))})", ids
    ):
        kinds.setdefault((article_id, fold(text or "")), kind)
    return [dataclasses.replace(c, kind=kinds.get((c.article_id, fold(c.text or "")))) for c in claims]


# across articles a claim's speaker is shown by its canonical name (the join adds `people p`)
_CLAIM_COLS = ("c.id, c.article_id, coalesce(p.name, c.speaker), c.source, c.text, c.score, a.title, a.published,"
               " a.outlet, c.lead")
_CLAIM_PEOPLE = "left join people p on p.id = c.person_id"


def recent_claims(store: Store, limit: int, offset: int = 0) -> list[ClaimRow]:
    return _with_kinds(store, [
        ClaimRow(*r)
        for r in store.db.execute(
            "with recent as (select id from articles order by published desc, id desc limit ?) "
            f"select {_CLAIM_COLS} from claims c join articles a on a.id = c.article_id {_CLAIM_PEOPLE} "
            "where c.article_id in (select id from recent) "
            "order by c.score desc, c.article_id desc, c.position limit ? offset ?",
            [RECENT_ARTICLES, limit, offset],
        )
    ])


def person_claims(store: Store, pid: int, limit: int, offset: int = 0) -> list[ClaimRow]:
    return _with_kinds(store, [
        ClaimRow(*r)
        for r in store.db.execute(
            f"select {_CLAIM_COLS} from claims c join articles a on a.id = c.article_id {_CLAIM_PEOPLE} "
            "where c.person_id = ? order by c.score desc, c.article_id desc, c.position limit ? offset ?",
            [pid, limit, offset],
        )
    ])


def topic_claims(store: Store, words: str, limit: int, offset: int = 0) -> list[ClaimRow]:
    """Claims whose text (or speaker) holds all the words, among the newest matches, most check-worthy first."""
    match = fts_query(words)
    if match is None:
        return []
    return _with_kinds(store, [
        ClaimRow(*r)
        for r in store.db.execute(
            "with hits as (select rowid from claims_fts where claims_fts match ? order by rowid desc limit ?) "
            f"select {_CLAIM_COLS} from claims c join hits h on h.rowid = c.id join articles a on a.id = c.article_id "
            f"{_CLAIM_PEOPLE} order by c.score desc, c.article_id desc, c.position limit ? offset ?",
            [match, FTS_WINDOW, limit, offset],
        )
    ])


# -- search --------------------------------------------------------------------

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


@dataclass(frozen=True, slots=True)
class ArticleHit:
    id: int
    title: str | None
    published: str | None
    outlet: str | None
    snippet: str  # holds MARK_OPEN/MARK_CLOSE around matched words


def search_articles(store: Store, words: str, limit: int, offset: int = 0) -> list[ArticleHit]:
    match = fts_query(words)
    if match is None:
        return []
    rows = store.db.execute(
        "select a.id, a.title, a.published, a.outlet, "
        f"snippet(articles_fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 14) "
        "from articles_fts join articles a on a.id = articles_fts.rowid "
        "where articles_fts match ? order by articles_fts.rowid desc limit ? offset ?",
        [match, limit, offset],
    ).fetchall()
    return [ArticleHit(*r) for r in rows]


def search_quotes(store: Store, words: str, limit: int, offset: int = 0) -> list[QuoteRow]:
    match = fts_query(words)
    if match is None:
        return []
    return [
        QuoteRow(*r)
        for r in store.db.execute(
            "with hits as (select rowid from quotes_fts where quotes_fts match ? order by rowid desc limit ? offset ?) "
            "select q.id, q.article_id, coalesce(p.name, q.speaker), q.text, q.kind, a.title, a.published, q.lead "
            "from hits h join quotes q on q.id = h.rowid join articles a on a.id = q.article_id "
            "left join people p on p.id = q.person_id order by q.id desc",
            [match, limit, offset],
        )
    ]


def search_claims(store: Store, words: str, limit: int, offset: int = 0) -> list[ClaimRow]:
    match = fts_query(words)
    if match is None:
        return []
    return _with_kinds(store, [
        ClaimRow(*r)
        for r in store.db.execute(
            "with hits as (select rowid from claims_fts where claims_fts match ? order by rowid desc limit ? offset ?) "
            f"select {_CLAIM_COLS} from hits h join claims c on c.id = h.rowid join articles a on a.id = c.article_id "
            f"{_CLAIM_PEOPLE} order by c.id desc",
            [match, limit, offset],
        )
    ])


# -- stats ---------------------------------------------------------------------

def stats(store: Store) -> dict[str, object]:
    out: dict[str, object] = dict(store.counts())
    out["people"] = store.db.execute("select count(*) from people where merged_into is null "
                                     "and exists (select 1 from person_names n where n.person_id = people.id)").fetchone()[0]
    out["max_seq"] = store.max_seq()
    out["newest"] = store.db.execute("select max(published) from articles").fetchone()[0]
    out["last_ingest"] = store.db.execute("select max(ingested_at) from articles").fetchone()[0]
    page_count = store.db.execute("pragma page_count").fetchone()[0]
    page_size = store.db.execute("pragma page_size").fetchone()[0]
    out["size_bytes"] = page_count * page_size
    return out


# -- change detection -----------------------------------------------------------

class StoreCache:
    """Results of store-wide queries (the most quoted people, the top recent claims), kept until the store changes."""

    def __init__(self, store: Store, size: int = 64):
        self.store = store
        self.size = size
        self._signal: tuple[int, int] | None = None
        self._values: dict[tuple, object] = {}

    def get(self, key: tuple, compute):
        signal = change_signal(self.store)
        if signal != self._signal:
            self._signal, self._values = signal, {}
        if key not in self._values:
            if len(self._values) >= self.size:
                self._values.pop(next(iter(self._values)))
            self._values[key] = compute()
        return self._values[key]
