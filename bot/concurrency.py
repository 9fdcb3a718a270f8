"""Updates from different chats side by side; one chat's updates one at a time, in the order sent.

A real Bot API round trip is 50-200 ms: a bot that handles one update at a time answers 5 to 20 a
second, however fast it is. PTB's `concurrent_updates(True)` runs updates side by side but loses a
chat's order (a user's "/latest" then "/who x" may be answered the other way round, and the flood
guard could count them out of order).

`PerChatUpdateProcessor` keeps the order per chat (`effective_chat.id`, else `effective_user.id`).
PTB's `BaseUpdateProcessor.process_update` takes a concurrency slot *before* `do_process_update`, so
waiting there for the chat's turn would let one busy chat's queued updates hold every slot. Instead,
an update whose chat is already being served is handed to the task serving it and its own task
returns at once, freeing its slot: a chat never holds more than one slot, and its updates run in the
order they arrived.
"""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

ChatKey = tuple[str, int]


def chat_key(update: object) -> ChatKey | None:
    """Whose order this update keeps: its chat's, else its user's; None for updates of no one."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 128):
        super().__init__(max_concurrent_updates)
        self._backlogs: dict[ChatKey, deque[Awaitable[Any]]] = {}  # chats being served -> updates waiting

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        backlog = self._backlogs.get(key)
        if backlog is not None:  # this chat is being served: its task takes this update after the others
            backlog.append(coroutine)
            return
        backlog = self._backlogs[key] = deque([coroutine])
        try:
            while backlog:
                try:
                    await backlog.popleft()
                except Exception:  # Application.process_update handles handler errors; this is a last guard
                    log.exception("an update failed outside its handlers")
        finally:
            del self._backlogs[key]
            for left in backlog:  # only when this task was cancelled: close them, never leave them unawaited
                getattr(left, "close", lambda: None)()

    def waiting(self) -> int:
        """Updates queued behind their chat's current one."""
        return sum(len(backlog) for backlog in self._backlogs.values())

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
