"""Files and folders -> articles -> the store, reporting each bad file and carrying on."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .models import Article
from .parse import read_path
from .store import store_busy

ARTICLE_SUFFIXES = {".txt", ".jsonl", ".ndjson", ".text", ""}


@dataclass
class FileResult:
    path: Path
    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # each already "PATH: reason" or "PATH:LINE: reason"
    unchanged: int = 0  # articles skipped by `read_file(skip=...)`

    @property
    def failed(self) -> bool:
        return bool(self.errors)


@dataclass
class IngestReport:
    files: int = 0
    failed: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    busy: int = 0  # files not (fully) stored because the store was locked: nothing wrong with them

    def summary(self) -> str:
        text = (
            f"{self.files} file(s) read, {self.failed} failed; articles: {self.added} added, "
            f"{self.replaced} replaced, {self.unchanged} unchanged"
        )
        if self.busy:
            text += f"; {self.busy} file(s) not stored, the store was busy: run the ingest again"
        return text


def iter_article_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each named file, and each article file under each named folder (recursively, sorted).

    Symlinked folders are not followed, so a symlink loop cannot hang the walk.
    A named path that does not exist is still yielded so that its error is reported.
    """
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        for folder, dirs, files in os.walk(path, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                candidate = Path(folder, name)
                if name.startswith(".") or candidate.suffix.lower() not in ARTICLE_SUFFIXES:
                    continue
                yield candidate


def read_file(path: Path, *, skip: Callable[[Article], bool] | None = None) -> FileResult:
    """Parse and extract one file; never raises for a bad file.

    An article for which `skip(article)` is true (already stored, say) is counted in
    `unchanged` and not extracted: re-reading a folder costs parsing, not extraction.
    """
    from .extract import extract  # the extractor's model loads only when something is read

    result = FileResult(path)
    try:
        parsed = read_path(path)
    except Exception as exc:  # a parser bug must not lose the other files either
        result.errors.append(f"{path}: could not be parsed ({type(exc).__name__}: {exc})")
        return result
    for line, reason in parsed.errors:
        result.errors.append(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")
    for article in parsed.articles:
        if skip is not None and skip(article):
            result.unchanged += 1
            continue
        try:
            result.articles.append(extract(article))
        except Exception as exc:  # an extractor bug must not lose the other files
            result.errors.append(f"{path}: extraction failed ({type(exc).__name__}: {exc})")
    return result


def ingest_paths(
    store,
    paths: Iterable[str | Path],
    *,
    on_error: Callable[[str], None] = lambda message: None,
    on_file: Callable[[Path], None] = lambda path: None,
    on_busy: Callable[[str], None] = lambda message: None,
) -> IngestReport:
    """Each file into the store. A locked store is not a bad file: that file and the ones after it
    are reported through `on_busy` (what was stored stays; reading them again is idempotent)."""
    report = IngestReport()
    busy: str | None = None
    for path in iter_article_files(paths):
        if busy is None:
            try:
                result = _store_file(store, path, report)
            except sqlite3.OperationalError as exc:
                if not store_busy(exc):
                    raise
                busy = str(exc)
        if busy is not None:
            report.busy += 1
            on_busy(f"{path}: not stored, the store was busy ({busy}); nothing is wrong with the file")
            on_file(path)
            continue
        report.files += 1
        if result.failed:
            report.failed += 1
            for message in result.errors:
                on_error(message)
        on_file(path)
    return report


def _store_file(store, path: Path, report: IngestReport) -> FileResult:
    """Read one file and upsert its articles; a busy store raises (the caller stops there)."""
    result = read_file(path, skip=store.is_stored)
    report.unchanged += result.unchanged
    for article in result.articles:
        try:
            outcome = store.upsert_article(article)  # one transaction: all of it or nothing
        except (sqlite3.DatabaseError, ValueError, OverflowError, UnicodeError) as exc:
            if store_busy(exc):
                raise
            result.errors.append(f"{path}: {article.id}: not stored ({type(exc).__name__}: {exc})")
            continue
        setattr(report, outcome.action, getattr(report, outcome.action) + 1)
    return result
