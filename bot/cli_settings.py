"""The Settings of one `newsbrief` run, shared by the command groups (bot/cli.py, bot/people_cli.py)."""
from __future__ import annotations

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
