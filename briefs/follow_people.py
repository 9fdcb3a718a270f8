"""Follows and person identities (issue 14): a followed name binding to the one person it names, and people
merged or split carrying their follows. Tables in briefs/follows.py."""
from __future__ import annotations

from . import people
from .names import parse_name
from .store import Store, fold


def full_key(name: str) -> str | None:
    """A full name's key without its title ("Dr Olga Example" -> "olga example"); None for a surname alone."""
    parsed = parse_name(name)
    return parsed.key if parsed.first else None


def carry_merges(store: Store) -> None:
    """Follows of a person merged into another now follow the survivor (one follow per chat and person)."""
    stale = store.db.execute("select f.id, f.person_id from follows f join people p on p.id = f.person_id"
                             " where p.merged_into is not null").fetchall()
    for follow_id, person_id in stale:
        live = people.live_id(store, person_id)
        store.db.execute("update or ignore follows set person_id = ? where id = ?", [live, follow_id])
        store.db.execute("delete from follows where id = ? and person_id = ?", [follow_id, person_id])


def bind_names(store: Store, *, chat_id: int | None = None, quoted_in: list[int] | None = None) -> None:
    """Followed full names (of this chat) that now name exactly one person take that person's id; looked for
    only among the names of people quoted in `quoted_in`, when given. A chat that follows that person
    already keeps that one follow (the name follow goes)."""
    waiting = store.db.execute(
        "select id, chat_id, name from follows where person_id is null"
        + (" and chat_id = ?" if chat_id is not None else ""), [] if chat_id is None else [chat_id]).fetchall()
    if not waiting:
        return
    quoted: set[str] | None = None
    if quoted_in is not None:
        quoted = set()
        for start in range(0, len(quoted_in), 500):
            part = quoted_in[start:start + 500]
            for norm, key in store.db.execute(
                    "select distinct pn.norm, pn.key from quotes q join person_names pn on pn.person_id ="
                    f" q.person_id where q.article_id in ({','.join('?' * len(part))})", part):
                quoted.update((norm, key))
        quoted.discard(None)
    for follow_id, chat, name in waiting:
        if quoted is not None and fold(name) not in quoted and full_key(name) not in quoted:
            continue
        person_id = one_person(store, name)
        if person_id is None:
            continue
        if store.db.execute("select 1 from follows where chat_id = ? and person_id = ?", [chat, person_id]).fetchone():
            store.db.execute("delete from follows where id = ?", [follow_id])
        else:
            store.db.execute("update follows set person_id = ? where id = ?", [person_id, follow_id])


def waiting_for(store: Store, chat_id: int, person_id: int) -> int | None:
    """The chat's followed name, awaiting a person, that is one of this person's names."""
    names = {value for row in store.db.execute("select norm, key from person_names where person_id = ?", [person_id])
             for value in row if value}
    for follow_id, name in store.db.execute(
            "select id, name from follows where chat_id = ? and person_id is null order by id", [chat_id]):
        if fold(name) in names or full_key(name) in names:
            return follow_id
    return None


def one_person(store: Store, name: str) -> int | None:
    """The one live person written `name` (case and accents aside), else the one whose name without its
    title is the same (briefs.names key: "Dr Olga Example" is "Olga Example"); None when none or several."""
    for column, value in (("norm", fold(name)), ("key", full_key(name))):
        if value is None:
            continue
        found = {people.live_id(store, row[0]) for row in store.db.execute(
            f"select distinct person_id from person_names where {column} = ?", [value])} - {None}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def carry_split(store: Store, person_id: int, new_id: int, norm: str) -> None:
    """An editor split the name `norm` off person `person_id` into `new_id`: the follows made under that name
    (`norm`, or `norm#id` where the chat follows another person written alike) follow the new person."""
    store.db.execute(
        "update or ignore follows set person_id = ? where person_id = ? and (norm = ? or substr(norm, 1, ?) = ?)",
        [new_id, person_id, norm, len(norm) + 1, f"{norm}#"])
