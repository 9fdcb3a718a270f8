"""The name index behind /who and /claims: every person's names, and names only mentioned, in memory.

Entries are people (from `people` and `person_names`, briefs/people.py) and
names that were mentioned but never spoke. Built once from those small tables
(a few rows per person, not one per quote); before each lookup it checks
whether the store changed (`pragma data_version` and the connection's change
count, microseconds) and, if so, reads only the people and names whose `rev`
grew and the mentions added since. A merge, a split or a correction that
drops a name rebuilds it.

Keys (callback data `who:<key>`): `p<id>` for a person (a merged id follows
its merge), and the 12-hex `person_key(norm)` of any name, the form buttons
had before people existed, which still resolve (to the person holding that name).
"""
from __future__ import annotations

import bisect
import hashlib
import re
import threading
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .names import is_unnamed
from .store import Store, fold

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_NAME_STOPWORDS = frozenset({"the", "of", "and", "a", "an", "for", "in", "on", "at", "to"})


def name_words(text: str) -> list[str]:
    return [w for w in _WORD_RE.findall(fold(text)) if w not in _NAME_STOPWORDS]


def person_key(norm: str) -> str:
    """A short, stable key for a written name, usable in callback data across restarts."""
    return hashlib.blake2s(norm.encode("utf-8"), digest_size=6).hexdigest()


def change_signal(store: Store) -> tuple[int, int]:
    """Changes whenever the store was written (by another connection: data_version; by this one: total_changes)."""
    return store.db.execute("pragma data_version").fetchone()[0], store.db.conn.total_changes


@dataclass
class Person:
    """One entry: a person (`pid`) or a name only mentioned (`pid` None)."""

    key: str
    name: str
    norm: str
    pid: int | None = None
    quoted: bool = False
    words: frozenset[str] = frozenset()
    kind: str = "person"


@dataclass
class Match:
    """The outcome of looking a name up, best first.

    `unique`: one entry stands out and every typed word matched one of its
    names (exactly, by prefix or fuzzily); `exact`: the same, with every word
    (or the whole name) matching exactly.
    """

    people: list[Person] = field(default_factory=list)
    exact: bool = False
    unique: bool = False


