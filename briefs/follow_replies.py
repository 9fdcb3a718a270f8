"""Transport-free answers for /follow, /following, /unfollow and their buttons, and the alert messages.

Buttons: `fw:p<id>` follow that person ("Which one?"), `fw:n<name>` follow a full name as typed (nobody
quoted is called that), `uf:<follow id>` unfollow, `fl:<offset>` the next page of /following, `fm:<offset>`
the next page of the alert message the button is under, `fm:<offset>:<message id>` on a later page (the
alert's message id); read back from `follow_quotes` by that id, so they work after a restart.
"""
from __future__ import annotations

import re
from datetime import tzinfo

from . import follow_delivery
from .follows import MAX_FOLLOWS, AlertQuote, Follows
from .nameindex import NameIndex, Person, name_words
from .names import parse_name
from .reply_parts import PAGE_BUDGET, Button, Reply, _fits, _more, clip, quote_html, when
from .store import fold
from .text import esc, tg_len
from .who import WhoReplies

ADMINS_ONLY = "Only this group's admins can change whom it follows."
QUOTES_PER_PERSON = 3  # in one article; the rest are one tap away on /article_<id>
PEOPLE_PER_ARTICLE = 3  # so that one article always fits a message
MAX_NAME = 120  # characters of a name to follow; longer is no one's name
CANDIDATES = 50  # looked up for "Which one?" (8 shown, the rest counted)


class _Chooser(WhoReplies):
    """/who's "Which one?" (descriptions from the store) when FollowAnswers is built without the Replies."""

    def __init__(self, store, names: NameIndex):
        self.store, self.names, self._about_cache = store, names, {}


