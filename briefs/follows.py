"""Following people (issue 14): who follows whom, what became news for them, what was sent. No Telegram here.

Tables (migration m009_follows in briefs/store.py):
- `follows`: one row per chat and followed person (`person_id`, resolved with `people.live_id` at use,
  re-pointed when people merge, and moved to the new person when an editor splits off the name it was made
  under; `since_feed`: the feed position when it began, versions stored before are not news to it), or per
  full name nobody by that name has been quoted under yet (`person_id` NULL, `norm`): it takes the person's id
  once exactly one person has that name (as written, else without its title: briefs.names key).
  `active` 0 when Telegram refused the chat for good (blocked), with the reason; /follow there wakes them.
- `article_feed`: every article stored or corrected, in order (triggers); `follow_state.feed` is how far
  the alert job has read it. `article_versions`: each article's current version's feed position;
  `replaced_quotes`: who said what in the versions corrections replaced, each with its version's position
  (written by briefs/store.py). A quote is news to a follow only if no version holding it (the same words, end
  punctuation aside) was stored before the follow began.
- `follow_pending`: (chat, article) found to quote someone the chat follows, not yet sent (survives a restart).
- `follow_batches`: each alert message sent (its chat, time and message id); at most one per chat per minute.
- `follow_quotes`: each quote sent, keyed (chat, article, person, folded text): never sent twice, and a
  corrected version sends only the quotes it adds or changes; a (chat, article) with any was alerted, so a
  later version of it is marked "Update"; the "More" pages of a batch are read back from it.

Exactly once: a batch is recorded (quotes, alerts, pending rows cleared) in one transaction right after
Telegram accepted it (a store busy past its timeout: the sender keeps it and records it on a later run).
A hard kill between the two may repeat that one message on restart, never lose it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo


from . import people
from .follow_people import bind_names, carry_merges, one_person, waiting_for
from .store import Store, fold

MAX_FOLLOWS = 50  # per chat
FRESH = timedelta(hours=48)  # older articles (an archive being loaded) never alert
CHAT_GAP = timedelta(seconds=60)  # at most one alert message per chat per this
QUIET_FROM, QUIET_UNTIL = 22, 7  # local hours between which alerts make no sound
FEED_BATCH = 2000  # feed rows read per pass


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def quiet(now: datetime, zone: tzinfo) -> bool:
    """Between 22:00 and 07:00 in `zone`: send without sound."""
    hour = now.astimezone(zone).hour
    return hour >= QUIET_FROM or hour < QUIET_UNTIL


def fresh(published: str | None, first_ingested: str | None, now: datetime) -> bool:
    """News: published (or, undated, first stored: a correction does not make it new) within FRESH of now."""
    stamp = published or first_ingested
    if not stamp:
        return False
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return now - moment <= FRESH


_QUOTE_ENDS = " .,;:!?…-—'\""


def same_quote(a: str, b: str) -> bool:
    """Two folded quote texts are the same quote: equal but for end punctuation. Any other change counts as
    new words (a fixed typo is re-sent as an "Update"): "4 percent"/"5 percent", "can"/"can't" are the news."""
    return a.strip(_QUOTE_ENDS) == b.strip(_QUOTE_ENDS)


@dataclass(frozen=True)
class Follow:
    id: int
    chat_id: int
    person_id: int | None  # live; None: a full name awaiting a person
    name: str
    active: bool


@dataclass
class AlertQuote:
    article_id: int
    person_id: int
    person: str
    position: int
    kind: str
    lead: str | None
    text: str
    key: str
    update: bool


@dataclass
class Alert:
    """What one chat is due: new quotes by people it follows, article by article (in feed order)."""

    chat_id: int
    quotes: list[AlertQuote] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)  # pending articles covered (with or without new quotes)


class Follows:
    def __init__(self, store: Store, *, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.store = store
        self.db = store.db
        self.clock = clock

    # -- a chat's follows -------------------------------------------------------

    def list(self, chat_id: int) -> list[Follow]:
        rows = self.db.execute(
            "select f.id, f.chat_id, f.person_id, coalesce(p.name, f.name), f.active from follows f"
            " left join people p on p.id = f.person_id where f.chat_id = ? order by f.id", [chat_id]).fetchall()
        return [Follow(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def count(self, chat_id: int) -> int:
        return self.db.execute("select count(*) from follows where chat_id = ?", [chat_id]).fetchone()[0]

    def follow(self, chat_id: int, *, person_id: int | None = None, name: str) -> tuple[str, Follow | None]:
        """('added' | 'already' | 'full', follow). `person_id` None: follow a full name awaiting a person."""
        if person_id is not None:
            person_id = people.live_id(self.store, person_id)
        norm = fold(name)
        with self.store._write():
            self._wake(chat_id)
            carry_merges(self.store)
            bind_names(self.store, chat_id=chat_id)  # names followed before that now name one person
            if person_id is None:  # someone by that name was quoted already (in an archive article, say)
                person_id = one_person(self.store, name)
            same = self.db.execute(
                "select id from follows where chat_id = ? and (person_id = ? or (? is null and person_id is null"
                " and norm = ?))", [chat_id, person_id, person_id, norm]).fetchone()
            if same:
                return "already", self._get(same[0])
            claimed = waiting_for(self.store, chat_id, person_id) if person_id is not None else None
            if claimed:  # the chat chose among several people of a name it follows: that follow is of this one
                self.db.execute("update follows set person_id = ? where id = ?", [person_id, claimed])
                return "added", self._get(claimed)
            if self.count(chat_id) >= MAX_FOLLOWS:
                return "full", None
            taken = self.db.execute("select id from follows where chat_id = ? and norm = ?", [chat_id, norm]).fetchone()
            if taken:  # the same words name another person now: keep them apart by id
                norm = f"{norm}#{person_id}"
            new_id = self.db["follows"].insert({
                "chat_id": chat_id, "person_id": person_id, "name": name, "norm": norm, "active": 1,
                "created_at": _stamp(self.clock()), "since_feed": self._feed_end()}).last_pk
        return "added", self._get(new_id)

    def _get(self, follow_id: int) -> Follow | None:
        row = self.db.execute(
            "select f.id, f.chat_id, f.person_id, coalesce(p.name, f.name), f.active from follows f"
            " left join people p on p.id = f.person_id where f.id = ?", [follow_id]).fetchone()
        return Follow(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def unfollow(self, chat_id: int, follow_id: int) -> Follow | None:
        found = self._get(follow_id)
        if found is None or found.chat_id != chat_id:
            return None
        with self.store._write():
            self.db.execute("delete from follows where id = ?", [follow_id])
        return found

    def unfollow_all(self, chat_id: int) -> int:
        with self.store._write():
            gone = self.db.execute("delete from follows where chat_id = ?", [chat_id]).rowcount
            self.db.execute("delete from follow_pending where chat_id = ?", [chat_id])
        return gone

    def _wake(self, chat_id: int) -> None:
        self.db.execute("update follows set active = 1, deactivated_reason = null where chat_id = ? and active = 0",
                        [chat_id])

    def deactivate(self, chat_id: int, reason: str) -> None:
        """Telegram refused the chat for good (blocked, kicked): no more alerts until it follows again."""
        with self.store._write():
            self.db.execute("update follows set active = 0, deactivated_reason = ? where chat_id = ?", [reason, chat_id])
            self.db.execute("delete from follow_pending where chat_id = ?", [chat_id])

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its follows and alert history go with it (what it already has stays)."""
        with self.store._write():
            for table in ("follows", "follow_pending", "follow_quotes", "follow_batches", "follow_chats"):
                self.db.execute(f"update or ignore {table} set chat_id = ? where chat_id = ?", [new_chat_id, old_chat_id])
                self.db.execute(f"delete from {table} where chat_id = ?", [old_chat_id])

    # -- the alert job's side ------------------------------------------------------

    def collect(self) -> int:
        """Read the article feed past the marker: (chat, article) pairs to alert become pending. Returns how many
        feed rows were read. One transaction, so a crash reads the same rows again."""
        with self.store._write():
            marker = self._marker()
            rows = self.db.execute("select id, article_id from article_feed where id > ? order by id limit ?",
                                   [marker, FEED_BATCH]).fetchall()
            if not rows:
                return 0
            carry_merges(self.store)
            stored = sorted({article_id for _, article_id in rows})
            bind_names(self.store, quoted_in=stored)  # archive articles too: they name people as well
            articles = self._news(stored)
            if articles:
                marks = ",".join("?" * len(articles))
                self.db.execute(  # an article stored before the chat followed is not news to it (af.id > since_feed)
                    "insert or ignore into follow_pending (chat_id, article_id) select distinct f.chat_id, q.article_id"
                    " from article_feed af join quotes q on q.article_id = af.article_id join follows f"
                    f" on f.person_id = q.person_id where af.id > ? and af.id <= ? and q.article_id in ({marks})"
                    " and f.active = 1 and af.id > f.since_feed", [marker, rows[-1][0], *articles])
            self.db.execute("insert or replace into follow_state (name, value) values ('feed', ?)", [rows[-1][0]])
            self.db.execute("delete from article_feed where id <= ?", [rows[-1][0]])
        return len(rows)

    def _feed_end(self) -> int:
        """The last feed position handed out (rows read are deleted; AUTOINCREMENT never reuses one)."""
        row = self.db.execute("select seq from sqlite_sequence where name = 'article_feed'").fetchone()
        return row[0] if row else 0

    def _news(self, articles: list[int]) -> list[int]:
        """Those of these articles that are news (an archive being loaded is not)."""
        now = self.clock()
        out = []
        for start in range(0, len(articles), 500):
            part = articles[start:start + 500]
            out += [row[0] for row in self.db.execute(
                "select id, published, coalesce(first_ingested_at, ingested_at) from articles"
                f" where id in ({','.join('?' * len(part))})", part)
                if fresh(row[1], row[2], now)]
        return out

    def _marker(self) -> int:
        row = self.db.execute("select value from follow_state where name = 'feed'").fetchone()
        return row[0] if row else 0

    def due_chats(self, limit: int = 1000) -> list[int]:
        """Chats with pending alerts whose last alert message is at least CHAT_GAP old."""
        since = _stamp(self.clock() - CHAT_GAP)
        return [row[0] for row in self.db.execute(
            "select distinct p.chat_id from follow_pending p where not exists (select 1 from follow_batches b"
            " where b.chat_id = p.chat_id and b.sent_at > ?) limit ?", [since, limit]).fetchall()]

    def pending(self, chat_id: int) -> Alert:
        """The chat's new quotes by people it follows, in fresh pending articles: quotes sent before, and quotes
        a version stored before the follow began already held, left out."""
        alert = Alert(chat_id)
        now = self.clock()
        since = dict(self.db.execute("select person_id, since_feed from follows where chat_id = ? and active = 1"
                                     " and person_id is not null", [chat_id]).fetchall())
        live: dict[int, int | None] = {}

        def now_is(person_id: int) -> int | None:  # a person merged since the quote was sent or replaced
            if person_id not in live:
                live[person_id] = people.live_id(self.store, person_id)
            return live[person_id]

        for article_id, published, first_ingested, version, alerted in self.db.execute(
                "select a.id, a.published, coalesce(a.first_ingested_at, a.ingested_at), coalesce(v.feed, 0),"
                " exists (select 1 from follow_quotes fq where fq.chat_id = p.chat_id and fq.article_id = a.id)"
                " from follow_pending p join articles a on a.id = p.article_id left join article_versions v"
                " on v.article_id = a.id where p.chat_id = ? order by a.seq", [chat_id]).fetchall():
            alert.articles.append(article_id)
            if not fresh(published, first_ingested, now):
                continue
            sent = [(now_is(p), key) for p, key in self.db.execute(
                "select person_id, key from follow_quotes where chat_id = ? and article_id = ?", [chat_id, article_id])]
            before = [(now_is(p), key, feed) for p, key, feed in self.db.execute(
                "select person_id, key, feed from replaced_quotes where article_id = ?", [article_id])]
            for person_id, name, position, kind, lead, text in self.db.execute(
                    "select q.person_id, coalesce(pp.name, q.speaker), q.position, q.kind, q.lead, q.text from quotes q"
                    " left join people pp on pp.id = q.person_id where q.article_id = ? and q.person_id is not null"
                    " order by q.position", [article_id]).fetchall():
                key = fold(text or "")
                if person_id not in since or version <= since[person_id]:
                    continue
                if any(p == person_id and same_quote(k, key) for p, k in sent) or any(
                        p == person_id and feed <= since[person_id] and same_quote(k, key) for p, k, feed in before):
                    continue
                sent.append((person_id, key))
                alert.quotes.append(AlertQuote(article_id, person_id, name, position, kind, lead, text,
                                               key, bool(alerted)))
        return alert

    def still_following(self, chat_id: int, people: set[int]) -> bool:
        """As an alert leaves the limiter's queue: the chat still follows everyone it quotes (else it stays
        pending and the next run composes it again for whom the chat follows now)."""
        followed = {row[0] for row in self.db.execute(
            "select person_id from follows where chat_id = ? and active = 1 and person_id is not null", [chat_id])}
        return people <= followed

    def drop(self, alert: Alert) -> None:
        """Pending articles with nothing new for the chat (a correction without new quotes, old news)."""
        with self.store._write():
            self.db.conn.executemany("delete from follow_pending where chat_id = ? and article_id = ?",
                                [(alert.chat_id, a) for a in alert.articles])

    def record(self, alert: Alert, message_id: int | None) -> int:
        """After Telegram accepted the alert: its batch (the message), its quotes and articles, in one
        transaction (one commit per alert: the fan-out's pace depends on it)."""
        articles = {q.article_id for q in alert.quotes}
        with self.store._write():
            batch = self.db.execute(
                "insert into follow_batches (chat_id, sent_at, message_id, articles) values (?, ?, ?, ?)",
                [alert.chat_id, _stamp(self.clock()), message_id, len(articles)]).lastrowid
            self.db.conn.executemany(
                "insert or ignore into follow_quotes (batch_id, chat_id, article_id, person_id, person, position, kind,"
                " lead, text, key, [update]) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(batch, alert.chat_id, q.article_id, q.person_id, q.person, q.position, q.kind, q.lead, q.text,
                  q.key, int(q.update)) for q in alert.quotes])
            self.db.conn.executemany("delete from follow_pending where chat_id = ? and article_id = ?",
                                     [(alert.chat_id, a) for a in alert.articles])
        return batch

    def batch_quotes(self, chat_id: int, message_id: int) -> list[AlertQuote]:
        """The quotes of the alert sent as this message (for its "More" pages); none for another message."""
        return [AlertQuote(*row[:8], bool(row[8])) for row in self.db.execute(
            "select q.article_id, q.person_id, q.person, q.position, q.kind, q.lead, q.text, q.key, q.[update]"
            " from follow_batches b join follow_quotes q on q.batch_id = b.id"
            " where b.chat_id = ? and b.message_id = ? order by q.id", [chat_id, message_id]).fetchall()]

    def zone_name(self, chat_id: int) -> str | None:
        """The chat's digest subscription's time zone, when it has one."""
        row = self.db.execute("select tz from subscriptions where chat_id = ?", [chat_id]).fetchone()
        return row[0] if row else None

