"""The SQLite store: schema by migrations, FTS5, idempotent upsert of articles.

Table names are a contract (people open the file in sqlite3 or Datasette; the schema is in briefs/migrations.py):
articles, speakers, quotes, claims, mentions (and later subscriptions,
deliveries; and people, person_names, people_rules: the identities that link
speakers across articles, filled in by briefs/linking.py as articles are stored). Articles have a short integer `id` (what /article takes) and an
ingest `seq` that only grows (what digests count from).
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Iterable
from typing import Literal

import sqlite_utils

from .migrations import migrations  # applied on open; re-exported (tests build old schemas with it)
from .models import Article

_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "′": "'"})


def fold(text: str) -> str:
    """Case-, accent- and quote-insensitive form used for lookups and comparisons."""
    text = text.translate(_QUOTE_CHARS)
    if not text.isascii():  # ASCII has nothing to decompose: skip the per-character pass (most text is ASCII)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def content_hash(article: Article) -> str:
    """Same article, same hash: whitespace and straight/curly marks do not count."""
    parts = [article.title or "", article.published.isoformat() if article.published else "", article.body]
    normal = " ".join("\n".join(parts).translate(_QUOTE_CHARS).split())
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class UpsertResult:
    action: Literal["added", "unchanged", "replaced"]
    article_id: int
    seq: int


def store_busy(exc: BaseException) -> bool:
    """Another connection held the write lock past the busy timeout (a backup, VACUUM, a sqlite3 session)."""
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc).lower() for word in ("database is locked", "database is busy", "database table is locked"))


class StoreBusy(Exception):
    """The store could not be opened (set to WAL, migrated) because another connection held it locked."""

    def __init__(self, path: str | Path):
        self.path = path
        super().__init__(f"the store {path} is busy (locked by another process); try again")


class Store:
    """One SQLite file. Build with `Store(path)`; migrations run on open.

    Every step of the open waits out another connection's lock for `busy_timeout` seconds, then
    raises StoreBusy (nothing half-migrated: the migrations run in one write transaction)."""

    def __init__(self, path: str | Path | None = None, *, db: sqlite_utils.Database | None = None,
                 busy_timeout: float = 10.0):
        if db is None:
            if path is None or str(path) == ":memory:":
                db = sqlite_utils.Database(memory=True)
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                db = sqlite_utils.Database(path)
        self.db = db
        self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        try:
            if path is not None and str(path) != ":memory:":
                self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.OperationalError as exc:
            if not store_busy(exc):
                raise
            self.db.close()
            raise StoreBusy(path) from None

    def _migrate(self) -> None:
        """Pending migrations, all in one transaction that takes the write lock up front: a plain BEGIN
        would fail at once when another connection holds the lock, rather than wait for it; and a
        second process opening the store meanwhile finds them applied once it gets the lock."""
        if not migrations.pending(self.db):  # the usual open: read only, takes no lock
            return
        with self._write():
            migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    # -- writing ---------------------------------------------------------------

    @contextmanager
    def _write(self):
        """One write transaction, taking the write lock up front (BEGIN IMMEDIATE).

        A plain BEGIN reads first and upgrades later; when another process (the inbox
        job, a second `newsbrief ingest`) commits in between, SQLite answers "database
        is locked" at once instead of waiting out busy_timeout.
        """
        conn = self.db.conn
        if conn.in_transaction:  # inside a caller's transaction: a savepoint
            with self.db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def upsert_article(self, article: Article) -> UpsertResult:
        """Store one article in one transaction: new, unchanged, or a correction that keeps its id."""
        digest = content_hash(article)
        with self._write():
            same = self._stored_version(digest, article.url)
            if same:
                return UpsertResult("unchanged", same[0], same[1])
            from .linking import Linker

            linker = Linker(self.db)
            earlier = self._earlier_version(article)
            row = self._article_row(article, digest)
            if earlier:
                article_id, seq = earlier
                self._note_replaced_quotes(article_id)
                linker.unlink_article(article_id)
                self.db.execute(
                    "insert or ignore into superseded (content_hash, article_id) "
                    "select content_hash, id from articles where id = ?", [article_id])
                self._note_removed_names(article_id)
                for table in ("speakers", "quotes", "claims", "mentions"):
                    self.db.execute(f"delete from {table} where article_id = ?", [article_id])
                self.db["articles"].update(article_id, row)
                action = "replaced"
            else:
                seq = (self.db.execute("select coalesce(max(seq), 0) + 1 from articles").fetchone()[0])
                article_id = self.db["articles"].insert(
                    {**row, "seq": seq, "first_ingested_at": row["ingested_at"]}).last_pk
                action = "added"
            self._insert_parts(article_id, article, linker.link(article_names(article)))
        return UpsertResult(action, article_id, seq)

    def replace_extraction(self, article_id: int, article: Article, *, reparsed: bool) -> None:
        """The article read again (`newsbrief reextract`): its parts replaced in one transaction, its id and
        ingest sequence kept, so nothing counts as new. `reparsed`: read from its file again, so its title,
        lede, headings, body and content hash are replaced too (the same file ingested later is unchanged)."""
        from .linking import Linker

        with self._write():
            linker = Linker(self.db)
            linker.unlink_article(article_id)
            self._note_removed_names(article_id)
            for table in ("speakers", "quotes", "claims", "mentions"):
                self.db.execute(f"delete from {table} where article_id = ?", [article_id])
            if reparsed:
                row = self._article_row(article, content_hash(article))
                row.pop("ingested_at")
                taken = self.db.execute("select id from articles where content_hash = ? and id != ?",
                                        [row["content_hash"], article_id]).fetchone()
                if taken:
                    row.pop("content_hash")  # another stored article reads the same now: keep the old hash
                self.db["articles"].update(article_id, row)
            self._insert_parts(article_id, article, linker.link(article_names(article)))

    def is_stored(self, article: Article) -> bool:
        """The same content (or a version since corrected) is stored: upserting it would change nothing."""
        return self._stored_version(content_hash(article), article.url) is not None

    def _stored_version(self, digest: str, url: str | None) -> tuple[int, int] | None:
        """The stored article with this content (or one since corrected), when it can be the same article.

        Two URLs are two articles, even with the same text (a wire copy at two outlets): a hash
        only counts under the same URL, or where either side has none.
        """
        same_url = "(a.url is null or ? is null or a.url = ?)"
        row = self.db.execute(
            f"select a.id, a.seq from articles a where a.content_hash = ? and {same_url} limit 1",
            [digest, url, url]).fetchone()
        if row is None:
            row = self.db.execute(
                f"select a.id, a.seq from superseded s join articles a on a.id = s.article_id"
                f" where s.content_hash = ? and {same_url}", [digest, url, url],
            ).fetchone()
        return tuple(row) if row else None

    def _earlier_version(self, article: Article) -> tuple[int, int] | None:
        """The article this one corrects: the same URL; or, where either has no URL, the same outlet,
        title and date. Never one under another URL."""
        if article.url:
            row = self.db.execute("select id, seq from articles where url = ? limit 1", [article.url]).fetchone()
            if row:
                return row
        if article.title and article.published:
            row = self.db.execute(
                "select id, seq from articles where lower(title) = lower(?) and published = ? and outlet is ?"
                " and (url is null or ? is null) limit 1",
                [article.title, _iso(article.published), article.outlet, article.url],
            ).fetchone()
            if row:
                return row
        return None

    def _note_replaced_quotes(self, article_id: int) -> None:
        """Before a correction deletes an article's quotes: who said what in the version it replaces, and that
        version's feed position (briefs/follows.py: what was stored before a chat followed is not news to it).
        A version stored before following existed (m009) counts as older than every follow."""
        version = self.db.execute("select feed from article_versions where article_id = ?", [article_id]).fetchone()
        feed = version[0] if version else 0
        self.db.conn.executemany(
            "insert or ignore into replaced_quotes (article_id, person_id, key, feed) values (?, ?, ?, ?)",
            [(article_id, person_id, fold(text or ""), feed) for person_id, text in self.db.execute(
                "select person_id, text from quotes where article_id = ? and person_id is not null", [article_id])])

    def _note_removed_names(self, article_id: int) -> None:
        """Before a correction deletes an article's parts: the names they held, for the name index to re-check."""
        self.db.execute(
            "insert or replace into removed_names (norm)"
            " select norm from speakers where article_id = ? and norm is not null"
            " union select speaker_norm from quotes where article_id = ? and speaker_norm is not null"
            " union select norm from mentions where article_id = ? and norm is not null",
            [article_id] * 3)

    @staticmethod
    def _article_row(article: Article, digest: str) -> dict:
        return {
            "source_id": article.id, "source": article.source, "outlet": article.outlet, "url": article.url,
            "title": article.title, "section": article.section, "published": _iso(article.published),
            "lede": article.lede, "headings": json.dumps(article.headings, ensure_ascii=False),
            "body": article.body, "content_hash": digest,
            "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

    def _insert_parts(self, article_id: int, article: Article, people: dict[str, int | None]) -> None:
        for table, rows in self._parts_rows(article_id, article, people).items():
            self.db[table].insert_all(rows, ignore=table == "mentions")

    @staticmethod
    def _parts_rows(article_id: int, article: Article, people: dict[str, int | None]) -> dict[str, list[dict]]:
        def norm_of(name: str | None) -> str | None:
            return fold(name) if name else None

        return {
            "speakers": [
                {"article_id": article_id, "name": s.name, "norm": fold(s.name), "description": s.description,
                 "aliases": json.dumps(s.aliases, ensure_ascii=False), "kind": s.kind,
                 "person_id": people.get(fold(s.name))}
                for s in article.speakers
            ],
            "quotes": [
                {"article_id": article_id, "position": i, "speaker": q.speaker,
                 "speaker_norm": norm_of(q.speaker), "text": q.text, "kind": q.kind, "lead": q.lead,
                 "start": q.start, "end": q.end, "person_id": people.get(norm_of(q.speaker))}
                for i, q in enumerate(article.quotes)
            ],
            "claims": [
                {"article_id": article_id, "position": i, "speaker": c.speaker,
                 "speaker_norm": norm_of(c.speaker), "source": c.source, "text": c.text,
                 "lead": c.lead, "score": c.score, "person_id": people.get(norm_of(c.speaker))}
                for i, c in enumerate(article.claims)
            ],
            "mentions": [{"article_id": article_id, "name": name, "norm": fold(name)} for name in article.mentions],
        }

    def bulk_insert(self, articles: Iterable[Article], *, batch_size: int = 1000) -> int:
        """Many new articles fast (benchmarks, imports): one transaction per batch; returns how many were added.

        An article whose content is already stored (or repeated in the input) is skipped;
        corrections are not looked for (`upsert_article` does that). The FTS5 triggers run
        as usual, so search sees the articles, quotes and claims.
        """
        added = 0
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                added += self._insert_batch(batch)
                batch = []
        if batch:
            added += self._insert_batch(batch)
        return added

    def _insert_batch(self, batch: list[Article]) -> int:
        from .linking import Linker

        hashes = [content_hash(a) for a in batch]
        with self._write():
            linker = Linker(self.db)
            seen: set[str] = set()
            for i in range(0, len(hashes), 500):
                part = hashes[i:i + 500]
                marks = ",".join("?" * len(part))
                seen.update(r[0] for r in self.db.execute(
                    f"select content_hash from articles where content_hash in ({marks}) "
                    f"union select content_hash from superseded where content_hash in ({marks})", part + part))
            next_id, next_seq = self.db.execute(
                "select coalesce(max(id), 0) + 1, coalesce(max(seq), 0) + 1 from articles").fetchone()
            rows: dict[str, list[dict]] = {"articles": [], "speakers": [], "quotes": [], "claims": [], "mentions": []}
            for article, digest in zip(batch, hashes):
                if digest in seen:
                    continue
                seen.add(digest)
                row = self._article_row(article, digest)
                rows["articles"].append(
                    {**row, "id": next_id, "seq": next_seq, "first_ingested_at": row["ingested_at"]})
                for table, part_rows in self._parts_rows(next_id, article, linker.link(article_names(article))).items():
                    rows[table] += part_rows
                next_id += 1
                next_seq += 1
            live: dict[int, int] = {}  # a person merged later in the batch: its rows not yet written follow it
            for table in ("speakers", "quotes", "claims"):
                for row in rows[table]:
                    if row["person_id"] is not None:
                        pid = row["person_id"]
                        row["person_id"] = live[pid] if pid in live else live.setdefault(pid, linker.live(pid))
            for table, table_rows in rows.items():
                if table_rows:  # plain executemany: sqlite-utils' insert_all costs more than the inserts here
                    columns = list(table_rows[0])
                    self.db.conn.executemany(
                        f"insert {'or ignore ' if table == 'mentions' else ''}into [{table}] "
                        f"({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))})",
                        [tuple(row[c] for c in columns) for row in table_rows],
                    )
        return len(rows["articles"])

    # -- reading ---------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return {t: self.db[t].count for t in ("articles", "speakers", "quotes", "claims", "mentions")}

    def max_seq(self) -> int:
        return self.db.execute("select coalesce(max(seq), 0) from articles").fetchone()[0]


def article_names(article: Article):
    """What linking reads from an article: its speakers, the names its quotes and claims give, its body."""
    from .linking import ArticleNames

    others = [q.speaker for q in article.quotes if q.speaker] + [c.speaker for c in article.claims if c.speaker]
    return ArticleNames([(s.name, s.description, list(s.aliases), s.kind) for s in article.speakers], others,
                        article.text)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat() if value else None


_FTS_WORD_RE = re.compile(r"\w+", re.UNICODE)


def fts_query(user_text: str, *, prefix_last: bool = False) -> str | None:
    """User words -> a safe FTS5 MATCH expression: each word quoted, all required.

    FTS5 syntax typed by a user (quotes, AND, *, -, parentheses) is read as
    plain words, so no input can make the query fail.
    """
    words = _FTS_WORD_RE.findall(user_text)[:12]
    if not words:
        return None
    terms = [f'"{w}"' for w in words]
    if prefix_last:
        terms[-1] += "*"
    return " ".join(terms)
