"""What the alert job would send, without Telegram: shared by the follow tests."""
from __future__ import annotations

from datetime import timedelta

from briefs.follows import Follows


def due(follows: Follows, *, named: bool = False) -> dict[int, list[str]]:
    """Collect, then each due chat's new quotes as "[Update: ][Person: ]text", recorded as sent (as the job does
    after Telegram accepts)."""
    while follows.collect():
        pass
    out = {}
    for chat in follows.due_chats():
        alert = follows.pending(chat)
        if not alert.quotes:
            follows.drop(alert)
            continue
        follows.record(alert, message_id=1)
        out[chat] = [("Update: " if q.update else "") + (f"{q.person}: " if named else "") + q.text
                     for q in alert.quotes]
    return out


def later(follows: Follows, seconds: int, now) -> None:
    follows.clock = lambda: now + timedelta(seconds=seconds)
