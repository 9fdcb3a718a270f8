"""People: one identity per person or organisation across articles (the API other parts build on).

Tables (migration m008_people in briefs/store.py; linking rules in briefs/linking.py):
  people        id, name (canonical), norm, kind ("person"/"org"), gender, full, pinned, merged_into, rev
  person_names  person_id, name (as written), norm, core, key, first, middles, surname, suffix, title, rows, rev
  people_rules  action ("merge"/"split"/"rename"), name_norm, target, value, created_at
  speakers.person_id, quotes.person_id, claims.person_id (NULL: an unnamed description, no identity)

Reading:
  live_id(store, pid)          follows merges: the id a person has now (None if unknown)
  get_person(store, pid)       -> Person (canonical name, kind, aliases, ranked descriptions, counts)
  candidates(store, text)      -> person ids any of whose names holds all the words of `text`
  list_people(store, limit)    -> [Person], most quoted first
Correcting (each in one transaction, stored as rules on names so re-ingest keeps them):
  merge(store, a, b)           b joins a; returns a's live id (b's follows follow a)
  split(store, pid, name)      rows written `name` move to a new person; returns its id (follows made under
                               that name follow the new person)
  rename(store, pid, name)     the canonical name becomes `name`
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from .linking import Linker
from .names import parse_name
from .store import Store, fold


class PeopleError(ValueError):
    """An editor's correction that cannot be made; the message is for the editor."""


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()  # written forms, most used first
    descriptions: tuple[str, ...] = ()  # most articles first, then most recent
    articles: int = 0
    quotes: int = 0


def live_id(store: Store, pid: int) -> int | None:
    for _ in range(50):
        row = store.db.execute("select merged_into from people where id = ?", [pid]).fetchone()
        if row is None:
            return None
        if row[0] is None:
            return pid
        pid = row[0]
    return pid


def descriptions(store: Store, pid: int, limit: int = 5) -> list[str]:
    """Descriptions of a person, those used by more articles first, then the most recent ("Mr." is none)."""
    from .queries import person_descriptions

    return [text for text, _ in person_descriptions(store, pid, limit)]


def aliases(store: Store, pid: int) -> list[str]:
    return [r[0] for r in store.db.execute(
        "select name from person_names where person_id = ? order by rows desc, name", [pid])]


def get_person(store: Store, pid: int) -> Person | None:
    pid = live_id(store, pid)
    if pid is None:
        return None
    name, kind = store.db.execute("select name, kind from people where id = ?", [pid]).fetchone()
    articles, quotes = store.db.execute(
        "select count(distinct article_id), count(*) from quotes where person_id = ?", [pid]).fetchone()
    return Person(pid, name, kind, tuple(aliases(store, pid)), tuple(descriptions(store, pid)), articles, quotes)


# a name's words as \w+ reads them: "donald j. trump" -> "donald j  trump", "ki-moon" -> "ki moon"
_SPACED_NORM = "replace(replace(replace(replace(n.norm, '.', ' '), ',', ' '), '-', ' '), '''', ' ')"


def candidates(store: Store, text: str) -> list[int]:
    """Live people any of whose names holds every word of `text` as a whole word (case and accents ignored)."""
    words = re.findall(r"\w+", fold(text))
    if not words:
        return []
    test = " and ".join([f"instr(' ' || {_SPACED_NORM} || ' ', ?) > 0"] * len(words))
    rows = store.db.execute(
        "select distinct n.person_id from person_names n join people p on p.id = n.person_id "
        f"where p.merged_into is null and {test}",
        [f" {w} " for w in words]).fetchall()
    return [r[0] for r in rows]


def list_people(store: Store, limit: int = 50) -> list[Person]:
    rows = store.db.execute(
        "select p.id, count(distinct q.article_id), count(q.id) from people p join quotes q on q.person_id = p.id "
        "where p.merged_into is null group by p.id order by count(q.id) desc, p.name limit ?", [limit]).fetchall()
    out = []
    for pid, articles, quotes in rows:
        name, kind = store.db.execute("select name, kind from people where id = ?", [pid]).fetchone()
        out.append(Person(pid, name, kind, tuple(aliases(store, pid)), (), articles, quotes))
    return out


# -- corrections ---------------------------------------------------------------------------


def _require(store: Store, pid: int) -> int:
    live = live_id(store, pid)
    if live is None:
        raise PeopleError(f"no person {pid}")
    return live


