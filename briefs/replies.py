"""Transport-free answers: (store, command, arguments) -> replies (Telegram HTML text and buttons).

The Telegram handlers and the console both call `Replies.answer` for a command
and `Replies.press` for a button. Nothing here knows which adapter asked.

Every text is Telegram HTML with all store and user text escaped, and stays
under Telegram's 4096-character limit. A button's callback data carries all it
needs (under 64 bytes), so a button still works after a restart:

    more:<list>:<offset>:<argument>   the next page of a list
    who:<person key>                  one person's page (key: `queries.person_key`)

A direct quote is shown in quotation marks, a reported one never is.
"""
from __future__ import annotations

import html
import re
import sqlite3
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from . import queries as q
from .reply_parts import (  # noqa: F401 (the reply vocabulary, also imported from here)
    ITEM_CLIP, LATEST_DEFAULT, LATEST_MAX, MAX_CALLBACK_BYTES, MAX_MESSAGE, PAGE_BUDGET, Button, Reply, ReplyContext,
    _article_ref, _fits, _is_number, _more, _n, _pack, _paged, _words_arg, claim_html, claimed_html, clip, first_sentence,
    outlet_voice, parse_command, quote_html, when,
)
from .store import Store
from .text import esc, tg_len
from .examples import Examples, store_examples
from .who import WhoReplies

@dataclass(frozen=True)
class CommandInfo:
    """One command, for /help, the Telegram command menu and the README."""

    name: str
    args: str
    summary: str
    example: str  # a template: {who} {topic} {article} {subscribe} come from the store (briefs/examples.py)
    admin: bool = False

    def example_for(self, examples: Examples) -> str:
        return self.example.format(who=examples.who, topic=examples.topic_or_placeholder,
                                   article=examples.article or "ID", subscribe=examples.subscribe(),
                                   follow=f"/follow {examples.name or 'NAME'}")


COMMANDS: list[CommandInfo] = [
    CommandInfo("latest", "[n]", "the newest articles (default 5, at most 20)", "/latest 3"),
    CommandInfo("who", "[name]", "what a person said; alone: the most quoted people", "{who}"),
    CommandInfo("claims", "[topic or name]", "the most check-worthy recent claims and who made them", "/claims {topic}"),
    CommandInfo("search", "<words>", "search articles, quotes and claims", "/search {topic}"),
    CommandInfo("article", "<id>", "one article's brief (also /article_<id>)", "/article {article}"),
    CommandInfo("digest", "", "a preview of your next daily digest, now", "/digest"),
    CommandInfo("subscribe", "[HH:MM] [Area/City or +HH:MM] [filters]",
                "a daily digest at your local time; filters: who:NAME (a speaker, several words in quotes) "
                "and topic:WORDS, an article matching any of them is in; 'all' clears them",
                "{subscribe}"),
    CommandInfo("unsubscribe", "", "stop the daily digest and delete this chat's subscription data", "/unsubscribe"),
    CommandInfo("settings", "", "your digest's time, zone and filters", "/settings"),
    CommandInfo("follow", "NAME", "a message when this person is newly quoted (a full name works before they are)",
                "{follow}"),
    CommandInfo("following", "", "whom this chat follows, each with an Unfollow button", "/following"),
    CommandInfo("unfollow", "NAME|all", "stop following someone, or everyone", "/unfollow all"),
    CommandInfo("help", "", "all commands, with examples", "/help"),
    CommandInfo("stats", "", "store figures (admins only)", "/stats", admin=True),
]


# -- the answers --------------------------------------------------------------

