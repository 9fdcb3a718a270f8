"""The bot's answers in a terminal: the same `briefs.replies`, no Telegram.

A message is printed as a person reads it: HTML tags removed, entities
unescaped, each button as a `[label]` line; messages are separated by a line
`---`. In `chat`, typing a button's label (or its number) presses it.
"""
from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable, Iterable
from typing import TextIO
from zoneinfo import ZoneInfo

from briefs.replies import Button, Reply, ReplyContext, Replies
from briefs.store import Store

SEPARATOR = "---"
_TAG_RE = re.compile(r"<[^>]*>")


def to_plain(text: str) -> str:
    """Telegram HTML -> what a person reads."""
    return html.unescape(_TAG_RE.sub("", text))


def render(replies: Iterable[Reply]) -> str:
    parts = []
    for reply in replies:
        lines = [to_plain(reply.text)]
        lines += [f"[{button.label}]" for row in reply.buttons for button in row]
        parts.append("\n".join(lines))
    return f"\n{SEPARATOR}\n".join(parts)


def console_context(settings) -> ReplyContext:
    """The operator at the terminal: the default time zone, and admin commands allowed."""
    return ReplyContext(tz=ZoneInfo(settings.default_timezone), is_admin=True)


class Console:
    def __init__(self, store: Store, context: ReplyContext):
        self.replies = Replies(store)
        self.context = context
        self.buttons: list[Button] = []

    def ask(self, text: str) -> list[Reply]:
        """A command or, when it names a button of the last answer, that button."""
        button = self._button(text)
        if button is not None:
            answer = self.replies.press(button.data, self.context)
        else:
            answer = self.replies.answer_text(text, self.context)
        self.buttons = [b for reply in answer for row in reply.buttons for b in row]
        return answer

    def _button(self, text: str) -> Button | None:
        wanted = text.strip().strip("[]").strip().casefold()
        if not wanted or wanted.startswith("/"):
            return None
        if wanted.isdigit() and 1 <= int(wanted) <= len(self.buttons):
            return self.buttons[int(wanted) - 1]
        return next((b for b in self.buttons if b.label.casefold() == wanted), None)

    def loop(self, read: Callable[[str], str] = input, out: TextIO = sys.stdout) -> None:
        print("newsbrief console: type a command (/help), a button's label to press it, or quit.", file=out)
        while True:
            try:
                line = read("> ")
            except (EOFError, KeyboardInterrupt):
                print(file=out)
                return
            if line.strip().casefold() in {"quit", "exit", "/quit", "/exit"}:
                return
            if not line.strip():
                continue
            print(render(self.ask(line)), file=out)
            out.flush()