def _rule(store: Store, action: str, name_norm: str, target: str | None = None, value: str | None = None) -> None:
    store.db.execute(
        "insert into people_rules (action, name_norm, target, value, created_at) values (?, ?, ?, ?, ?)",
        [action, name_norm, target, value, datetime.now(timezone.utc).isoformat(timespec="seconds")])


def _own_names(store: Store, pid: int) -> list[str]:
    """The names a rule about this person is kept on: its full names (else every name that links), not a lone
    "Clinton" or "Hillary" other people are written with too."""
    full = [r[0] for r in store.db.execute(
        "select norm from person_names where person_id = ? and key is not null and first is not null", [pid])]
    return full or [r[0] for r in store.db.execute(
        "select norm from person_names where person_id = ? and key is not null", [pid])]


def merge(store: Store, a: int, b: int) -> int:
    """Person `b` becomes part of `a` (rows, names, old buttons); rules on b's names keep it so."""
    with store._write():
        a, b = _require(store, a), _require(store, b)
        if a == b:
            raise PeopleError(f"{a} and {b} are already one person")
        target_norm, target_name = store.db.execute("select norm, name from people where id = ?", [a]).fetchone()
        for norm in _own_names(store, b):
            _rule(store, "merge", norm, target_norm, target_name)
        linker = Linker(store.db)
        linker.merge_rows(b, a)
        linker.refresh_person(a)
        from .follow_people import carry_merges  # here: it reads people through this module

        carry_merges(store)
    return a


def split(store: Store, pid: int, name: str) -> int:
    """The rows of person `pid` written as `name` (and what their articles said through that speaker's
    aliases) move to a new person, kept apart from now on: those articles are linked again under the rule."""
    norm = fold(name)
    with store._write():
        pid = _require(store, pid)
        row = store.db.execute("select name from person_names where person_id = ? and norm = ?", [pid, norm]).fetchone()
        if row is None:
            known = ", ".join(aliases(store, pid)[:8])
            raise PeopleError(f"person {pid} has no name {name!r} (names: {known})")
        if store.db.execute("select count(*) from person_names where person_id = ?", [pid]).fetchone()[0] == 1:
            raise PeopleError(f"{name!r} is the only name of person {pid}: nothing to split off")
        kind = store.db.execute("select kind from people where id = ?", [pid]).fetchone()[0]
        _rule(store, "split", norm, None, parse_name(row[0], kind=kind).core)
        articles = [r[0] for r in store.db.execute(
            "select article_id from speakers where person_id = ? and norm = ? union "
            "select article_id from quotes where person_id = ? and speaker_norm = ? union "
            "select article_id from claims where person_id = ? and speaker_norm = ?", [pid, norm] * 3)]
        staying = store.db.execute("select id from speakers where person_id = ? and norm != ?", [pid, norm]).fetchall()
        linker = Linker(store.db)
        for article_id in articles:
            linker.unlink_article(article_id)
            linker.link_stored(article_id)
        new = store.db.execute("select id from people where pinned = ? and merged_into is null", [norm]).fetchone()
        _keep_id(store, linker, pid, [r[0] for r in staying], new[0])
        linker.refresh_person(pid)
        from .follow_people import carry_split  # here: it reads people through this module

        carry_split(store, pid, new[0], norm)
    return new[0]


def _keep_id(store: Store, linker: Linker, pid: int, speaker_rows: list[int], split_off: int) -> None:
    """After a split linked every article of `pid` again: if what stayed with it went to one other new person
    (all its articles held the split-off name), that person is `pid` again (its pages, buttons and follows)."""
    if not speaker_rows or store.db.execute(
            "select 1 from speakers where person_id = ? limit 1", [pid]).fetchone():
        return
    now = {r[0] for r in store.db.execute(
        f"select distinct person_id from speakers where id in ({','.join('?' * len(speaker_rows))})", speaker_rows)}
    if len(now) == 1 and None not in now and split_off not in now:
        linker.merge_rows(now.pop(), pid)


def rename(store: Store, pid: int, name: str) -> None:
    """Show person `pid` as `name` everywhere (a rule on each of its names)."""
    name = " ".join(name.split())
    if not name:
        raise PeopleError("the new name is empty")
    with store._write():
        pid = _require(store, pid)
        for norm in _own_names(store, pid):
            _rule(store, "rename", norm, None, name)
        Linker(store.db).refresh_person(pid)