class Replies(WhoReplies):
    """All answers over one store. Keeps the name index warm between requests."""

    def __init__(self, store: Store):
        self.store = store
        self.names = q.NameIndex(store)
        self.cache = q.StoreCache(store)
        self._about_cache: dict = {}
        self.commands: dict[str, Callable[[str, ReplyContext], list[Reply]]] = {
            "start": self.start,
            "help": self.help,
            "latest": self.latest,
            "who": self.who,
            "claims": self.claims,
            "search": self.search,
            "article": self.article,
            "stats": self.stats,
            # in Telegram the digest commands are answered per chat (bot/digest_handlers.py); these
            # are the answers without a chat (console, `newsbrief ask`)
            "digest": self.digest_preview,
            "subscribe": self.digest_elsewhere,
            "unsubscribe": self.digest_elsewhere,
            "settings": self.digest_elsewhere,
            "follow": self.follow_elsewhere,
            "following": self.follow_elsewhere,
            "unfollow": self.follow_elsewhere,
        }
        self.lists: dict[str, Callable[[int, str, ReplyContext], list[Reply]]] = {
            "latest": self._latest_page,
            "who": self._who_more,
            "cl": self._claims_more,
            "sa": lambda offset, arg, ctx: self._search_section("a", arg, offset, ctx),
            "sq": lambda offset, arg, ctx: self._search_section("q", arg, offset, ctx),
            "sc": lambda offset, arg, ctx: self._search_section("c", arg, offset, ctx),
            "art": self._article_more,
        }

    # entry points
    def answer(self, command: str | None, args: str = "", ctx: ReplyContext | None = None) -> list[Reply]:
        """Answer one command (name without the slash; None for plain text)."""
        ctx = ctx or ReplyContext()
        if command is None:
            ex = self.examples()
            return [Reply(f"Send me a command, for example {esc(ex.who)} or /search {esc(ex.topic_or_placeholder)}. "
                          "/help lists them all.")]
        command = command.lower()
        tap = re.fullmatch(r"article_?(\d{1,12})", command)
        if tap:
            return self.article(tap[1], ctx)
        handler = self.commands.get(command)
        if handler is None:
            return [Reply(f"I don’t know /{esc(clip(command, 40))}. Try /help for the list of commands.")]
        return handler(args or "", ctx)

    def answer_text(self, text: str, ctx: ReplyContext | None = None) -> list[Reply]:
        command, args, _ = parse_command(text)
        return self.answer(command, args, ctx)

    def press(self, data: str, ctx: ReplyContext | None = None) -> list[Reply]:
        """Answer a button press from its callback data."""
        ctx = ctx or ReplyContext()
        parts = (data or "").split(":", 3)
        if parts[0] == "dg":  # a digest's "More" (Telegram routes these to bot/digest_handlers.py)
            from .digest import more

            page = more(self.store, data)
            if page is not None:
                return [Reply(page.text, tuple(tuple(Button(label, d) for label, d in row) for row in page.buttons))]
        if parts[0] == "who" and len(parts) == 2:
            return self._who_button(parts[1], ctx)
        if parts[0] == "more" and len(parts) >= 3 and parts[1] in self.lists and _is_number(parts[2], 9):
            return self.lists[parts[1]](int(parts[2]), parts[3] if len(parts) > 3 else "", ctx)
        return [Reply("That button has expired. Send the command again.")]

    # /start, /help
    def start(self, args: str, ctx: ReplyContext) -> list[Reply]:
        ex = self.examples()
        who = (f"{esc(ex.who)} for what someone said" if ex.name
               else "/who NAME for what someone said (no one is quoted yet: articles come in as they are published)")
        return [Reply(
            "<b>Hello!</b> I brief you on the news: who said what, and which claims are worth checking.\n\n"
            f"Try /latest for the newest articles, {who}, "
            "/claims for the claims to check, or /search with any words.\n\n/help lists every command."
        )]

    def examples(self) -> Examples:
        """Examples for replies from the store (its most quoted person, a frequent word), kept until it changes."""
        return self.cache.get(("examples",), lambda: store_examples(self.store))

    def help(self, args: str, ctx: ReplyContext) -> list[Reply]:
        ex = self.examples()
        lines = ["<b>What I can do</b>"]
        for info in COMMANDS:
            if info.admin and not ctx.is_admin:
                continue
            usage = f"/{info.name}" + (f" {esc(info.args)}" if info.args else "")
            lines.append(f"{usage} — {esc(info.summary)}\n    e.g. <code>{esc(info.example_for(ex))}</code>")
        lines.append("In a list, tap /article_&lt;id&gt; to open an article. "
                     "Direct quotes are in quotation marks; reported speech never is.")
        return [Reply("\n".join(lines))]

    # /latest
    def latest(self, args: str, ctx: ReplyContext) -> list[Reply]:
        arg = args.strip()
        if not arg:
            n = LATEST_DEFAULT
        elif re.fullmatch(r"[+-]?\d{1,9}", arg):
            n = max(1, min(LATEST_MAX, int(arg)))
        else:
            return [Reply(f"Usage: /latest [n] — the newest n articles (1 to {LATEST_MAX}), e.g. /latest 3")]
        return self._latest_page(0, str(n), ctx)

    def _latest_page(self, offset: int, arg: str, ctx: ReplyContext) -> list[Reply]:
        n = max(1, min(LATEST_MAX, int(arg))) if _is_number(arg, 3) else LATEST_DEFAULT
        rows = q.latest_articles(self.store, n + 1, offset)
        if not rows:
            return [Reply("No articles yet." if offset == 0 else "No older articles.")]
        has_more, rows = len(rows) > n, rows[:n]
        quoted = q.quoted_names(self.store, [r.id for r in rows])
        items = []
        for i, row in enumerate(rows, start=offset + 1):
            meta = " · ".join(esc(x) for x in (when(row.published, ctx.tz), row.section, row.outlet) if x)
            lines = [f"<b>{i}. {esc(clip(row.title or 'Untitled', 200))}</b>", meta]
            if row.lede:
                lines.append(esc(first_sentence(row.lede)))
            names = quoted.get(row.id) or []
            if names:
                shown = ", ".join(esc(clip(name, 60)) for name in names[:6]) + (" …" if len(names) > 6 else "")
                lines.append(f"Quoted: {shown}")
            lines.append(f"Open: /article_{row.id}")
            items.append("\n".join(lines))
        head = "<b>Latest articles</b>" if offset == 0 else f"<b>Older articles</b> (from {offset + 1})"
        replies = []
        while items:
            text, used = _pack(head, items)
            replies.append(Reply(text))
            items, head = items[used:], ""
        if has_more:
            last = replies[-1]
            replies[-1] = Reply(last.text, _more(f"more:latest:{offset + n}:{n}", "Older"))
        return replies

    # /claims
    def claims(self, args: str, ctx: ReplyContext) -> list[Reply]:
        arg = args.strip()
        if not arg:
            return self._claims_page("r", "", 0, ctx)
        match = self.names.lookup(arg)
        if match.exact and match.people[0].pid is not None:
            return self._claims_page("p", match.people[0].key, 0, ctx)
        words = _words_arg(arg)
        if not words:
            ex = self.examples()
            return [Reply(f"Usage: /claims [topic or name], e.g. /claims {esc(ex.topic_or_placeholder)} "
                          f"or /claims {esc(ex.name or 'NAME')}")]
        found = self._claims_page("t", words, 0, ctx)
        if found is not None:
            return found
        if match.unique and match.people[0].pid is not None:
            return self._claims_page("p", match.people[0].key, 0, ctx)
        return [Reply(f"No claims about “{esc(clip(arg, 80))}” yet. Try other words, or /claims alone.")]

    def _claims_more(self, offset: int, arg: str, ctx: ReplyContext) -> list[Reply]:
        mode, _, value = arg.partition(":")
        page = self._claims_page(mode, value, offset, ctx)
        return page if page is not None else [Reply("No more claims.")]

    def _claims_page(self, mode: str, value: str, offset: int, ctx: ReplyContext) -> list[Reply] | None:
        page = 10
        if mode == "p":
            person = self.names.entry(value)
            if person is None or person.pid is None:
                return [Reply("That name is no longer in the briefs.")]
            rows = q.person_claims(self.store, person.pid, page + 1, offset)
            name = esc(clip(person.name, 100))
            if not rows and offset == 0:
                return [Reply(f"No claims by {name} yet. /who {name} shows what they said.")]
            head = f"<b>Claims by {name}</b>, most check-worthy first"
        elif mode == "t":
            rows = q.topic_claims(self.store, value, page + 1, offset)
            if not rows and offset == 0:
                return None
            head = f"<b>Claims about “{esc(value)}”</b>, most check-worthy first"
        else:
            rows = self.cache.get(("recent_claims", page, offset), lambda: q.recent_claims(self.store, page + 1, offset))
            head = "<b>The most check-worthy recent claims</b>"
        if not rows:
            return [Reply("No claims yet." if offset == 0 else "No more claims.")]
        if offset:
            head += f" (from {offset + 1})"
        items = [self._claim_item(c, ctx) for c in rows[:page]]
        text, used = _pack(head, items)
        has_more = used < len(rows)
        return [_paged(text, f"more:cl:{offset + used}:{mode}:{value}" if has_more else None)]

    @staticmethod
    def _claim_item(claim: q.ClaimRow, ctx: ReplyContext) -> str:
        if claim.source == "speaker" and claim.speaker:
            who = f"<b>{esc(clip(claim.speaker, 80))}</b>" + ("" if claim.lead else " claims")
        else:
            who = f"<b>{esc(outlet_voice(claim.outlet))}</b>"
        return (f"• {claimed_html(who, claim)} "
                f"<i>[{claim.score:.2f}]</i>\n  {_article_ref(claim.title, claim.published, claim.article_id, ctx.tz)}")

    # /search
    def search(self, args: str, ctx: ReplyContext) -> list[Reply]:
        words = _words_arg(args)
        if not words:
            return [Reply(f"Usage: /search &lt;words&gt;, e.g. /search {esc(self.examples().topic_or_placeholder)}")]
        per = 4
        try:
            articles = q.search_articles(self.store, words, per + 1)
            quotes = q.search_quotes(self.store, words, per + 1)
            claims = q.search_claims(self.store, words, per + 1)
        except sqlite3.OperationalError:
            return [Reply(f"I could not search for “{esc(clip(args, 80))}”. Try plain words.")]
        if not (articles or quotes or claims):
            return [Reply(f"Nothing found for “{esc(clip(words, 80))}”. Try fewer or other words.")]
        text = f"<b>Search: {esc(words)}</b> (newest first)"
        buttons: list[tuple[Button, ...]] = []
        sections = (
            ("a", "Articles", articles, lambda rows: [self._article_hit(r, ctx) for r in rows]),
            ("q", "Quotes", quotes, lambda rows: [self._quote_hit(r, ctx) for r in rows]),
            ("c", "Claims", claims, lambda rows: [self._claim_item(r, ctx) for r in rows]),
        )
        share = (PAGE_BUDGET - tg_len(text)) // max(1, sum(1 for s in sections if s[2]))
        for kind, title, rows, render in sections:
            if not rows:
                continue
            block, used = _pack(f"<b>{title}</b>", render(rows[:per]), budget=share)
            text += "\n\n" + block
            if used < len(rows):
                data = f"more:s{kind}:{used}:{words}"
                if _fits(data):
                    buttons.extend(_more(data, f"More {title.lower()}"))
                else:
                    text += "\n<i>There is more: use fewer words to page through it.</i>"
        return [Reply(text, tuple(buttons))]

    def _search_section(self, kind: str, words: str, offset: int, ctx: ReplyContext) -> list[Reply]:
        page = 8
        title, fetch, render = {
            "a": ("Articles", q.search_articles, lambda r: self._article_hit(r, ctx)),
            "q": ("Quotes", q.search_quotes, lambda r: self._quote_hit(r, ctx)),
            "c": ("Claims", q.search_claims, lambda r: self._claim_item(r, ctx)),
        }[kind]
        try:
            rows = fetch(self.store, words, page + 1, offset)
        except sqlite3.OperationalError:
            rows = []
        if not rows:
            return [Reply("Nothing more found.")]
        text, used = _pack(f"<b>{title} for “{esc(words)}”</b> (from {offset + 1})", [render(r) for r in rows[:page]])
        more = f"more:s{kind}:{offset + used}:{words}" if used < len(rows) else None
        return [_paged(text, more, f"More {title.lower()}")]

    @staticmethod
    def _article_hit(hit: q.ArticleHit, ctx: ReplyContext) -> str:
        snippet = esc(clip(hit.snippet or "", 400)).replace(q.MARK_OPEN, "<b>").replace(q.MARK_CLOSE, "</b>")
        snippet = _balance_bold(snippet)
        return f"• {_article_ref(hit.title, hit.published, hit.id, ctx.tz)}\n  {snippet}"

    @staticmethod
    def _quote_hit(quote: q.QuoteRow, ctx: ReplyContext) -> str:
        who = esc(clip(quote.speaker, 80)) if quote.speaker else "someone"
        return f"• <b>{who}</b>: {quote_html(quote.text, quote.kind, 500, lead=quote.lead)}\n  {_article_ref(quote.title, quote.published, quote.article_id, ctx.tz)}"

    # /article
    def article(self, args: str, ctx: ReplyContext) -> list[Reply]:
        arg = args.strip().lstrip("#")
        if not re.fullmatch(r"\d{1,12}", arg):
            return [Reply("Usage: /article &lt;id&gt;, e.g. /article 1 (the ids are in /latest and /search)")]
        return self._article_more(0, arg, ctx)

    def _article_more(self, offset: int, arg: str, ctx: ReplyContext) -> list[Reply]:
        row = q.get_article(self.store, int(arg)) if _is_number(arg, 12) else None
        if row is None:
            return [Reply(f"There is no article {esc(clip(arg, 20))}. /latest lists the newest ones.")]
        lines = self._article_lines(row, ctx)
        if offset >= len(lines):
            return [Reply("That is the whole article.")]
        text = "" if offset == 0 else f"<b>{esc(clip(row.title or 'Untitled', 200))}</b> (continued)"
        section, used = None, 0
        for title, line in lines[offset:]:
            if title != section:
                piece = f"\n\n<b>{title}</b>\n{line}" if title else f"\n\n{line}"
            else:
                piece = f"\n{line}"
            if tg_len(text + piece) > PAGE_BUDGET and used:
                break
            text, section, used = text + piece, title, used + 1
        more = offset + used < len(lines)
        return [Reply(text.strip("\n"), _more(f"more:art:{offset + used}:{row.id}") if more else ())]

    def _article_lines(self, row: q.ArticleRow, ctx: ReplyContext) -> list[tuple[str | None, str]]:
        """The brief as (section title, line) pairs: pages break between lines, titles repeat on a new page."""
        meta = " · ".join(esc(x) for x in (row.outlet, row.section, when(row.published, ctx.tz)) if x)
        header = [f"<b>{esc(clip(row.title or 'Untitled', 300))}</b>", meta]
        if row.url and re.match(r"https?://", row.url):
            header.append(f'<a href="{html.escape(row.url, quote=True)}">source</a>')
        if row.lede:
            header.append(f"<i>{esc(clip(row.lede, 800))}</i>")
        lines: list[tuple[str | None, str]] = [(None, "\n".join(header))]
        lines += [("Headings", f"• {esc(clip(h, 200))}") for h in row.headings[:30]]
        for s in q.article_speakers(self.store, row.id):
            described = f", {esc(clip(s.description, 300))}" if s.description else ""
            lines.append(("Who speaks", f"• <b>{esc(clip(s.name, 100))}</b>{described}"))
        for quote in q.article_quotes(self.store, row.id):
            who = esc(clip(quote.speaker, 100)) if quote.speaker else "unattributed"
            lines.append(("Quotes", f"• <b>{who}</b>: {quote_html(quote.text, quote.kind, lead=quote.lead)}"))
        for claim in q.article_claims(self.store, row.id):
            who = (f"<b>{esc(clip(claim.speaker, 100))}</b>" if claim.source == "speaker" and claim.speaker
                   else f"<b>{esc(outlet_voice(claim.outlet))}</b>")
            lines.append(("Claims (most check-worthy first)",
                          f"• <i>[{claim.score:.2f}]</i> {claimed_html(who, claim)}"))
        return lines

    # /digest in the console (Telegram's /digest is answered by bot/digest_handlers.py)
    def digest_preview(self, args: str, ctx: ReplyContext) -> list[Reply]:
        from .digest import LATEST_PREVIEW, LIMIT, compose

        top = self.store.max_seq()
        message = compose(self.store, max(top - LATEST_PREVIEW, 0), top, title="Latest articles", limit=LIMIT - 200,
                          fresh=False)
        return [Reply(message.text + "\n\nDaily digests come in Telegram: /subscribe there.",
                      tuple(tuple(Button(label, data) for label, data in row) for row in message.buttons))]

    def digest_elsewhere(self, args: str, ctx: ReplyContext) -> list[Reply]:
        return [Reply("Daily digests are delivered in Telegram: send /subscribe 08:00 Europe/Berlin to the bot "
                      "there. Here, /digest shows the latest articles.")]

    def follow_elsewhere(self, args: str, ctx: ReplyContext) -> list[Reply]:
        return [Reply("Following people is for Telegram chats: send /follow NAME to the bot there, and it tells "
                      "you when they are newly quoted. Here, /who NAME shows what they said.")]

    # /stats
    def stats(self, args: str, ctx: ReplyContext) -> list[Reply]:
        if not ctx.is_admin:
            return [Reply("/stats is for the bot’s admins.")]
        figures = q.stats(self.store)
        lines = ["<b>Store</b>"]
        for key in ("articles", "speakers", "people", "quotes", "claims", "mentions", "max_seq"):
            lines.append(f"{key}: {figures[key]:,}")
        lines.append(f"newest article: {when(figures['newest'], ctx.tz)}")
        lines.append(f"last ingest: {esc(figures['last_ingest'] or 'never')}")
        lines.append(f"size: {figures['size_bytes'] / 1e6:.1f} MB")
        return [Reply("\n".join(lines))]


def _balance_bold(text: str) -> str:
    """A snippet cut by `clip` may lose a closing tag: keep <b> and </b> paired."""
    opened = 0
    out = []
    for part in re.split(r"(</?b>)", text):
        if part == "<b>":
            if opened:
                continue
            opened = 1
        elif part == "</b>":
            if not opened:
                continue
            opened = 0
        out.append(part)
    if opened:
        out.append("</b>")
    return "".join(out)


# -- module-level convenience ---------------------------------------------------

_per_store: "weakref.WeakKeyDictionary[Store, Replies]" = weakref.WeakKeyDictionary()


def replies_for(store: Store) -> Replies:
    replies = _per_store.get(store)
    if replies is None:
        replies = _per_store[store] = Replies(store)
    return replies


def answer(store: Store, command: str | None, args: str = "", *, context: ReplyContext | None = None) -> list[Reply]:
    return replies_for(store).answer(command, args, context)


def press(store: Store, data: str, *, context: ReplyContext | None = None) -> list[Reply]:
    return replies_for(store).press(data, context)
