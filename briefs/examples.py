"""Examples shown in replies, taken from the store: its most quoted person, a frequent topic word, an article.

An empty store gives placeholders ("/who NAME") instead of names that are not there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .store import Store

# Words that make poor topics: frequent in any news text.
_DULL = frozenset("""
about above after again against along also among another around because been before being below between both
could does doing down during each every first from further have having here however into itself just least
less like made make many might more most much must never only other others over same says said should since
some still such than that their them then there these they this those through under until upon very were
what when where which while whom whose will with within without would year years people today week untitled
according president because state states government country told think going want know time back well
""".split())


@dataclass(frozen=True)
class Examples:
    name: str | None  # the most quoted person's canonical name
    topic: str | None  # a common word frequent in recent claims and ledes
    article: int | None  # the newest article's id

    @property
    def who(self) -> str:
        return f"/who {self.name}" if self.name else "/who NAME"

    @property
    def who_filter(self) -> str:
        if not self.name:
            return "who:NAME"
        return f'who:"{self.name}"' if " " in self.name else f"who:{self.name}"

    @property
    def topic_or_placeholder(self) -> str:
        return self.topic or "WORDS"

    def subscribe(self) -> str:
        filters = " ".join(x for x in (self.who_filter, f"topic:{self.topic}" if self.topic else "topic:WORDS") if x)
        return f"/subscribe 07:30 Europe/Berlin {filters}"


def store_examples(store: Store) -> Examples:
    from .queries import most_quoted

    top = most_quoted(store, 1)
    newest = store.db.execute("select max(id) from articles").fetchone()[0]
    return Examples(top[0][1] if top else None, topic_word(store), newest)


def topic_word(store: Store) -> str | None:
    """The most frequent common word (5+ lowercase letters: no names) of the newest claims and ledes, or None."""
    counts: dict[str, int] = {}
    texts = [r[0] for r in store.db.execute("select text from claims order by id desc limit 300")]
    texts += [r[0] for r in store.db.execute("select lede from articles order by id desc limit 200")]
    for text in texts:
        for word in set(re.findall(r"\b[a-z]{5,}\b", text or "")):
            if word not in _DULL:
                counts[word] = counts.get(word, 0) + 1
    return min(counts, key=lambda w: (-counts[w], w)) if counts else None
