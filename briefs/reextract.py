"""Re-read stored articles with the current extractor, in place: the same article ids and ingest
sequence numbers (so no digest counts them as new), their speakers, quotes, claims and mentions
replaced. Each article is read again from its source file when that file still holds it, else
rebuilt from the stored body (one block per line: the lede and headings as stored, the other lines
classified as the parser does, so an intro's bullets stay bullets)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from .models import Article, Block
from .parse import line_kind, read_path
from .store import Store


@dataclass
class ReextractReport:
    done: int = 0
    from_file: int = 0  # read again from the source file (title, lede and blocks re-read too)
    from_store: int = 0  # rebuilt from the stored body

    def summary(self) -> str:
        return (f"re-extracted {self.done} article(s): {self.from_file} from their files, "
                f"{self.from_store} from the stored text")


def article_ids(store: Store, after: int = 0) -> list[int]:
    return [r[0] for r in store.db.execute("select id from articles where id > ? order by id", [after])]


def reextract(store: Store, ids: list[int], on_article: Callable[[int], None] | None = None) -> ReextractReport:
    """Extract each article again and replace its parts; `on_article(id)` after each one is stored."""
    from .extract import extract  # the model loads only when something is read

    report = ReextractReport()
    for article_id in ids:
        article, fresh = _read_again(store, article_id)
        if article is None:
            continue
        store.replace_extraction(article_id, extract(article), reparsed=fresh)
        report.done += 1
        report.from_file += fresh
        report.from_store += not fresh
        if on_article:
            on_article(article_id)
    return report


def _read_again(store: Store, article_id: int) -> tuple[Article | None, bool]:
    row = store.db.execute(
        "select source_id, source, outlet, url, title, section, published, lede, headings, body "
        "from articles where id = ?", [article_id]).fetchone()
    if row is None:
        return None, False
    source_id, source, outlet, url, title, section, published, lede, headings, body = row
    if source and Path(source).is_file():
        try:
            for article in read_path(Path(source)).articles:
                if article.id == source_id:
                    return article, True
        except Exception:  # a file changed into something unreadable: fall back to the stored text
            pass
    return _from_stored(source_id, source, outlet, url, title, section, published, lede,
                        json.loads(headings or "[]"), body or ""), False


def _from_stored(source_id, source, outlet, url, title, section, published, lede, headings, body) -> Article:
    article = Article(id=source_id, source=source, text=body, title=title, section=section, outlet=outlet, url=url,
                      lede=lede, headings=headings,
                      published=datetime.fromisoformat(published) if published else None)
    offset = 0
    heading_set = set(headings)
    for line in body.split("\n"):
        if line.strip():
            previous = article.blocks[-1].kind if article.blocks else None
            if previous is None and line == lede:
                kind = "lede"
            elif line in heading_set:
                kind = "heading"
            else:  # the stored body keeps no blank lines; the stored headings are the only headings
                kind = line_kind(line, previous, False, first=False)
                kind = "paragraph" if kind == "heading" else kind
            article.blocks.append(Block(kind, offset, offset + len(line)))
        offset += len(line) + 1
    return article
