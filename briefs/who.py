"""The answers about people: /who NAME, bare /who, a person's page and its "More", "Which one?".

A mixin of `briefs.replies.Replies` (which provides `store`, `names`, `cache`).
People are identities across articles (briefs/people.py): a page gathers every
name a person was written with and shows the canonical one; counts are summed
per person; unnamed descriptions ("experts") have no page and are never ranked.
Buttons: `who:p<id>` (a merged id follows the merge) and the older
`who:<12 hex>` of a name, which still resolves.
"""
from __future__ import annotations

from . import queries as q
from .nameindex import Person
from .reply_parts import (
    PAGE_BUDGET, Reply, ReplyContext, Button, _article_ref, _more, _n, claim_html, clip, quote_html,
)
from .store import fold
from .text import esc, tg_len

GONE = "That name is no longer in the briefs. Try /who alone for the most quoted people."


class WhoReplies:
    store: object
    names: q.NameIndex
    cache: q.StoreCache
    _about_cache: dict  # person id -> (signal, (counts, [(description, articles)], written names))

    def example_name(self) -> str | None:
        """The most quoted person of the recent articles, for examples in replies (None: nobody yet)."""
        top = self._top_people()
        return top[0][1] if top else None

    def _top_people(self) -> list[tuple[int, str, int, int]]:
        return self.cache.get(("most_quoted",), lambda: q.most_quoted(self.store, 10))

    # /who
    def who(self, args: str, ctx: ReplyContext) -> list[Reply]:
        name = args.strip()
        if not name:
            return self._most_quoted(ctx)
        match = self.names.lookup(name)
        if match.unique or len(match.people) == 1:
            return self._page(match.people[0], 0, ctx)
        if match.people:
            return [self._choose(f"Several people match “{esc(clip(name, 60))}”. Which one?", match.people)]
        closest = self.names.closest(name)
        text = f"No one called “{esc(clip(name, 60))}” in the briefs."
        if closest:
            return [self._choose(text + " Closest names:", closest)]
        return [Reply(text + " Try a surname, or /who alone for the most quoted people.")]

    def _choose(self, text: str, people: list[Person], data=None, *, shown: int = 8) -> Reply:
        """A short list (name, most used description or "mentioned only") with one button per person (`data`:
        person -> callback data, /who's page by default). Namesakes' buttons carry their description; more
        people than `shown` are counted, not listed."""
        data = data or (lambda person: f"who:{person.key}")
        lines, abouts = [text], []
        for person in people[:shown]:
            described = self._about(person.pid)[1] if person.pid else []
            about = clip(described[0][0], 90) if described else ("quoted" if person.quoted else "mentioned, never quoted")
            abouts.append(about)
            lines.append(f"• {esc(clip(person.name, 80))} — {esc(about)}")
        if len(people) > shown:
            lines.append(f"<i>… and {len(people) - shown} more: write more of the name.</i>")
        names = [fold(p.name) for p in people[:shown]]
        rows = tuple((Button(clip(f"{p.name} ({about})" if names.count(fold(p.name)) > 1 else p.name, 60),
                             data(p)),) for p, about in zip(people[:shown], abouts))
        return Reply("\n".join(lines), rows)

    def _most_quoted(self, ctx: ReplyContext) -> list[Reply]:
        top = self._top_people()
        if not top:
            return [Reply("No one is quoted yet. When articles are in, /who &lt;name&gt; shows what someone said.")]
        lines = ["<b>Most quoted recently</b>"]
        for i, (_, name, quotes, articles) in enumerate(top, start=1):
            lines.append(f"{i}. {esc(clip(name, 80))} — {_n(quotes, 'quote')} in {_n(articles, 'article')}")
        lines.append(f"\nSend /who &lt;name&gt; for what someone said, e.g. /who {esc(clip(top[0][1], 60))}")
        buttons = tuple((Button(clip(name, 40), f"who:p{pid}"),) for pid, name, _, _ in top[:8])
        return [Reply("\n".join(lines), buttons)]

    def _who_more(self, offset: int, key: str, ctx: ReplyContext) -> list[Reply]:
        entry = self.names.entry(key)
        return self._page(entry, offset, ctx) if entry else [Reply(GONE)]

    def _who_button(self, key: str, ctx: ReplyContext) -> list[Reply]:
        entry = self.names.entry(key)
        return self._page(entry, 0, ctx) if entry else [Reply(GONE)]

    # a person's page
    def _page(self, entry: Person, offset: int, ctx: ReplyContext) -> list[Reply]:
        if entry.pid is None:
            return [self._mentioned_only([entry.norm], entry.name, ctx)]
        pid, name = entry.pid, entry.name
        page = 12
        quotes = q.person_quotes(self.store, pid, page + 1, offset)
        if not quotes and offset == 0:
            return [self._mentioned_only(q.person_name_norms(self.store, pid), name, ctx)]
        head_lines = [f"<b>{esc(clip(name, 120))}</b>"]
        if offset == 0:
            counts, described, written = self._about(pid)
            if described:  # the most used description, and a second one when several articles used it too
                shown = [described[0][0]] + [d for d, articles in described[1:2] if articles > 1]
                head_lines.append(esc(clip("; ".join(shown), 400)))
            others = [w for w in written if fold(w) != fold(name)][:4]
            if others:
                head_lines.append("<i>Also written:</i> " + esc(clip(", ".join(others), 300)))
            head_lines.append(f"Quoted in {_n(counts[0], 'article')} ({_n(counts[1], 'quote')}), newest first:")
        else:
            head_lines.append(f"More quotes (from {offset + 1}):")
        text = "\n".join(head_lines)
        claims_block = self._person_claims_block(pid, name, quotes) if offset == 0 else ""
        budget = PAGE_BUDGET - tg_len(claims_block) - 2
        used, current = 0, None
        for quote in quotes[:page]:
            piece = quote_html(quote.text, quote.kind, lead=quote.lead)
            if quote.article_id != current:
                piece = f"\n{_article_ref(quote.title, quote.published, quote.article_id, ctx.tz)}\n{piece}"
            candidate = f"{text}\n{piece}"
            if tg_len(candidate) > budget and used:
                break
            text, used, current = candidate, used + 1, quote.article_id
        if claims_block:
            text += "\n\n" + claims_block
        has_more = used < len(quotes)
        return [Reply(text, _more(f"more:who:{offset + used}:p{pid}") if has_more else ())]

    def _about(self, pid: int) -> tuple[tuple[int, int, int], list[str], list[str]]:
        """(counts, descriptions, written names) of a person. Counting a much-quoted person's 100k quotes takes
        ~10 ms: kept until quotes, claims, superseded versions or people change (not the StoreCache, which any
        write clears, such as each digest delivery during a fan-out)."""
        signal = self.store.db.execute(
            "select (select max(rowid) from quotes), (select max(rowid) from claims), "
            "(select max(rowid) from superseded), (select max(rev) from people), (select max(rev) from person_names)"
        ).fetchone()
        cached = self._about_cache.get(pid)
        if cached is None or cached[0] != signal:
            if len(self._about_cache) >= 256:
                self._about_cache.pop(next(iter(self._about_cache)))
            value = (q.person_counts(self.store, pid), q.person_descriptions(self.store, pid),
                     q.person_written_names(self.store, pid))
            cached = self._about_cache[pid] = (signal, value)
        return cached[1]

    def _person_claims_block(self, pid: int, name: str, quotes: list[q.QuoteRow]) -> str:
        """How many claims they make and where to see them ranked; claims that do not just restate a quote
        shown above are listed (claims often restate quotes: those are not repeated)."""
        total = self._about(pid)[0][2]
        if not total:
            return ""
        shown = {fold(x.text) for x in quotes}
        others = [c for c in q.person_claims(self.store, pid, 12) if fold(c.text) not in shown][:3]
        lines = [f"<b>Claims</b>: {total:,}, most check-worthy first: /claims {esc(clip(name, 80))}"]
        for claim in others:
            said = f"{esc(claim.lead)} {claim_html(claim, 200)}" if claim.lead else claim_html(claim, 200)
            lines.append(f"• {said} <i>[{claim.score:.2f}]</i> /article_{claim.article_id}")
        return "\n".join(lines)

    def _mentioned_only(self, norms: list[str], name: str, ctx: ReplyContext) -> Reply:
        total, articles = q.mention_articles(self.store, norms, 8)
        if not total:
            return Reply(f"I have nothing from {esc(clip(name, 120))} yet.")
        lines = [f"<b>{esc(clip(name, 120))}</b> is mentioned in {_n(total, 'article')} but never quoted:"]
        for row in articles:
            lines.append("• " + _article_ref(row.title, row.published, row.id, ctx.tz))
        if total > len(articles):
            lines.append(f"… and {total - len(articles)} more.")
        return Reply("\n".join(lines))
