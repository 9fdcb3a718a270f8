"""`newsbrief people`: an editor's view and corrections of the person identities (briefs/people.py)."""
from __future__ import annotations

import sys

import click


def _store():
    from .cli_settings import open_store

    return open_store()


def _done(action):
    """Run a correction; a refusal is a one-line error and exit 1, nothing changed."""
    from briefs.people import PeopleError

    try:
        return action()
    except PeopleError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@click.group()
def people() -> None:
    """List and correct the people that link speakers across articles (corrections survive re-ingest)."""


@people.command("list")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--name", default=None, help="Only people any of whose names holds these words.")
def list_(limit: int, name: str | None) -> None:
    """Canonical name, aliases, article and quote counts, most quoted first."""
    from briefs.people import candidates, get_person, list_people

    store = _store()
    found = [get_person(store, pid) for pid in candidates(store, name)] if name else list_people(store, limit)
    found = sorted((p for p in found if p), key=lambda p: (-p.quotes, p.name))[:limit]
    if not found:
        click.echo("no people" + (f" named {name!r}" if name else " yet"))
    for person in found:
        others = [a for a in person.aliases if a != person.name]
        click.echo(f"{person.id}\t{person.name}\t{person.kind}\t{_n(person.articles, 'article')}\t{_n(person.quotes, 'quote')}"
                   + (f"\t{'; '.join(others[:12])}" if others else ""))


@people.command()
@click.argument("keep", type=int)
@click.argument("other", type=int)
def merge(keep: int, other: int) -> None:
    """Person OTHER becomes part of person KEEP."""
    from briefs.people import get_person, merge as merge_people

    store = _store()
    pid = _done(lambda: merge_people(store, keep, other))
    click.echo(f"merged {other} into {pid}: {get_person(store, pid).name}")


@people.command()
@click.argument("person", type=int)
@click.option("--name", required=True, help="The name as written whose rows move to a new person.")
def split(person: int, name: str) -> None:
    """The rows of PERSON written as NAME move to a new person."""
    from briefs.people import get_person, split as split_person

    store = _store()
    new = _done(lambda: split_person(store, person, name))
    click.echo(f"split {name!r} off {person}: new person {new}: {get_person(store, new).name}")


@people.command()
@click.argument("person", type=int)
@click.argument("name", nargs=-1, required=True)
def rename(person: int, name: tuple[str, ...]) -> None:
    """Show PERSON as NAME everywhere."""
    from briefs.people import rename as rename_person

    store = _store()
    _done(lambda: rename_person(store, person, " ".join(name)))
    click.echo(f"renamed {person}: {' '.join(name)}")
