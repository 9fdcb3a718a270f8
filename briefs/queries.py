"""Read-side queries behind the replies, and the name index used by /who and /claims.

Every query here is bounded (LIMIT, newest-first FTS, indexed lookups) so that a
reply stays fast on a store of 100k articles and 1M quotes: no query sorts all
hits of a common word by BM25, and no request loads every name into Python
(the name index is built once and then topped up from the rows added since).
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .store import Store, fold, fts_query

# How many of the newest articles "recent" means for /claims and bare /who.
RECENT_ARTICLES = 500
# How many newest FTS hits a topic filter or search ranks among.
FTS_WINDOW = 400

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_NAME_STOPWORDS = frozenset({"the", "of", "and", "a", "an", "for", "in", "on", "at", "to"})


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
    """Article id -> the distinct speakers quoted in it, in order of first quote."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    out: dict[int, list[str]] = {i: [] for i in article_ids}
    for article_id, speaker in store.db.execute(
        f"select article_id, speaker from quotes where article_id in ({marks}) and speaker is not null "
        "order by article_id, position",
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

def person_quotes(store: Store, norm: str, limit: int, offset: int = 0) -> list[QuoteRow]:
    """A person's quotes, newest article first (ingest order), in article order within one."""
    return [
        QuoteRow(*r)
        for r in store.db.execute(
            "select q.id, q.article_id, q.speaker, q.text, q.kind, a.title, a.published, q.lead "
            "from quotes q join articles a on a.id = q.article_id where q.speaker_norm = ? "
            "order by q.article_id desc, q.position limit ? offset ?",
            [norm, limit, offset],
        )
    ]


def person_counts(store: Store, norm: str) -> tuple[int, int, int]:
    """(articles quoting them, quotes, claims): one pass over each index (a much-quoted person has 100k+ rows)."""
    articles, quotes = store.db.execute(
        "select count(distinct article_id), count(*) from quotes where speaker_norm = ?", [norm]
    ).fetchone()
    return articles, quotes, person_claim_count(store, norm)


def person_claim_count(store: Store, norm: str) -> int:
    return store.db.execute("select count(*) from claims where speaker_norm = ?", [norm]).fetchone()[0]


def person_description(store: Store, norm: str) -> tuple[str | None, str | None]:
    """(display name, newest known description) of a speaker."""
    row = store.db.execute(
        "select name, description from speakers where norm = ? and description is not null "
        "order by article_id desc limit 1",
        [norm],
    ).fetchone()
    if row:
        return row[0], row[1]
    row = store.db.execute("select name from speakers where norm = ? order by article_id desc limit 1", [norm]).fetchone()
    return (row[0] if row else None), None


def mention_articles(store: Store, norm: str, limit: int) -> tuple[int, list[ArticleRow]]:
    total = store.db.execute("select count(*) from mentions where norm = ?", [norm]).fetchone()[0]
    rows = store.db.execute(
        f"select {_ARTICLE_COLS} from mentions m join articles a on a.id = m.article_id where m.norm = ? "
        "order by m.article_id desc limit ?",
        [norm, limit],
    ).fetchall()
    return total, [_article(r) for r in rows]


def most_quoted(store: Store, limit: int) -> list[tuple[str, int, int]]:
    """(name, quotes, articles) of the most quoted speakers among the newest articles."""
    return [
        (r[0], r[1], r[2])
        for r in store.db.execute(
            "with recent as (select id from articles order by published desc, id desc limit ?) "
            "select min(q.speaker), count(*) as n, count(distinct q.article_id) from quotes q "
            "where q.article_id in (select id from recent) and q.speaker_norm is not null "
            "group by q.speaker_norm order by n desc, min(q.speaker) limit ?",
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


_CLAIM_COLS = "c.id, c.article_id, c.speaker, c.source, c.text, c.score, a.title, a.published, a.outlet, c.lead"


def recent_claims(store: Store, limit: int, offset: int = 0) -> list[ClaimRow]:
    return _with_kinds(store, [
        ClaimRow(*r)
        for r in store.db.execute(
            "with recent as (select id from articles order by published desc, id desc limit ?) "
            f"select {_CLAIM_COLS} from claims c join articles a on a.id = c.article_id "
            "where c.article_id in (select id from recent) "
            "order by c.score desc, c.article_id desc, c.position limit ? offset ?",
            [RECENT_ARTICLES, limit, offset],
        )
    ])


def person_claims(store: Store, norm: str, limit: int, offset: int = 0) -> list[ClaimRow]:
    return _with_kinds(store, [
        ClaimRow(*r)
        for r in store.db.execute(
            f"select {_CLAIM_COLS} from claims c join articles a on a.id = c.article_id "
            "where c.speaker_norm = ? order by c.score desc, c.article_id desc, c.position limit ? offset ?",
            [norm, limit, offset],
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
            "order by c.score desc, c.article_id desc, c.position limit ? offset ?",
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
            "select q.id, q.article_id, q.speaker, q.text, q.kind, a.title, a.published, q.lead "
            "from hits h join quotes q on q.id = h.rowid join articles a on a.id = q.article_id order by q.id desc",
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
            "order by c.id desc",
            [match, limit, offset],
        )
    ])


# -- stats ---------------------------------------------------------------------

def stats(store: Store) -> dict[str, object]:
    out: dict[str, object] = dict(store.counts())
    out["people"] = store.db.execute("select count(distinct norm) from speakers").fetchone()[0]
    out["max_seq"] = store.max_seq()
    out["newest"] = store.db.execute("select max(published) from articles").fetchone()[0]
    out["last_ingest"] = store.db.execute("select max(ingested_at) from articles").fetchone()[0]
    page_count = store.db.execute("pragma page_count").fetchone()[0]
    page_size = store.db.execute("pragma page_size").fetchone()[0]
    out["size_bytes"] = page_count * page_size
    return out


# -- change detection -----------------------------------------------------------

def change_signal(store: Store) -> tuple[int, int]:
    """Changes whenever the store was written (by another connection: data_version; by this one: total_changes)."""
    return store.db.execute("pragma data_version").fetchone()[0], store.db.conn.total_changes


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


# -- the name index ------------------------------------------------------------

def name_words(text: str) -> list[str]:
    return [w for w in _WORD_RE.findall(fold(text)) if w not in _NAME_STOPWORDS]


def person_key(norm: str) -> str:
    """A short, stable key for a person, usable in callback data across restarts."""
    return hashlib.blake2s(norm.encode("utf-8"), digest_size=6).hexdigest()


@dataclass
class Person:
    norm: str
    name: str
    quoted: bool = False  # a speaker (has a speakers row or quotes), not only mentioned
    words: frozenset[str] = frozenset()


@dataclass
class Match:
    """The outcome of looking a name up, best first.

    `unique`: one person stands out and every typed word matched one of their
    names (exactly, by prefix or fuzzily); `exact`: the same, with every word
    (or the whole name) matching exactly.
    """

    people: list[Person] = field(default_factory=list)
    exact: bool = False
    unique: bool = False


class NameIndex:
    """Every speaker and mentioned name, with their words, for fast and fuzzy lookup.

    Built on first use; before each lookup it checks whether the store changed
    (`pragma data_version` and the connection's change count, microseconds) and,
    if so, takes in only the rows added since (by rowid).

    When many rows arrived at once (a big ingest by another process), taking them in would hold the
    event loop for a while: then a fresh index is built in a thread, on a connection of its own, and
    lookups answer from the current one meanwhile (they never wait for it); the next lookup after it
    is done swaps it in, and tops it up with what came since.
    """

    OVERLAP = 500  # more rows than one article has: reused rowids are those of the last article(s)
    INLINE_ROWS = 20_000  # new rows taken in during a lookup; more are read by a rebuild in a thread

    def __init__(self, store: Store):
        self.store = store
        self.people: dict[str, Person] = {}
        self.by_key: dict[str, str] = {}
        self.full: dict[str, set[str]] = {}  # folded name or alias -> norms
        self.words: dict[str, set[str]] = {}  # word -> norms
        self._word_list: list[str] = []
        self._word_list_dirty = True
        self._seen = {"speakers": 0, "mentions": 0, "quotes": 0}
        self._removed_seen = 0  # removed_names rows already re-checked
        self._signal: tuple[int, int] | None = None
        self._lock = threading.Lock()
        self._rebuild: threading.Thread | None = None
        self._rebuilt: NameIndex | None = None  # a fresh index a thread built, swapped in by the next refresh

    # building
    def refresh(self) -> None:
        with self._lock:
            db = self.store.db
            if self._rebuilt is not None:
                self._take(self._rebuilt)
            # Anything written since the last look? (other connections: data_version; this one: total_changes)
            signal = change_signal(self.store)
            if signal == self._signal:
                return
            tops = {t: db.execute(f"select coalesce(max(rowid), 0) from {t}").fetchone()[0] for t in self._seen}
            removed_top = db.execute("select coalesce(max(id), 0) from removed_names").fetchone()[0]
            if not any(self._seen.values()):
                self._signal = signal
                self._build()
                self._seen, self._removed_seen = tops, removed_top
                return
            if sum(max(0, tops[t] - self._seen[t]) for t in tops) > self.INLINE_ROWS and self._rebuild_in_thread():
                return  # answer from what is here; the signal stays, so the rows are looked at again
            self._signal = signal
            # NOT INDEXED: a rowid range scan of the new rows. Left to itself the planner walks the whole
            # (speaker_norm, article_id) index for the GROUP BY: 120 ms over 1M quotes after every write.
            # SQLite may hand the rowids of deleted tail rows out again (a corrected article re-inserts its
            # rows), so re-read a small overlap below what was seen; adding a name twice is harmless.
            since = {t: max(0, self._seen[t] - self.OVERLAP) if self._seen[t] else 0 for t in self._seen}
            if tops["speakers"] > since["speakers"]:
                for norm, name, aliases in db.execute(
                    "select norm, name, aliases from speakers where rowid > ? and norm is not null",
                    [since["speakers"]],
                ):
                    self._add(norm, name, quoted=True)
                    self._add_aliases(norm, aliases)
            if tops["quotes"] > since["quotes"]:
                for norm, name in db.execute(
                    "select speaker_norm, min(speaker) from quotes not indexed where rowid > ? and speaker_norm is not null "
                    "group by speaker_norm",
                    [since["quotes"]],
                ):
                    self._add(norm, name, quoted=True)
            if tops["mentions"] > since["mentions"]:
                for norm, name in db.execute(
                    "select norm, min(name) from mentions not indexed where rowid > ? and norm is not null group by norm",
                    [since["mentions"]],
                ):
                    self._add(norm, name, quoted=False)
            self._seen = tops
            if removed_top > self._removed_seen:
                self._drop_names_no_row_holds(self._removed_seen)
                self._removed_seen = removed_top

    def _drop_names_no_row_holds(self, since: int) -> None:
        """A correction deleted rows: forget the names it left without any row (indexed probes, a few per name)."""
        db = self.store.db
        for (norm,) in db.execute("select norm from removed_names where id > ?", [since]).fetchall():
            person = self.people.get(norm)
            if person is None:
                continue
            speaks = db.execute(
                "select exists (select 1 from speakers where norm = ?)"
                " or exists (select 1 from quotes where speaker_norm = ?)", [norm, norm]).fetchone()[0]
            if speaks:
                continue
            if db.execute("select 1 from mentions where norm = ? limit 1", [norm]).fetchone():
                person.quoted = False  # still mentioned somewhere, quoted nowhere
                continue
            self._forget(norm)

    def _forget(self, norm: str) -> None:
        del self.people[norm]
        self.by_key.pop(person_key(norm), None)
        for index in (self.full, self.words):
            for key in [k for k, norms in index.items() if norm in norms]:  # rare (corrections): a scan is fine
                index[key].discard(norm)
                if not index[key]:
                    del index[key]
                    self._word_list_dirty = True

    def _rebuild_in_thread(self) -> bool:
        """Start (once) a full build on a connection of its own; False when the store has no file to open."""
        if self._rebuild is not None and self._rebuild.is_alive():
            return True
        path = self.store.db.execute("pragma database_list").fetchone()[2]
        if not path:
            return False

        def build() -> None:
            store = Store(path)
            try:
                fresh = NameIndex(store)
                fresh.refresh()
                self._rebuilt = fresh
            finally:
                store.close()

        self._rebuild = threading.Thread(target=build, name="name-index-rebuild", daemon=True)
        self._rebuild.start()
        return True

    def _take(self, fresh: "NameIndex") -> None:
        """Swap in a fresh index built by the thread (on the lookups' thread, so a lookup never sees half)."""
        self._rebuilt = None
        self.people, self.by_key, self.full, self.words = fresh.people, fresh.by_key, fresh.full, fresh.words
        self._word_list, self._word_list_dirty = fresh._word_list, fresh._word_list_dirty
        self._seen, self._signal = fresh._seen, None

    def _build(self) -> None:
        """The first, full build: distinct names read from covering indexes, not from every row."""
        db = self.store.db
        for norm, name, aliases in db.execute(
            "select norm, name, aliases from speakers where norm is not null group by norm, name, aliases"
        ):
            self._add(norm, name, quoted=True)
            self._add_aliases(norm, aliases)
        for (norm,) in db.execute("select distinct speaker_norm from quotes where speaker_norm is not null"):
            if norm not in self.people:
                row = db.execute("select speaker from quotes where speaker_norm = ? limit 1", [norm]).fetchone()
                self._add(norm, row[0] if row and row[0] else norm, quoted=True)
        for norm, name in db.execute("select norm, min(name) from mentions where norm is not null group by norm"):
            self._add(norm, name, quoted=False)

    def _add_aliases(self, norm: str, aliases: str | None) -> None:
        if not aliases or aliases == "[]":
            return
        try:
            alias_list = json.loads(aliases)
        except ValueError:
            return
        for alias in alias_list if isinstance(alias_list, list) else []:
            if isinstance(alias, str) and alias.strip():
                self._add_alias(norm, alias)

    def _add(self, norm: str, name: str, *, quoted: bool) -> None:
        if not norm:
            return
        person = self.people.get(norm)
        if person is None:
            words = frozenset(name_words(norm))
            person = self.people[norm] = Person(norm, name, quoted, words)
            self.by_key[person_key(norm)] = norm
            self.full.setdefault(norm, set()).add(norm)
            short = norm[4:] if norm.startswith("the ") else None
            if short:
                self.full.setdefault(short, set()).add(norm)
            for word in words:
                self._index_word(word, norm)
        elif quoted and not person.quoted:
            person.quoted = True
            person.name = name

    def _add_alias(self, norm: str, alias: str) -> None:
        folded = fold(alias)
        if folded.startswith("the ") and len(name_words(folded)) <= 1:
            return  # "the pundit", "the analyst": a reference, not a name
        self.full.setdefault(folded, set()).add(norm)
        for word in name_words(folded):
            self._index_word(word, norm)

    def _index_word(self, word: str, norm: str) -> None:
        bucket = self.words.get(word)
        if bucket is None:
            bucket = self.words[word] = set()
            self._word_list_dirty = True
        bucket.add(norm)

    def _all_words(self) -> list[str]:
        if self._word_list_dirty:
            self._word_list = sorted(self.words)
            self._word_list_dirty = False
        return self._word_list

    # looking up
    def norm_for_key(self, key: str) -> str | None:
        self.refresh()
        return self.by_key.get(key)

    def lookup(self, query: str, *, limit: int = 8, fuzzy_cutoff: float = 78) -> Match:
        """Best matching people for a typed name: exact name/alias, then word by word (exact, prefix, fuzzy)."""
        self.refresh()
        folded = fold(query).strip(" .,:;!?\"'")
        if not folded:
            return Match()
        hit = self.full.get(folded) or (self.full.get(folded[4:]) if folded.startswith("the ") else None)
        if hit:
            people = self._ranked({n: 1000.0 for n in hit})[:limit]
            return Match(people, exact=len(people) == 1, unique=len(people) == 1)
        qwords = name_words(folded) or _WORD_RE.findall(folded)
        if not qwords:
            return Match()
        scores: dict[str, float] = {}
        matched: dict[str, int] = {}
        for qword in qwords[:6]:
            for norm, score in self._word_candidates(qword, fuzzy_cutoff).items():
                scores[norm] = scores.get(norm, 0.0) + score
                matched[norm] = matched.get(norm, 0) + 1
        if not scores:
            return Match()
        most = max(matched.values())
        complete = {n: s for n, s in scores.items() if matched[n] == most}
        ranked = self._ranked(complete)
        best = complete[ranked[0].norm]
        top = [p for p in ranked if complete[p.norm] >= best - 0.5]
        rest = [p for p in ranked if complete[p.norm] < best - 0.5]
        words_exact = most == len(qwords[:6]) and best >= 100.0 * most
        if len(top) == 1:
            return Match(top, exact=words_exact, unique=most == len(qwords[:6]))
        return Match((top + rest)[:limit])

    def closest(self, query: str, limit: int = 5) -> list[Person]:
        """Names that look a little like `query`, for a "did you mean" answer."""
        match = self.lookup(query, limit=limit, fuzzy_cutoff=55)
        return match.people[:limit]

    def _word_candidates(self, qword: str, cutoff: float) -> dict[str, float]:
        out: dict[str, float] = {}
        for norm in self.words.get(qword, ()):
            out[norm] = 100.0
        if out:
            return out
        for word, score, _ in process.extract(
            qword, self._all_words(), scorer=fuzz.ratio, score_cutoff=cutoff, limit=12
        ):
            for norm in self.words[word]:
                out[norm] = max(out.get(norm, 0.0), float(score))
        if len(qword) >= 4:
            for word in self._all_words_prefixed(qword):
                for norm in self.words[word]:
                    out[norm] = max(out.get(norm, 0.0), 90.0)
        return out

    def _all_words_prefixed(self, prefix: str, limit: int = 50) -> list[str]:
        """Words that start with `prefix` ("doct" -> doctorow), by bisection in the sorted word list."""
        words = self._all_words()
        out = []
        for i in range(bisect.bisect_right(words, prefix), min(len(words), bisect.bisect_right(words, prefix) + limit)):
            if not words[i].startswith(prefix):
                break
            out.append(words[i])
        return out

    def _ranked(self, scores: dict[str, float]) -> list[Person]:
        people = [self.people[n] for n in scores if n in self.people]
        people.sort(key=lambda p: (-scores[p.norm], not p.quoted, p.name.casefold()))
        return people
