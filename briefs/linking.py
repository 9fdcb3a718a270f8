"""Linking speakers across articles: each written name of an article -> one person or organisation.

Runs when an article is stored, inside its transaction (`Store.upsert_article`,
`Store.bulk_insert`, the m008 migration), never at reply time. The rules, in
order (README "People"):

1. An editor's rule on the written name (`people_rules`: merge, split) wins.
2. Organisations: the same key (case, a leading "the", a possessive, dots do
   not count) is the same organisation; "Name (ACR)" in an article, or an
   acronym among its aliases, makes ACR a name of it.
3. A full name: the same key (title and honorific dropped) is the same
   person; otherwise it links to the one known person whose names all agree
   (first name, surname, suffix; initials equal or missing on one side), but a
   name without initials links only when exactly one such person is known.
   Different initials or suffixes are different people.
4. A surname alone ("Mr. Obama" where the article never gives a first name):
   the one full-name person with that surname whose gender (from honorifics)
   does not contradict, narrowed by the title when several remain; else an
   earlier surname-only identity with that surname; else a new one. A new
   full-name person absorbs the surname-only identities that now point to it.
5. An unnamed description ("experts", "the report") is no identity: no person.

A merge re-links every earlier row (speakers, quotes, claims) of the merged
person in the same transaction.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .names import ParsedName, acronym_of, first_compatible, guess_kind, parse_name
from .store import fold


@dataclass
class ArticleNames:
    """What an article names, as linking needs it (from an `Article` or from stored rows)."""

    speakers: list[tuple[str, str | None, list[str], str]] = field(default_factory=list)  # name, description, aliases, kind
    others: list[str] = field(default_factory=list)  # quote and claim speakers, in order
    body: str = ""


def _alias_list(aliases: str | list | None) -> list[str]:
    if isinstance(aliases, list):
        return [a for a in aliases if isinstance(a, str)]
    try:
        value = json.loads(aliases or "[]")
    except ValueError:
        return []
    return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []


def _is_name_alias(alias: str, parsed: ParsedName) -> bool:
    """Aliases that are written forms of the name ("Mr. Trump", "President Obama") and so take part in linking;
    a lone first name or surname does not."""
    return len(alias.split()) >= 2 and fold(alias) != fold(parsed.written)


class Linker:
    """Links one article's names to people. One instance per write transaction (holds its revision number)."""

    def __init__(self, db):
        self.db = db
        self._rev: int | None = None
        self.touched: set[int] = set()
        # whom a surname alone stands for, while no person or name is added or merged and no gender learnt
        # (a bulk batch asks the same surnames thousands of times)
        self._surname_memo: dict[tuple, int | None] = {}

    # -- the entry points ------------------------------------------------------------------

    def link(self, names: ArticleNames) -> dict[str, int | None]:
        """Folded written name (and alias) -> person id (None: unnamed). Counts the names as used once more."""
        entries = [(name, parse_name(name, kind=kind or "person", description=description), aliases)
                   for name, description, aliases, kind in names.speakers]
        known = {fold(name) for name, _, _, _ in names.speakers}
        for name in dict.fromkeys(names.others):  # each other name once: quotes repeat their speaker
            if fold(name) not in known:
                known.add(fold(name))
                entries.append((name, parse_name(name, kind=guess_kind(name)), None))
        # full names first: a surname alone in the same article is the person the article named in full
        entries.sort(key=lambda entry: entry[1].surname_only)
        local: dict[str, int | None] = {}
        used: list[tuple[int, ParsedName]] = []
        named: dict[str, set[int]] = {}  # surname -> people this article named in full
        for name, parsed, aliases in entries:
            norm = fold(name)
            if not norm or norm in local:
                continue
            in_article = named.get(parsed.surname, set()) if parsed.surname_only else set()
            if parsed.unnamed:
                pid = None
            elif len(in_article) == 1 and not parsed.suffix:
                pid = next(iter(in_article))
            else:
                pid = self.resolve(parsed)
            local[norm] = pid
            if pid is None:
                continue
            used.append((pid, parsed))
            if parsed.first:
                named.setdefault(parsed.surname, set()).add(pid)
            self._aliases(pid, parsed, norm, aliases or [], local, used)
            if parsed.kind == "org" and aliases is not None:
                self._acronyms(pid, parsed, aliases, names.body, used)
        self._count(used)
        return {norm: (self.live(pid) if pid else None) for norm, pid in local.items()}

    @staticmethod
    def _aliases(pid: int, parsed: ParsedName, norm: str, aliases, local: dict, used: list) -> None:
        for alias in _alias_list(aliases):
            if not fold(alias) or fold(alias) == norm:
                continue
            local.setdefault(fold(alias), pid)
            if _is_name_alias(alias, parsed):
                used.append((pid, parse_name(alias, kind=parsed.kind)))
            else:  # a word of the name ("Trump", "Hillary"): found by /who, never a key for linking
                used.append((pid, ParsedName(alias, alias, parsed.kind, None)))

    def _count(self, used: list[tuple[int, ParsedName]]) -> None:
        """Each name an article used counts once more for its person; canonical names follow."""
        seen: set[tuple[int, str]] = set()
        used.sort(key=lambda use: use[1].key is None)  # a name that links ("FBI" of an org) before the same as a word
        for pid, parsed in used:
            pid = self.live(pid)
            if (pid, fold(parsed.written)) not in seen:
                seen.add((pid, fold(parsed.written)))
                self._add_name(pid, parsed, 1)
        for pid in list(self.touched):
            self.refresh_person(pid)
        self.touched.clear()

    def unlink_article(self, article_id: int) -> None:
        """Before an article's rows are deleted (a corrected version): its names count once less."""
        local: set[str] = set()
        uses: set[tuple[int, str]] = set()
        for pid, norm, aliases in self.db.execute(
                "select person_id, norm, aliases from speakers where article_id = ?", [article_id]).fetchall():
            local.add(norm)
            if pid is None:
                continue
            uses.add((pid, norm))
            for alias in _alias_list(aliases):
                if fold(alias) and fold(alias) != norm:
                    local.add(fold(alias))
                    uses.add((pid, fold(alias)))
        for table in ("quotes", "claims"):
            for pid, norm in self.db.execute(
                    f"select distinct person_id, speaker_norm from {table} where article_id = ? and person_id is not null",
                    [article_id]).fetchall():
                if norm not in local:
                    uses.add((pid, norm))
        for pid, norm in uses:
            self.db.execute("update person_names set rows = rows - 1, rev = ? where person_id = ? and norm = ?",
                            [self.rev, pid, norm])
            self.db.execute("delete from person_names where person_id = ? and norm = ? and rows <= 0", [pid, norm])

    def link_stored(self, article_id: int) -> None:
        """Link an article already stored (the migration): reads its rows, writes their person ids."""
        speakers = [(n, d, _alias_list(a), k or "person") for n, d, a, k in self.db.execute(
            "select name, description, aliases, kind from speakers where article_id = ? order by id", [article_id])]
        others = [r[0] for r in self.db.execute(
            "select speaker from quotes where article_id = ? and speaker is not null union all "
            "select speaker from claims where article_id = ? and speaker is not null", [article_id, article_id])]
        body = self.db.execute("select body from articles where id = ?", [article_id]).fetchone()
        people = self.link(ArticleNames(speakers, others, (body[0] if body else "") or ""))
        self.write_ids(article_id, people)

    def write_ids(self, article_id: int, people: dict[str, int | None]) -> None:
        for norm, pid in people.items():
            if pid is None:
                continue
            self.db.execute("update speakers set person_id = ? where article_id = ? and norm = ?", [pid, article_id, norm])
            for table in ("quotes", "claims"):
                self.db.execute(f"update {table} set person_id = ? where article_id = ? and speaker_norm = ?",
                                [pid, article_id, norm])

    # -- resolving one name ------------------------------------------------------------------

    def resolve(self, parsed: ParsedName) -> int:
        rule = self._rule_for(parsed)
        if rule is not None:
            return self._by_rule(rule, parsed)
        if parsed.kind == "org":
            return self._by_key(parsed.key) or self.new_person(parsed)
        if parsed.surname_only:
            return self._surname_target(parsed, orphans=True) or self.new_person(parsed)
        pid = self._by_key(parsed.key) or self._compatible_person(parsed)
        if pid is None:
            pid = self.new_person(parsed)
            self._absorb_surname_only(pid, parsed)
        return pid

    def _rule_for(self, parsed: ParsedName):
        norms = {fold(parsed.written), fold(parsed.core)}
        marks = ",".join("?" * len(norms))
        return self.db.execute(
            f"select action, name_norm, target, value from people_rules where name_norm in ({marks}) "
            "and action in ('merge', 'split') order by id desc limit 1", list(norms)).fetchone()

    def _by_rule(self, rule, parsed: ParsedName) -> int:
        action, name_norm, target, value = rule
        if action == "split":
            row = self.db.execute("select id from people where pinned = ? and merged_into is null", [name_norm]).fetchone()
            return row[0] if row else self.new_person(parsed, name=value, pinned=name_norm)
        row = self.db.execute(
            "select n.person_id from person_names n join people p on p.id = n.person_id "
            "where n.norm = ? and p.merged_into is null order by n.rows desc limit 1", [target]).fetchone()
        row = row or self.db.execute("select id from people where norm = ? and merged_into is null", [target]).fetchone()
        return row[0] if row else self.new_person(parse_name(value or target, kind=parsed.kind))

    def _by_key(self, key: str | None) -> int | None:
        row = self.db.execute(
            "select n.person_id from person_names n join people p on p.id = n.person_id "
            "where n.key = ? and p.merged_into is null "
            "group by n.person_id order by sum(n.rows) desc, n.person_id limit 1", [key]).fetchone()
        return row[0] if row else None

    def _surname_people(self, surname: str) -> dict[int, list[tuple]]:
        """Live people with a name of this surname -> their names (first, middles, suffix)."""
        out: dict[int, list[tuple]] = {}
        for pid, first, middles, suffix in self.db.execute(
                "select n.person_id, n.first, n.middles, n.suffix from person_names n join people p on p.id = n.person_id "
                "where n.surname = ? and p.merged_into is null and p.kind = 'person'", [surname]):
            out.setdefault(pid, []).append((first, tuple((middles or "").split()), suffix))
        return out

    def _compatible_person(self, parsed: ParsedName) -> int | None:
        """The one known person whose full names all agree with `parsed` (rule 3)."""
        found = []
        for pid, names in self._surname_people(parsed.surname).items():
            full = [n for n in names if n[0]]
            if full and all(self._agree(n, parsed) for n in full):
                found.append(pid)
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _agree(name: tuple, parsed: ParsedName) -> bool:
        first, middles, suffix = name
        if suffix != parsed.suffix or not first_compatible(first, parsed.first):
            return False
        return middles == parsed.middles or not middles or not parsed.middles

    def _surname_target(self, parsed: ParsedName, *, orphans: bool) -> int | None:
        """Rule 4: whom a surname alone stands for across articles, when nothing contradicts."""
        memo = (parsed.surname, parsed.gender, parsed.title, parsed.suffix, orphans)
        if memo not in self._surname_memo:
            self._surname_memo[memo] = self._find_surname_target(parsed, orphans=orphans)
        return self._surname_memo[memo]

    def _find_surname_target(self, parsed: ParsedName, *, orphans: bool) -> int | None:
        people = self._surname_people(parsed.surname)
        if not people:
            return None
        genders = dict(self.db.execute(
            f"select id, gender from people where id in ({','.join('?' * len(people))})", list(people)).fetchall())
        full, bare = [], []
        for pid, names in people.items():
            if any(n[2] != parsed.suffix for n in names if n[0]):
                continue  # "Trump" is not "Donald Trump Jr."
            if parsed.gender and genders.get(pid) and genders[pid] != parsed.gender:
                continue
            (full if any(n[0] for n in names) else bare).append(pid)
        if len(full) > 1 and parsed.title:
            full = [pid for pid in full if self._has_title(pid, parsed.title)] or full
        if len(full) == 1:
            return full[0]
        if orphans and bare and not full:
            return bare[0]
        if orphans and bare:  # several full-name people: keep to the surname-only identity of this gender
            same = [pid for pid in bare if genders.get(pid) == parsed.gender]
            return (same or [None])[0]
        return None

    def _has_title(self, pid: int, title: str) -> bool:
        if self.db.execute("select 1 from person_names where person_id = ? and title = ? limit 1", [pid, title]).fetchone():
            return True
        return self.db.execute("select 1 from speakers where person_id = ? and lower(description) like ? limit 1",
                               [pid, f"%{title}%"]).fetchone() is not None

    def _absorb_surname_only(self, pid: int, parsed: ParsedName) -> None:
        """A new full-name person: surname-only identities that now stand for it join it (earlier rows re-linked)."""
        for (other,) in self.db.execute(
                "select distinct n.person_id from person_names n join people p on p.id = n.person_id "
                "where n.surname = ? and p.full = 0 and p.kind = 'person' and p.merged_into is null "
                "and p.pinned is null and n.person_id != ?", [parsed.surname, pid]).fetchall():
            gender = self.db.execute("select gender from people where id = ?", [other]).fetchone()[0]
            probe = ParsedName(parsed.surname, parsed.surname, "person", parsed.surname, None, (), parsed.surname,
                               None, gender, None)
            if self._surname_target(probe, orphans=False) == pid:
                self.merge_rows(other, pid)

    def _acronyms(self, pid: int, parsed: ParsedName, aliases, body: str, used: list) -> None:
        """"Federal Bureau of Investigation (FBI)" or an alias "FBI": the acronym is a name of the organisation."""
        acronym = acronym_of(parsed.core)
        if len(acronym) < 2:
            return
        found = [a for a in _alias_list(aliases) if fold(a).replace(".", "") == acronym]
        in_text = False
        if not found and body:
            match = re.search(re.escape(parsed.core) + r"\s*\(([A-Z][A-Za-z.]{1,9})\)", body)
            if match and fold(match[1]).replace(".", "") == acronym:
                found, in_text = [match[1]], True
        for written in found:
            short = parse_name(written, kind="org")
            other = self._by_key(short.key)
            if other is not None and other != pid:
                self.merge_rows(other, pid)
            if in_text:  # a name of the organisation, not one this article's rows use: counts no article
                self._add_name(pid, short, 0)
            else:
                used.append((pid, short))

    # -- writing people -----------------------------------------------------------------------

    @property
    def rev(self) -> int:
        if self._rev is None:
            self._rev = self.db.execute(
                "select max((select coalesce(max(rev), 0) from people), (select coalesce(max(rev), 0) from person_names)) + 1"
            ).fetchone()[0]
        return self._rev

    def live(self, pid: int) -> int:
        for _ in range(50):
            row = self.db.execute("select merged_into from people where id = ?", [pid]).fetchone()
            if not row or row[0] is None:
                return pid
            pid = row[0]
        return pid

    def new_person(self, parsed: ParsedName, *, name: str | None = None, pinned: str | None = None) -> int:
        display = name or parsed.core
        pid = None if pinned else self._nameless(fold(display), parsed.kind)
        if pid is not None:  # a corrected version or a reextract brings back whom it left nameless: same id
            self.db.execute("update people set name = ?, gender = ?, full = ?, rev = ? where id = ?",
                            [display, parsed.gender, int(parsed.first is not None), self.rev, pid])
        else:
            pid = self.db.execute(
                "insert into people (name, norm, kind, gender, full, pinned, rev) values (?, ?, ?, ?, ?, ?, ?)",
                [display, fold(display), parsed.kind, parsed.gender, int(parsed.first is not None), pinned, self.rev],
            ).lastrowid
        self._surname_memo.clear()
        self._add_name(pid, parsed, 0)
        return pid

    def _nameless(self, norm: str, kind: str) -> int | None:
        """A live person of this name left with no names (its only article was replaced or re-extracted):
        reusing its id keeps the follows and the buttons that name it."""
        row = self.db.execute(
            "select id from people p where norm = ? and kind = ? and merged_into is null and pinned is null "
            "and not exists (select 1 from person_names n where n.person_id = p.id) order by id limit 1",
            [norm, kind]).fetchone()
        return row[0] if row else None

    def _add_name(self, pid: int, parsed: ParsedName, rows: int) -> None:
        norm = fold(parsed.written)
        updated = self.db.execute(  # a name first seen as a word of another ("Obama") gains its linking parts
            "update person_names set rows = rows + ?, rev = ?, title = coalesce(?, title), key = coalesce(key, ?), "
            "surname = coalesce(surname, ?), first = coalesce(first, ?), suffix = coalesce(suffix, ?) "
            "where person_id = ? and norm = ?",
            [rows, self.rev, parsed.title, parsed.key, parsed.surname, parsed.first, parsed.suffix, pid, norm]).rowcount
        if not updated:
            self.db.execute(
                "insert into person_names (person_id, name, norm, core, key, first, middles, surname, suffix, title, rows, rev) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [pid, parsed.written, norm, parsed.core, parsed.key, parsed.first, " ".join(parsed.middles),
                 parsed.surname, parsed.suffix, parsed.title, rows, self.rev])
            self._surname_memo.clear()
        if parsed.gender:
            if self.db.execute("update people set gender = ?, rev = ? where id = ? and gender is null",
                               [parsed.gender, self.rev, pid]).rowcount:
                self._surname_memo.clear()
        # the canonical name can change only when a new name arrives or another form gains an article
        shown = fold(parsed.written if parsed.kind == "org" else parsed.core)
        if not updated or (parsed.key and shown != self.db.execute(
                "select norm from people where id = ?", [pid]).fetchone()[0]):
            self.touched.add(pid)

    def merge_rows(self, source: int, target: int) -> None:
        """Person `source` becomes part of `target`: its rows and names move, its id redirects to `target`."""
        source, target = self.live(source), self.live(target)
        if source == target:
            return
        self._surname_memo.clear()
        for table in ("speakers", "quotes", "claims"):
            self.db.execute(f"update {table} set person_id = ? where person_id = ?", [target, source])
        for norm, rows in self.db.execute("select norm, rows from person_names where person_id = ?", [source]).fetchall():
            # the same written name on both sides: add up, and keep the linking parts if only the source had them
            if self.db.execute(
                    "update person_names set rows = person_names.rows + s.rows, rev = ?, key = coalesce(person_names.key, s.key), "
                    "core = coalesce(person_names.core, s.core), first = coalesce(person_names.first, s.first), "
                    "middles = coalesce(person_names.middles, s.middles), surname = coalesce(person_names.surname, s.surname), "
                    "suffix = coalesce(person_names.suffix, s.suffix), title = coalesce(person_names.title, s.title) "
                    "from (select * from person_names where person_id = ? and norm = ?) s "
                    "where person_names.person_id = ? and person_names.norm = ?",
                    [self.rev, source, norm, target, norm]).rowcount:
                self.db.execute("delete from person_names where person_id = ? and norm = ?", [source, norm])
            else:
                self.db.execute("update person_names set person_id = ?, rev = ? where person_id = ? and norm = ?",
                                [target, self.rev, source, norm])
        self.db.execute("update people set merged_into = ?, rev = ? where id = ? or merged_into = ?",
                        [target, self.rev, source, source])
        self.db.execute("update people set gender = coalesce(gender, (select gender from people where id = ?)), rev = ? "
                        "where id = ?", [source, self.rev, target])
        self.touched.add(target)

    def refresh_person(self, pid: int) -> None:
        """Canonical name (an editor's rename, else the most used full form without title), full-name flag."""
        kind = self.db.execute("select kind from people where id = ?", [pid]).fetchone()[0]
        shown = "name" if kind == "org" else "core"  # "the Kremlin" as written; a person without their title
        names = self.db.execute(f"select {shown}, norm, first, rows, middles from person_names "
                                "where person_id = ? and key is not null", [pid]).fetchall()
        if not names:
            return
        renamed = self.db.execute(
            f"select value from people_rules where action = 'rename' and name_norm in ({','.join('?' * len(names))}) "
            "order by id desc limit 1", [n[1] for n in names]).fetchone()
        full = any(n[2] for n in names)
        if renamed:
            display = renamed[0]
        else:  # the form most articles used, counting "President Donald Trump" as "Donald Trump"
            pool = [n for n in names if n[2]] or names
            totals: dict[str, int] = {}
            for shown_name, _, _, rows, _ in pool:
                totals[fold(shown_name)] = totals.get(fold(shown_name), 0) + rows
            display = max(pool, key=lambda n: (totals[fold(n[0])], n[3], bool(n[4]), -len(n[0]), n[0]))[0]
        self.db.execute(
            "update people set name = ?, norm = ?, full = ?, rev = ? "
            "where id = ? and (name is not ? or full is not ?)",
            [display, fold(display), int(full), self.rev, pid, display, int(full)])