class FollowAnswers:
    def __init__(self, follows: Follows, names: NameIndex, who: WhoReplies | None = None):
        self.follows = follows
        self.names = names
        self.store = follows.store
        self.who = who or _Chooser(self.store, names)

    # /follow
    def follow(self, chat_id: int, args: str, *, allowed: bool = True, thread_id: int | None = None) -> Reply:
        name = " ".join(args.split())
        refused = self._bad_name(name, "/follow NAME, for example /follow Jane Smith: I tell you when they are quoted.")
        if refused:
            return refused
        if not allowed:
            return Reply(ADMINS_ONLY)
        match = [p for p in self.names.lookup(name, limit=CANDIDATES).people if p.pid is not None]
        exact = self._named_exactly(name, match)
        if len(exact) == 1:
            # the follow keeps the name as typed, title aside (one of theirs): a later split of it takes it along
            return self._follow_person(chat_id, exact[0].pid, parse_name(name).core or name, thread_id)
        shown = esc(clip(name, 60))
        if exact:  # namesakes
            return self._choose(f"Several people are called “{shown}”. Which one?", exact, None)
        if match:
            return self._choose(f"Nobody quoted is called exactly “{shown}”. Which one?", match, name)
        closest = [p for p in self.names.closest(name) if p.pid is not None]
        if closest:
            return self._choose(f"No one called “{shown}” has been quoted. Closest names:", closest, name)
        if len(fold(name).split()) < 2:
            return Reply(f"Nobody called “{shown}” has been quoted yet. To follow someone before "
                         "they are, write their full name (first name and surname).")
        return self._follow_name(chat_id, name, thread_id)

    @staticmethod
    def _bad_name(name: str, usage: str) -> Reply | None:
        if not re.search(r"\w", name):
            return Reply(f"Send {usage}")
        if len(name) > MAX_NAME:
            return Reply(f"That name is too long ({len(name)} characters): a name has at most {MAX_NAME}.")
        return None

    def _named_exactly(self, name: str, people: list[Person]) -> list[Person]:
        """Those called `name`, every word, titles aside ("Dr. Jane Smith" is Jane Smith; "Smith" is not)."""
        typed = {tuple(name_words(name)), tuple(name_words(parse_name(name).core))} - {()}
        out = []
        for person in people:
            written = {person.name, *(n for row in self.store.db.execute(
                "select name, core from person_names where person_id = ?", [person.pid]) for n in row if n)}
            if typed & {tuple(name_words(n)) for n in written}:
                out.append(person)
        return out

    def _choose(self, text: str, people: list[Person], name: str | None) -> Reply:
        """/who's "Which one?" with follow buttons, and one to follow the typed full name (`name`) as written."""
        reply = self.who._choose(text, people, lambda person: f"fw:p{person.pid}")
        data = f"fw:n{name}"
        if name is None or len(fold(name).split()) < 2 or not _fits(data):
            return reply
        shown = esc(clip(name, 60))
        return Reply(f"{reply.text}\nOr follow “{shown}” as written: nobody by that name has been quoted yet; "
                     "I’ll tell you when they are.", reply.buttons + ((Button(f"Follow “{clip(name, 40)}” as written",
                                                                              data),),))

    def follow_button(self, chat_id: int, person_id: int, *, allowed: bool = True,
                      thread_id: int | None = None) -> Reply:
        if not allowed:
            return Reply(ADMINS_ONLY)
        entry = self.names.entry(f"p{person_id}")
        if entry is None:
            return Reply("That person is no longer in the briefs. Send /follow NAME again.")
        return self._follow_person(chat_id, entry.pid, entry.name, thread_id)

    def follow_name_button(self, chat_id: int, name: str, *, allowed: bool = True,
                           thread_id: int | None = None) -> Reply:
        name = " ".join(name.split())
        refused = self._bad_name(name, "/follow NAME again.")
        if refused or not allowed:
            return refused or Reply(ADMINS_ONLY)
        if len(fold(name).split()) < 2:
            return Reply("To follow someone before they are quoted, write their full name (first name and surname).")
        return self._follow_name(chat_id, name, thread_id)

    def _follow_name(self, chat_id: int, name: str, thread_id: int | None) -> Reply:
        status, follow = self.follows.follow(chat_id, name=name)
        if status == "full":
            return self._full()
        follow_delivery.remember_thread(self.follows, chat_id, thread_id)
        if follow is not None and follow.person_id is not None:  # bound at once to the one person of that name
            return self._following_reply(status, follow)
        if status == "already":
            return Reply(f"You already follow {esc(clip(name, 80))}.")
        return Reply(f"Nobody called {esc(clip(name, 80))} has been quoted yet. Following: I’ll tell you when they "
                     "are. /following lists whom you follow.")

    def _follow_person(self, chat_id: int, person_id: int, name: str, thread_id: int | None) -> Reply:
        status, follow = self.follows.follow(chat_id, person_id=person_id, name=name)
        if status == "full":
            return self._full()
        follow_delivery.remember_thread(self.follows, chat_id, thread_id)
        return self._following_reply(status, follow)

    @staticmethod
    def _following_reply(status: str, follow) -> Reply:
        shown = esc(clip(follow.name, 80))
        if status == "already":
            return Reply(f"You already follow {shown}.")
        return Reply(f"Following {shown}: when new articles quote them, I send you their quotes (at most one "
                     "message a minute). /following lists whom you follow.")

    @staticmethod
    def _full() -> Reply:
        return Reply(f"This chat follows {MAX_FOLLOWS} people, the most it can. /following shows them, each with "
                     "an Unfollow button.")

    # /following
    def following(self, chat_id: int, offset: int = 0) -> Reply:
        """A page of the chat's follows from `offset`, each with an Unfollow button, "More" for the rest."""
        follows = self.follows.list(chat_id)
        if not follows:
            return Reply("You follow nobody yet. /follow NAME tells you when someone is newly quoted.")
        offset = offset if offset < len(follows) else 0  # the list shrank since the button was made
        text = f"<b>Following</b> ({len(follows)} of {MAX_FOLLOWS})" + (" (continued)" if offset else "")
        if not all(f.active for f in follows):
            text += "\n<i>Alerts are paused: I could not write here. /follow anyone to resume them.</i>"
        shown = []
        for follow in follows[offset:]:
            line = f"• {esc(clip(follow.name, 80))}" + ("" if follow.person_id is not None else " — not quoted yet")
            if shown and tg_len(text) + tg_len(line) + 1 > PAGE_BUDGET:
                break
            text, shown = f"{text}\n{line}", shown + [follow]
        rows = tuple((Button(f"Unfollow {clip(f.name, 40)}", f"uf:{f.id}"),) for f in shown)
        rest = len(follows) - offset - len(shown)
        if rest > 0:
            text += f"\n<i>{rest} more.</i>"
            rows += _more(f"fl:{offset + len(shown)}")
        return Reply(text, rows)

    # /unfollow
    def unfollow(self, chat_id: int, args: str, *, allowed: bool = True) -> Reply:
        name = " ".join(args.split())
        refused = self._bad_name(name, "/unfollow NAME, or /unfollow all. /following lists whom you follow.")
        if refused:
            return refused
        if not allowed:
            return Reply(ADMINS_ONLY)
        if fold(name) == "all":
            gone = self.follows.unfollow_all(chat_id)
            return Reply(f"Unfollowed everyone ({gone})." if gone else "You follow nobody.")
        wanted = fold(name)
        follows = self.follows.list(chat_id)
        hits = [f for f in follows if fold(f.name) == wanted] or \
               [f for f in follows if set(wanted.split()) <= set(fold(f.name).split())]
        if len(hits) == 1:
            self.follows.unfollow(chat_id, hits[0].id)
            return Reply(f"Unfollowed {esc(clip(hits[0].name, 80))}.")
        if hits:
            rows = tuple((Button(f"Unfollow {clip(f.name, 40)}", f"uf:{f.id}"),) for f in hits[:8])
            return Reply(f"You follow several people matching “{esc(clip(name, 60))}”. Which one?", rows)
        return Reply(f"You don’t follow “{esc(clip(name, 60))}”. /following lists whom you follow.")

    def unfollow_button(self, chat_id: int, follow_id: int, *, allowed: bool = True) -> Reply:
        if not allowed:
            return Reply(ADMINS_ONLY)
        gone = self.follows.unfollow(chat_id, follow_id)
        return Reply(f"Unfollowed {esc(clip(gone.name, 80))}." if gone else "You no longer follow them.")

    # alert messages
    def alert_page(self, quotes: list[AlertQuote], offset: int, tz: tzinfo, origin: int | None = None) -> Reply:
        """One message of a batch: the articles from `offset` that fit, a "More" button for the rest."""
        articles = list(dict.fromkeys(q.article_id for q in quotes))
        head = "🔔 <b>Newly quoted</b>" if offset == 0 else "🔔 <b>Newly quoted</b> (continued)"
        text, shown = head, 0
        for article_id in articles[offset:]:
            item = self._article_item(article_id, [q for q in quotes if q.article_id == article_id], tz)
            if shown and tg_len(text) + tg_len(item) + 2 > PAGE_BUDGET:
                break
            text, shown = f"{text}\n\n{item}", shown + 1
        rest = len(articles) - offset - shown
        if rest > 0:
            text += f"\n\n<i>{rest} more article{'s' if rest > 1 else ''}.</i>"
            return Reply(text, _more(f"fm:{offset + shown}" + (f":{origin}" if origin else "")))
        return Reply(text)

    def more(self, chat_id: int, message_id: int, offset: int, tz: tzinfo) -> Reply:
        """The next page of the alert sent as `message_id` (the page itself answers with the next "More")."""
        quotes = self.follows.batch_quotes(chat_id, message_id)
        if not quotes:
            return Reply("That button has expired.")
        return self.alert_page(quotes, offset, tz, origin=message_id)

    def _article_item(self, article_id: int, quotes: list[AlertQuote], tz: tzinfo) -> str:
        row = self.store.db.execute("select title, outlet, published from articles where id = ?",
                                    [article_id]).fetchone()
        title, outlet, published = row if row else (None, None, None)
        mark = "<b>Update</b> · " if any(q.update for q in quotes) else ""
        source = f" — {esc(clip(outlet, 60))}" if outlet else ""
        lines = [f"{mark}<i>{esc(clip(title or 'Untitled', 160))}</i>{source}, {when(published, tz, with_time=False)}"
                 f" · /article_{article_id}"]
        persons = list(dict.fromkeys(q.person for q in quotes))
        for person in persons[:PEOPLE_PER_ARTICLE]:
            said = [q for q in quotes if q.person == person]
            lines.append(f"<b>{esc(clip(person or '', 80))}</b>:")
            lines += [f"  {quote_html(q.text, q.kind, 300, q.lead)}" for q in said[:QUOTES_PER_PERSON]]
            if len(said) > QUOTES_PER_PERSON:
                lines.append(f"  <i>and {len(said) - QUOTES_PER_PERSON} more on /article_{article_id}</i>")
        if len(persons) > PEOPLE_PER_ARTICLE:
            lines.append(f"<i>and {len(persons) - PEOPLE_PER_ARTICLE} more people you follow on /article_{article_id}</i>")
        return "\n".join(lines)