class NameIndex:
    INLINE_ROWS = 20_000  # new rows taken in during a lookup; more are read by a rebuild in a thread
    OVERLAP = 500  # more mention rows than one article has: reused rowids are those of the last article(s)

    def __init__(self, store: Store):
        self.store = store
        self._signal: tuple[int, int] | None = None
        self._lock = threading.Lock()
        self._rebuild: threading.Thread | None = None
        self._rebuilt: NameIndex | None = None
        self._reset()

    def _reset(self) -> None:
        self.people: dict[str, Person] = {}  # key -> entry
        self.by_hash: dict[str, str] = {}  # person_key(norm of a name) -> entry key
        self.owner: dict[str, str] = {}  # folded name -> key of the person holding it (most used)
        self.redirect: dict[int, int] = {}  # merged person id -> its live id
        self.full: dict[str, set[str]] = {}  # folded name, alias or core -> keys
        self.words: dict[str, set[str]] = {}  # word -> keys
        self._word_list: list[str] = []
        self._word_list_dirty = True
        self._rev = 0
        self._names: tuple[int, int] = (0, 0)  # (count, max id) of person_names when last read
        self._mentions_seen = 0
        self._removed_seen = 0  # max id of removed_names when last read

    # -- building ----------------------------------------------------------------------------

    def refresh(self) -> None:
        with self._lock:
            if self._rebuilt is not None:
                self._take(self._rebuilt)
            signal = change_signal(self.store)
            if signal == self._signal:
                return
            if self.people and self._backlog() > self.INLINE_ROWS and self._rebuild_in_thread():
                return  # answer from what is here; the signal stays, so the rows are looked at again
            self._signal = signal
            db = self.store.db
            rev = db.execute("select max((select coalesce(max(rev), 0) from people), "
                             "(select coalesce(max(rev), 0) from person_names))").fetchone()[0]
            if (not self.people or rev < self._rev or self._moved(rev) or self._names_dropped(rev)
                    or self._corrected()):
                self._build(rev)
                return
            if rev > self._rev:
                self._read_people("where rev > ?", [self._rev])
                self._read_names("where rev > ?", [self._rev])
                self._rev = rev
            self._read_mentions()

    def _moved(self, rev: int) -> bool:
        """Since the last look, did names change hands (a merge, a split)? Then rebuild: rare."""
        return rev > self._rev and self.store.db.execute(
            "select 1 from people where rev > ? and (merged_into is not null or pinned is not null) limit 1",
            [self._rev]).fetchone() is not None

    def _backlog(self) -> int:
        """New rows since the last look (indexed max lookups): a big ingest by another process."""
        db = self.store.db
        mentions = db.execute("select coalesce(max(rowid), 0) from mentions").fetchone()[0] - self._mentions_seen
        names = db.execute("select coalesce(max(id), 0) from person_names").fetchone()[0] - self._names[1]
        return max(0, mentions) + max(0, names)

    def _rebuild_in_thread(self) -> bool:
        """Start (once) a full build on a connection of its own; False when the store has no file to open.
        /who meanwhile answers from the index at hand and never waits on it."""
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
        """Swap in the index built by the thread (on the lookups' side, so a lookup never sees half of it)."""
        self._rebuilt = None
        keep = {"store", "_lock", "_rebuild", "_rebuilt"}
        self.__dict__.update({k: v for k, v in fresh.__dict__.items() if k not in keep})
        self._signal = None

    def _corrected(self) -> bool:
        """Did a correction delete rows since the last look (their names noted in removed_names)? A name only
        such rows held (a mention, a renamed speaker) must leave: rebuild, which corrections make rare."""
        top = self.store.db.execute("select coalesce(max(id), 0) from removed_names").fetchone()[0]
        changed = top > self._removed_seen
        self._removed_seen = top
        return changed and bool(self.people)

    def _names_dropped(self, rev: int) -> bool:
        """Did a correction take names away (a corrected article no longer names someone)? Then rebuild."""
        if rev <= self._rev:
            return False
        count, top = self.store.db.execute("select count(*), coalesce(max(id), 0) from person_names").fetchone()
        added = self.store.db.execute("select count(*) from person_names where id > ?", [self._names[1]]).fetchone()[0]
        dropped = count < self._names[0] + added
        self._names = (count, top)
        return dropped

    def _build(self, rev: int) -> None:
        removed_seen = self._removed_seen
        self._reset()
        self._removed_seen = removed_seen or self.store.db.execute(
            "select coalesce(max(id), 0) from removed_names").fetchone()[0]
        self._names = self.store.db.execute("select count(*), coalesce(max(id), 0) from person_names").fetchone()
        self._read_people("", [])
        self._read_names("order by rows", [])
        self._rev = rev
        self._read_mentions()

    def _read_people(self, where: str, params: list) -> None:
        # a person left without names (a corrected article no longer names them) has no entry
        where = f"{where} and" if where else "where"
        for pid, name, norm, kind, merged_into in self.store.db.execute(
                f"select id, name, norm, kind, merged_into from people {where} "
                "(merged_into is not null or exists (select 1 from person_names n where n.person_id = people.id))",
                params):
            if merged_into is not None:
                self.redirect[pid] = merged_into
                self.people.pop(f"p{pid}", None)
                continue
            key = f"p{pid}"
            entry = self.people.get(key)
            if entry is None:
                entry = self.people[key] = Person(key, name, norm, pid, True, frozenset(), kind)
            else:
                entry.name, entry.norm, entry.kind = name, norm, kind
            self._index_name(key, norm, name, hashed=True)

    def _read_names(self, where: str, params: list) -> None:
        for pid, name, norm, core in self.store.db.execute(
                f"select person_id, name, norm, core from person_names {where}", params):
            key = f"p{pid}"
            if key not in self.people:
                continue
            self._index_name(key, norm, name, hashed=True)
            if core and fold(core) != norm:
                self._index_name(key, fold(core), core, hashed=False)

    def _read_mentions(self) -> None:
        db = self.store.db
        top = db.execute("select coalesce(max(rowid), 0) from mentions").fetchone()[0]
        if top <= self._mentions_seen:
            self._mentions_seen = top
            return
        since = max(0, self._mentions_seen - self.OVERLAP) if self._mentions_seen else 0
        # NOT INDEXED: a rowid range scan of the new rows (the planner would walk the whole norm index)
        sql = ("select norm, min(name) from mentions group by norm" if not since else
               "select norm, min(name) from mentions not indexed where rowid > ? and norm is not null group by norm")
        for norm, name in db.execute(sql, [since] if since else []):
            bare = norm[4:] if norm and norm.startswith("the ") else norm
            if not norm or norm in self.owner or bare in self.owner or is_unnamed(name or ""):
                continue
            key = person_key(norm)
            self.people[key] = Person(key, name, norm, None, False, frozenset(name_words(norm)))
            self._index_name(key, norm, name, hashed=True)
        self._mentions_seen = top

    def _index_name(self, key: str, norm: str, written: str, *, hashed: bool) -> None:
        if not norm:
            return
        entry = self.people[key]
        words = name_words(norm)
        if norm.startswith("the ") and len(words) <= 1 and entry.pid is not None and fold(entry.name) != norm:
            return  # "the pundit", "the analyst": a reference, not a name
        self.full.setdefault(norm, set()).add(key)
        if norm.startswith("the "):
            self.full.setdefault(norm[4:], set()).add(key)
        if hashed:
            self.by_hash[person_key(norm)] = key
        if entry.pid is not None:
            self.owner[norm] = key
            for mentioned in (norm, norm[4:] if norm.startswith("the ") else f"the {norm}"):
                stale = self.people.get(person_key(mentioned))
                if stale is not None and stale.pid is None:  # a name only mentioned until now: the person has it
                    del self.people[stale.key]
                    self.by_hash[stale.key] = key
        entry.words = entry.words | frozenset(words)
        for word in words:
            bucket = self.words.get(word)
            if bucket is None:
                bucket = self.words[word] = set()
                self._word_list_dirty = True
            bucket.add(key)

    def _all_words(self) -> list[str]:
        if self._word_list_dirty:
            self._word_list = sorted(self.words)
            self._word_list_dirty = False
        return self._word_list

    # -- looking up --------------------------------------------------------------------------

    def entry(self, key: str) -> Person | None:
        """The entry behind a button key: `p<id>` (following merges) or a name's 12-hex key."""
        self.refresh()
        if key.startswith("p") and key[1:].isdigit():
            pid = int(key[1:])
            for _ in range(50):
                if pid not in self.redirect:
                    break
                pid = self.redirect[pid]
            return self.people.get(f"p{pid}")
        target = self.by_hash.get(key)
        return self.people.get(target) if target else None

    def person_of(self, pid: int) -> Person | None:
        return self.entry(f"p{pid}")

    def lookup(self, query: str, *, limit: int = 8, fuzzy_cutoff: float = 78) -> Match:
        """Best matching entries for a typed name: exact name/alias, then word by word (exact, prefix, fuzzy)."""
        self.refresh()
        folded = fold(query).strip(" .,:;!?\"'")
        if not folded:
            return Match()
        hit = self.full.get(folded) or (self.full.get(folded[4:]) if folded.startswith("the ") else None)
        if hit:
            scores = {k: 1000.0 for k in hit}
            if all(len(self.people[k].words) == 1 for k in hit if k in self.people):
                # a surname-only identity ("Clinton" where two Clintons are known): ask among all who bear it
                scores.update({k: 999.0 for k in self.words.get(folded, ()) if k not in scores and self.people[k].pid})
            people = self._ranked(scores)[:limit]
            return Match(people, exact=len(people) == 1, unique=len(people) == 1)
        qwords = name_words(folded) or _WORD_RE.findall(folded)
        if not qwords:
            return Match()
        scores: dict[str, float] = {}
        matched: dict[str, int] = {}
        for qword in qwords[:6]:
            for key, score in self._word_candidates(qword, fuzzy_cutoff).items():
                scores[key] = scores.get(key, 0.0) + score
                matched[key] = matched.get(key, 0) + 1
        if not scores:
            return Match()
        most = max(matched.values())
        complete = {k: s for k, s in scores.items() if matched[k] == most}
        ranked = self._ranked(complete)
        if not ranked:
            return Match()
        best = complete[ranked[0].key]
        top = [p for p in ranked if complete[p.key] >= best - 0.5]
        rest = [p for p in ranked if complete[p.key] < best - 0.5]
        words_exact = most == len(qwords[:6]) and best >= 100.0 * most
        if len(top) == 1:
            return Match(top, exact=words_exact, unique=most == len(qwords[:6]))
        return Match((top + rest)[:limit])

    def closest(self, query: str, limit: int = 5) -> list[Person]:
        """Names that look a little like `query`, for a "did you mean" answer."""
        return self.lookup(query, limit=limit, fuzzy_cutoff=55).people[:limit]

    def _word_candidates(self, qword: str, cutoff: float) -> dict[str, float]:
        out: dict[str, float] = {key: 100.0 for key in self.words.get(qword, ())}
        if out:
            return out
        for word, score, _ in process.extract(qword, self._all_words(), scorer=fuzz.ratio, score_cutoff=cutoff, limit=12):
            for key in self.words[word]:
                out[key] = max(out.get(key, 0.0), float(score))
        if len(qword) >= 4:
            for word in self._all_words_prefixed(qword):
                for key in self.words[word]:
                    out[key] = max(out.get(key, 0.0), 90.0)
        return out

    def _all_words_prefixed(self, prefix: str, limit: int = 50) -> list[str]:
        """Words that start with `prefix` ("doct" -> doctorow), by bisection in the sorted word list."""
        words = self._all_words()
        start = bisect.bisect_right(words, prefix)
        out = []
        for i in range(start, min(len(words), start + limit)):
            if not words[i].startswith(prefix):
                break
            out.append(words[i])
        return out

    def _ranked(self, scores: dict[str, float]) -> list[Person]:
        people = [self.people[k] for k in scores if k in self.people]
        people.sort(key=lambda p: (-scores[p.key], not p.quoted, p.name.casefold()))
        return people
