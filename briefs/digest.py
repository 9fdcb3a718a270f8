"""What a chat's digest holds since its marker, budgeted to one Telegram message.

A digest covers the articles with `marker < seq <= to_seq` that match the
chat's filters, newest first. Each item: title, a one-line lede, the top quote
with its speaker (a direct quote in quotation marks, a reported one never),
and `/article_<id>`. What does not fit under 4096 characters is behind a
"More" button whose callback data carries the range, the offset and a short
key of the filters (`dg:<from>:<to>:<offset>:<key>`), so it works after a
restart.

Filters (`/subscribe ... who:Doctorow topic:sanctions`):
- `who:NAME` follows a speaker: articles that quote, or list among their
  speakers, any person one of whose names (as any article wrote it) holds all
  the words, or a speaker written with them. Case- and accent-insensitive; whole
  words (`who:Doctorow`, `who:"Hall Gardner"`, `who:hall_gardner`).
- `topic:WORDS` follows a topic: articles whose title, lede or text contain all
  the words (`topic:sanctions`, `topic:"oil price"`).
- Several filters: an article matching any of them is in the digest.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .people import candidates
from .store import Store, fold, fts_query
from .text import esc, tg_len

LIMIT = 4096
LATEST_PREVIEW = 10  # /digest without a subscription (or in the console) shows the latest this many
CALLBACK_PREFIX = "dg"
_TOKEN_RE = re.compile(r'(\w+):(?:"([^"]*)"|\u201c([^\u201d]*)\u201d|(\S+))|"([^"]*)"|\u201c([^\u201d]*)\u201d|(\S+)')
_LEDE_CHARS = 220
_QUOTE_CHARS = 260
_TITLE_CHARS = 200


class FilterError(ValueError):
    """A filter a user typed that cannot be used; the message is for users."""


@dataclass(frozen=True)
class Filters:
    who: tuple[str, ...] = ()  # folded names
    topics: tuple[str, ...] = ()  # folded words (a topic may hold several words)

    def __bool__(self) -> bool:
        return bool(self.who or self.topics)

    def canonical(self) -> str:
        """The stored form, also what the user sees: 'who:"hall gardner" topic:sanctions'."""
        parts = [f"who:{_quoted(w)}" for w in self.who] + [f"topic:{_quoted(t)}" for t in self.topics]
        return " ".join(parts)

    @property
    def key(self) -> str:
        """8 hex characters naming these filters in callback data ('-' for none)."""
        if not self:
            return "-"
        return hashlib.sha1(self.canonical().encode()).hexdigest()[:8]

    @classmethod
    def parse(cls, text: str) -> "Filters":
        return cls.from_tokens(tokenize(text))

    @classmethod
    def from_tokens(cls, tokens: list[str]) -> "Filters":
        who: list[str] = []
        topics: list[str] = []
        for token in tokens:
            kind, _, value = token.partition(":")
            if not _ or kind.lower() not in ("who", "topic"):
                raise FilterError(
                    f"I can't read {token!r} as a filter. Filters look like who:NAME or topic:WORDS "
                    '(several words in quotes: who:"First Last").'
                )
            # quotation marks inside a value could not be read back from the stored form
            value = " ".join(fold(value.replace("_", " ")).replace('"', " ").split())
            if not value or not re.search(r"\w", value):
                raise FilterError(f"{kind}: needs a name or words after it, for example {kind.lower()}:{'NAME' if kind.lower() == 'who' else 'WORDS'}.")
            target = who if kind.lower() == "who" else topics
            if value not in target:
                target.append(value)
        if len(who) + len(topics) > 10:
            raise FilterError("At most 10 filters, please.")
        return cls(tuple(sorted(who)), tuple(sorted(topics)))


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


def tokenize(text: str) -> list[str]:
    """Split on spaces, keeping "quoted phrases" (also typographic quotes) together.

    `who:"Hall Gardner"` stays one token, `who:Hall Gardner` is two.
    """
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        if m[1] is not None:
            value = next(v for v in (m[2], m[3], m[4]) if v is not None)
            tokens.append(f"{m[1]}:{value}")
        else:
            tokens.append(next(v for v in (m[5], m[6], m[7]) if v is not None))
    return tokens


def remember_filters(store: Store, filters: Filters) -> str:
    """Store the filters under their short key (for "More" buttons after a restart)."""
    if filters:
        store.db["digest_filters"].insert({"key": filters.key, "filters": filters.canonical()}, replace=True)
    return filters.key


def filters_for_key(store: Store, key: str) -> Filters | None:
    if key == "-":
        return Filters()
    row = store.db.execute("select filters from digest_filters where key = ?", [key]).fetchone()
    return Filters.parse(row[0]) if row else None


# -- selecting -----------------------------------------------------------------------


def matching_ids(store: Store, from_seq: int, to_seq: int, filters: Filters) -> list[int]:
    """Ids of the articles in (from_seq, to_seq] matching the filters, newest first."""
    where = ["a.seq > ?", "a.seq <= ?"]
    params: list = [from_seq, to_seq]
    alternatives = []
    for name in filters.who:
        words = name.split()
        # every identity any of whose names holds all the words (briefs/people.py), looked up now: a person linked
        # or merged after the filter was stored counts too
        people = candidates(store, name)[:500]
        if people:
            marks = ",".join("?" * len(people))
            alternatives.append(
                f"exists (select 1 from quotes where article_id = a.id and person_id in ({marks}))"
                f" or exists (select 1 from speakers where article_id = a.id and person_id in ({marks}))")
            params += people + people
        # whole words of the name: who:li must not match "William"
        speaker_test = " and ".join(["instr(' ' || norm || ' ', ?) > 0"] * len(words))
        quote_test = " and ".join(["instr(' ' || speaker_norm || ' ', ?) > 0"] * len(words))
        # correlated (per article in the seq range, by the article_id indexes): `a.id in (select ...)`
        # scanned all 1M quotes for every digest composed
        alternatives.append(
            f"exists (select 1 from quotes where article_id = a.id and {quote_test})"
            f" or exists (select 1 from speakers where article_id = a.id and {speaker_test})"
        )
        padded = [f" {word} " for word in words]
        params += padded + padded
    for topic in filters.topics:
        query = fts_query(topic)
        if query:
            # one rowid looked up in the match (not every matching rowid of a common word, 70k of 100k)
            alternatives.append("exists (select 1 from articles_fts where articles_fts match ? and rowid = a.id)")
            params.append(query)
    if filters and not alternatives:
        return []
    if alternatives:
        where.append("(" + " or ".join(f"({a})" for a in alternatives) + ")")
    sql = f"select a.id from articles a where {' and '.join(where)} order by a.seq desc"
    return [row[0] for row in store.db.execute(sql, params).fetchall()]


@dataclass
class Item:
    id: int
    title: str | None
    outlet: str | None
    lede: str | None
    quote: str | None
    speaker: str | None
    kind: str | None


def load_items(store: Store, ids: list[int]) -> list[Item]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r[0]: r for r in store.db.execute(
        f"select id, title, outlet, lede, body from articles where id in ({marks})", ids).fetchall()}
    quotes: dict[int, tuple] = {}
    for article_id, text, speaker, kind, position in store.db.execute(
        f"""select q.article_id, coalesce(q.lead || ' ', '') || q.text, coalesce(p.name, q.speaker), q.kind, q.position
            from quotes q left join people p on p.id = q.person_id
            where q.article_id in ({marks}) and q.speaker is not null and trim(q.text) != ''
            order by q.article_id, q.kind = 'direct' desc, q.position""", ids).fetchall():
        quotes.setdefault(article_id, (text, speaker, kind))
    items = []
    for article_id in ids:
        _, title, outlet, lede, body = rows[article_id]
        if not lede and body:
            lede = body.strip().split("\n", 1)[0]
        text, speaker, kind = quotes.get(article_id, (None, None, None))
        items.append(Item(article_id, title, outlet, lede, text, speaker, kind))
    return items


# -- rendering -----------------------------------------------------------------------


def _one_line(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return text


def render_item(item: Item) -> str:
    title = _one_line(item.title, _TITLE_CHARS) or f"Article {item.id}"
    lines = [f"<b>{esc(title)}</b>" + (f" · {esc(_one_line(item.outlet, 60))}" if item.outlet else "")]
    lede = _one_line(item.lede, _LEDE_CHARS)
    if lede:
        lines.append(esc(lede))
    if item.quote and item.speaker:
        quote = _one_line(item.quote.strip().strip('"\u201c\u201d'), _QUOTE_CHARS)
        if item.kind == "direct":
            lines.append(f"<i>\u201c{esc(quote)}\u201d</i> \u2014 {esc(item.speaker)}")
        else:
            lines.append(f"<i>reported:</i> {esc(quote)} \u2014 {esc(item.speaker)}")  # never in quotation marks
    lines.append(f"/article_{item.id}")
    return "\n".join(lines)


@dataclass
class DigestMessage:
    """One message of a digest: Telegram HTML and rows of (label, callback data) buttons."""

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)
    shown: int = 0  # articles in this message
    total: int = 0  # articles in the whole digest
    empty: bool = False


def callback_data(from_seq: int, to_seq: int, offset: int, key: str) -> str:
    data = f"{CALLBACK_PREFIX}:{from_seq}:{to_seq}:{offset}:{key}"
    assert len(data.encode()) < 64, data
    return data


def parse_callback(data: str) -> tuple[int, int, int, str] | None:
    match = re.fullmatch(rf"{CALLBACK_PREFIX}:([0-9]{{1,15}}):([0-9]{{1,15}}):([0-9]{{1,9}}):([0-9a-f]{{8}}|-)", data)
    if not match:
        return None
    return int(match[1]), int(match[2]), int(match[3]), match[4]


def compose(
    store: Store,
    from_seq: int,
    to_seq: int,
    filters: Filters = Filters(),
    offset: int = 0,
    *,
    title: str = "Your daily digest",
    limit: int = LIMIT,
    fresh: bool = True,
) -> DigestMessage:
    """The digest message for articles in (from_seq, to_seq] from `offset` on, under `limit` characters.

    An empty digest has `empty=True` and a short "nothing new" text (sending it is the caller's choice).
    """
    ids = matching_ids(store, from_seq, to_seq, filters)
    total = len(ids)
    about = f" matching {esc(filters.canonical())}" if filters else ""
    if offset >= total:
        text = f"<b>{esc(title)}</b>\nNothing new{about} since the last digest." if offset == 0 else \
            "That is all: no more articles in this digest."
        return DigestMessage(text, [], 0, total, empty=offset == 0)
    if offset == 0:
        noun = ("new " if fresh else "") + ("article" if total == 1 else "articles")
        head = f"<b>{esc(title)}</b>\n{total} {noun}{about}, newest first.\n"
    else:
        head = f"<b>{esc(title)}</b> (continued, from {offset + 1} of {total})\n"
    reserve = 60  # the "... and n more." line; an item is bounded (~800 characters), so one always fits
    body: list[str] = []
    used = tg_len(head)
    shown = 0
    # load in small batches so a digest of thousands of articles reads only what fits
    position = offset
    while position < total:
        batch = load_items(store, ids[position: position + 20])
        stop = False
        for item in batch:
            block = "\n" + render_item(item) + "\n"
            if used + tg_len(block) > limit - reserve and shown:
                stop = True
                break
            body.append(block)
            used += tg_len(block)
            shown += 1
        position += len(batch)
        if stop:
            break
    rest = total - offset - shown
    buttons = []
    tail = ""
    if rest:
        tail = f"\n… and {rest} more."
        buttons = [[(f"More ({rest})", callback_data(from_seq, to_seq, offset + shown, filters.key))]]
    text = head + "".join(body) + tail
    return DigestMessage(text.rstrip("\n"), buttons, shown, total)


def more(store: Store, data: str, *, chat_id: int | None = None, limit: int = LIMIT) -> DigestMessage | None:
    """The page a "More" button asks for, or None when its data is not a digest's.

    Callback data can be forged (a modified client), and a filter's key is a short hash anyone can
    compute: a page is served only for a range this chat was sent (`deliveries`), this chat's own
    next digest (its /digest preview), or the latest few (the preview without a subscription).
    Anything else would let one press run a full-text match over any number of articles.
    """
    parsed = parse_callback(data)
    if parsed is None:
        return None
    from_seq, to_seq, offset, key = parsed
    filters = filters_for_key(store, key)
    if filters is None or not _may_page(store, chat_id, from_seq, to_seq):
        return DigestMessage("This digest is no longer available; /digest shows what is new.")
    return compose(store, from_seq, to_seq, filters, offset, limit=limit)


def _may_page(store: Store, chat_id: int | None, from_seq: int, to_seq: int) -> bool:
    """Indexed lookups only: is (from_seq, to_seq] a range this chat was shown?"""
    if from_seq >= to_seq or to_seq > store.max_seq():
        return False
    if to_seq - from_seq <= LATEST_PREVIEW:
        return True
    if chat_id is None:
        return False
    return store.db.execute(
        "select exists (select 1 from deliveries where chat_id = ? and seq_from = ? and seq_to = ?)"
        " or exists (select 1 from subscriptions where chat_id = ? and marker = ?)",
        [chat_id, from_seq, to_seq, chat_id, from_seq]).fetchone()[0] == 1
