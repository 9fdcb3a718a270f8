"""File text -> Article(s).

One small reader per format, tried in order (as feedparser does): JSON Lines,
the scraper's layout (`date YYYY-MM-DD Section` header, the article twice),
then plain text. Each reader locates the article's blocks (lede, paragraphs,
headings, bullets) as offsets into the decoded text, so that quotes found
later can point back into exactly the text that was read.
"""
from __future__ import annotations

import codecs
import json
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .models import Article, ArticleError, Block
from .titles import is_byline, is_headline, looks_like_title

MAX_FILE_BYTES = 20 * 1024 * 1024  # an article is kilobytes; anything this big is not one
MAX_LINE_CHARS = 200_000  # longer "paragraphs" are not prose; they are cut to keep extraction bounded
# A long article has a few hundred blocks and well under 100k characters. Past these bounds
# the rest of a file is not read as blocks (the text is kept), so that extraction time per
# file stays bounded (100k one-line "bullets" took minutes through a spaCy extractor).
MAX_BLOCKS = 2_000
MAX_BODY_CHARS = 1_000_000

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

# The section is taken whole and stripped in code: a lazy `(.*?)\s*$` is quadratic on a run of spaces.
HEADER_RE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})(.*)$")
STAMP_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s+GMT\s+(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
# The name after the cue stays on its line, and a period ends it unless a letter follows ("U.S").
OUTLET_CUE_RE = re.compile(
    r"\b(?:tells|told|said to|speaking to|in an interview with)[ \t]+"
    r"([A-Z][\w&'-]*(?:\.(?=\w)[\w&'-]*)*(?:[ \t]+[A-Z][\w&'-]*(?:\.(?=\w)[\w&'-]*)*){0,2})")
# "X lists several options:" introduces bullets; it is prose, not a heading.
INTRO_VERB_RE = re.compile(
    r"\b(?:lists?|listed|says?|said|notes?|noted|explains?|explained|adds?|added|outlines?|outlined|"
    r"suggests?|suggested|argues?|argued|tells?|told|include[sd]?|including|are|were|is|was|named|cites?|cited|"
    r"points? out|warns?|warned|believes?|highlights?|highlighted|following)\b",
    re.I,
)
_FINAL_PUNCT = ".!…\"”’'»"


@dataclass
class Parsed:
    """What one file gave: its articles, and the reasons parts of it could not be read."""

    articles: list[Article] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (JSON Lines line number, reason)


# -- decoding -----------------------------------------------------------------

def decode_bytes(data: bytes) -> str:
    """Bytes -> text, honouring a BOM; NUL bytes or no usable encoding -> ArticleError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ArticleError(f"not valid {encoding} despite its byte-order mark ({exc.reason})") from None
            break
    else:
        if b"\x00" in data:
            raise ArticleError("not a text file (contains NUL bytes)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data)
    if "\x00" in text:
        raise ArticleError("not a text file (contains NUL characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_legacy(data: bytes) -> str:
    from charset_normalizer import from_bytes  # only non-UTF-8 files pay for the import

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ArticleError("not a text file (no text encoding fits its bytes)")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ArticleError("not a text file (no text encoding fits its bytes)") from None
    control = sum(1 for ch in text[:10_000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > len(text[:10_000]) * 0.05:
        raise ArticleError("not a text file (mostly control characters)")
    return text


def read_path(path: Path) -> Parsed:
    """Read one file into articles. Never raises for a bad file: errors are reported in `Parsed`."""
    try:
        info = path.stat()  # follows symlinks: a symlink loop is an OSError (ELOOP) named below
        if stat.S_ISDIR(info.st_mode):
            return Parsed(errors=[(None, "is a directory")])
        if not stat.S_ISREG(info.st_mode):
            return Parsed(errors=[(None, "not a regular file (a pipe, device or socket)")])
        size = info.st_size
        if size > MAX_FILE_BYTES:
            return Parsed(errors=[(None, f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)")])
        data = path.read_bytes()
    except FileNotFoundError:
        return Parsed(errors=[(None, "no such file or directory")])
    except OSError as exc:
        return Parsed(errors=[(None, f"cannot read: {exc.strerror or exc}")])
    try:
        text = decode_bytes(data)
    except ArticleError as exc:
        return Parsed(errors=[(None, str(exc))])
    return parse_text(
        text, stem=_printable(path.stem), source=_printable(str(path)),
        jsonl=path.suffix.lower() in (".jsonl", ".ndjson"),
    )


def parse_text(text: str, *, stem: str, source: str, jsonl: bool | None = None) -> Parsed:
    if not text.strip():
        return Parsed(errors=[(None, "empty file")])
    if jsonl or (jsonl is None and text.lstrip().startswith("{")):
        return parse_jsonl(text, stem=stem, source=source)
    for reader in (read_scraper_layout, read_plain_text):
        article = reader(text, stem=stem, source=source)
        if article is not None:
            if not article.blocks and not article.title:
                return Parsed(errors=[(None, "no article text found (only a header line)")])
            return Parsed(articles=[article])
    return Parsed(errors=[(None, "no article text found")])


# -- formats --------------------------------------------------------------------

def parse_jsonl(text: str, *, stem: str, source: str) -> Parsed:
    parsed = Parsed()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.errors.append((number, f"not JSON ({exc.msg})"))
            continue
        except RecursionError:
            parsed.errors.append((number, "not JSON (too deeply nested)"))
            continue
        except ValueError:  # e.g. an integer of more than 4300 digits
            parsed.errors.append((number, "not JSON (a number too long to read)"))
            continue
        try:
            parsed.articles.append(article_from_record(record, id=f"{stem}:{number}", source=source))
        except ArticleError as exc:
            parsed.errors.append((number, str(exc)))
    if not parsed.articles and not parsed.errors:
        parsed.errors.append((None, "empty file"))
    return parsed


def article_from_record(record: object, *, id: str, source: str) -> Article:
    if not isinstance(record, dict):
        raise ArticleError("not a JSON object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise ArticleError('missing "text"')
    for key in ("title", "published", "section", "url", "source"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ArticleError(f'"{key}" must be a string')
    record = {key: _printable(value) if isinstance(value, str) else value for key, value in record.items()}
    body = record["text"].replace("\r\n", "\n").replace("\r", "\n")
    published = None
    if record.get("published"):
        published = parse_iso_datetime(record["published"])
        if published is None:
            raise ArticleError(f'"published" is not a usable ISO 8601 date: {record["published"][:40]!r}')
    article = Article(
        id=id,
        source=source,
        text=body,
        title=_clean(record.get("title")),
        section=_clean(record.get("section")),
        url=_clean(record.get("url")),
        outlet=_clean(record.get("source")),
        published=published,
    )
    article.blocks = classify_lines(body, 0, len(body))
    _finish(article)
    return article


def read_scraper_layout(text: str, *, stem: str, source: str) -> Article | None:
    first_nl = text.find("\n")
    header = HEADER_RE.match(text if first_nl < 0 else text[:first_nl])
    if not header:
        return None
    year, month, day, section = header.groups()
    section = section.strip()
    lines = _lines_with_offsets(text)
    content = [(s, e) for s, e in lines[1:] if text[s:e].strip()]
    title = text[content[0][0]:content[0][1]].strip() if content else None

    published = None
    try:
        published = datetime(int(year), int(month), int(day), tzinfo=timezone.utc)
    except ValueError:
        pass

    # The full copy: the title line again, then the stamp. Without it the
    # flattened summary copy is all there is, and it is read as it stands.
    body_from = None
    nonblank = [i for i, (s, e) in enumerate(lines) if i >= 3 and text[s:e].strip()]
    for i, nxt in zip(nonblank, nonblank[1:]):  # each line and the next non-blank one: linear however often the title recurs
        s, e = lines[i]
        if title and text[s:e].strip() == title and STAMP_RE.match(text[lines[nxt][0]:lines[nxt][1]]):
            body_from = i
            break
    article = Article(id=stem, source=source, text=text, title=title, section=section or None)
    if body_from is not None:
        blocks = [Block("title", *lines[body_from])]
        rest = lines[body_from + 1:]
        stamp = next(((s, e) for s, e in rest if text[s:e].strip()), None)
        if stamp:
            blocks.append(Block("stamp", *_strip_span(text, *stamp)))
            published = _stamp_datetime(STAMP_RE.match(text[stamp[0]:stamp[1]])) or published
            blocks += classify_lines(text, stamp[1], len(text))
    else:
        start = content[2][0] if len(content) > 2 else len(text)  # after the title printed twice
        blocks = classify_lines(text, start, len(text))
    article.blocks = blocks
    article.published = published
    _finish(article)
    return article


def read_plain_text(text: str, *, stem: str, source: str) -> Article | None:
    lines = [(s, e) for s, e in _lines_with_offsets(text) if text[s:e].strip()]
    if not lines:
        return None
    article = Article(id=stem, source=source, text=text)
    first = text[lines[0][0]:lines[0][1]].strip()
    if len(lines) > 1 and is_byline(first):
        article.blocks = [Block("stamp", *_strip_span(text, *lines[0]))] + classify_lines(text, lines[0][1], len(text))
    else:
        start = 0
        if len(lines) > 1 and is_headline(first):
            article.title = first[:-1].rstrip() if first.endswith(";") else first
            start = lines[0][1]
        article.blocks = classify_lines(text, start, len(text))
    _finish(article)
    return article


# -- blocks -----------------------------------------------------------------------

def classify_lines(text: str, start: int, end: int) -> list[Block]:
    """Non-blank lines of text[start:end] -> blocks: lede, paragraph, heading, intro, bullet.

    A bullet is a short line without a final period under a heading or under an
    intro sentence ending in ':' (or after another bullet). A heading is a short
    line without a final period that reads like a title, or a short question or
    label ending in '?' or ':'.
    """
    blocks: list[Block] = []
    spans = [_strip_span(text, s, e) for s, e in _lines_with_offsets(text, start, end)]
    spans = [(s, e) for s, e in spans if e > s]
    budget = MAX_BODY_CHARS
    for index, (s, e) in enumerate(spans):
        if len(blocks) >= MAX_BLOCKS or budget <= 0:
            break
        if e - s > min(MAX_LINE_CHARS, budget):
            e = s + min(MAX_LINE_CHARS, budget)
        budget -= e - s
        line = text[s:e]
        previous = blocks[-1].kind if blocks else None
        followed_by_blank = index + 1 < len(spans) and "\n\n" in text[e:spans[index + 1][0]].replace(" ", "")
        kind = line_kind(line, previous, followed_by_blank, first=not blocks)
        blocks.append(Block(kind, s, e))
    return blocks


def line_kind(line: str, previous: str | None, followed_by_blank: bool, *, first: bool) -> str:
    """One line's block kind, from its shape, the kind before it and whether a blank line follows."""
    short = len(line) <= 160 and len(line.split()) <= 25
    if first:
        return "lede"
    if short and line.endswith(":"):
        return "intro" if INTRO_VERB_RE.search(line[:-1]) else "heading"
    if short and line.endswith("?") and len(line.split()) <= 14:
        return "heading"
    if short and line[-1] not in _FINAL_PUNCT and line[-1] not in "?:;,":
        if looks_like_title(line) and (followed_by_blank or previous not in ("heading", "intro", "bullet")):
            return "heading"
        if previous in ("heading", "intro", "bullet"):
            return "bullet"
        if looks_like_title(line):
            return "heading"
    return "paragraph"


# -- helpers ----------------------------------------------------------------------

def _finish(article: Article) -> None:
    """Fields derived from the blocks: lede, headings, outlet cue."""
    text = article.text
    lede = next((b for b in article.blocks if b.kind == "lede"), None)
    article.lede = text[lede.start:lede.end] if lede else None
    article.headings = [text[b.start:b.end] for b in article.blocks if b.kind == "heading"]
    if article.outlet is None:
        article.outlet = detect_outlet(article.body)


def detect_outlet(body: str) -> str | None:
    """A publisher named by a recurring cue such as "tells Sputnik" (two or more times)."""
    counts: dict[str, int] = {}
    for match in OUTLET_CUE_RE.finditer(body[:200_000]):
        name = match.group(1).rstrip(".")
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count >= 2 else None


def parse_iso_datetime(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    try:
        parsed.astimezone(timezone.utc)  # stored in UTC: year 9999 at -05:00 has no UTC form
    except OverflowError:
        return None
    return parsed


def _stamp_datetime(match: re.Match | None) -> datetime | None:
    if not match:
        return None
    hour, minute, day, month, year = map(int, match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)
    except ValueError:
        return None


def _lines_with_offsets(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    spans = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            spans.append((pos, end))
            break
        spans.append((pos, nl))
        pos = nl + 1
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _printable(value: str) -> str:
    """Lone surrogates (JSON "\\ud800" escapes, undecodable file names) -> U+FFFD, one for one.

    They cannot be written as UTF-8 (to the store or stdout); replacing each
    code point by one keeps every offset into the text valid.
    """
    if not _SURROGATE_RE.search(value):
        return value
    return _SURROGATE_RE.sub("\ufffd", value)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None
