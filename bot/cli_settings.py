"""The Settings of one `newsbrief` run, shared by the command groups (bot/cli.py, bot/people_cli.py)."""
from __future__ import annotations

import sys

import click

from .config import SettingsError, load_settings


def run_settings():
    """The Settings of this run: built once (on first need) in the root context, then passed down."""
    root = click.get_current_context().find_root()
    holder = root.ensure_object(dict)
    if "settings" not in holder:
        try:
            holder["settings"] = load_settings()
        except SettingsError as exc:
            raise click.UsageError(str(exc)) from None
    return holder["settings"]


def open_store(settings=None):
    """The store at NEWSBRIEF_DB_PATH; when another process holds it locked: one line and exit 1."""
    from briefs.store import Store, StoreBusy

    try:
        return Store((settings or run_settings()).db_path)
    except StoreBusy as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
