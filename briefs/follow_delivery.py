"""Where a chat's follow alerts go, and when a failed one is tried again. No Telegram here.

Table `follow_chats` (migration m010_follow_thread): `thread_id`, the forum topic the chat's latest
/follow came from (alerts go there, as a digest goes to the topic of its /subscribe; NULL: the chat
itself), and `failures`, the alert sends in a row that failed for now (network, 5xx, a 400 that is not
permanent). After the n-th, the chat waits `briefs.delivery.backoff(n)` (1, 2, 4, ... minutes), as a
digest does: the wait is a `follow_batches` row without a message, stamped so that the one-message-a-
minute rule (`Follows.due_chats`) holds the chat until then. Articles older than 48 h drop out meanwhile.
"""
from __future__ import annotations

from datetime import timedelta, timezone

from . import delivery
from .follows import CHAT_GAP, Follows


def remember_thread(follows: Follows, chat_id: int, thread_id: int | None) -> None:
    with follows.store._write():
        follows.db.execute(
            "insert into follow_chats (chat_id, thread_id) values (?, ?)"
            " on conflict (chat_id) do update set thread_id = excluded.thread_id", [chat_id, thread_id])


def thread_of(follows: Follows, chat_id: int) -> int | None:
    row = follows.db.execute("select thread_id from follow_chats where chat_id = ?", [chat_id]).fetchone()
    return row[0] if row else None


def failed(follows: Follows, chat_id: int, retry_after: float = 0.0) -> timedelta:
    """A send failed for now: the chat waits 1, 2, 4, ... minutes (at least `retry_after` s). Returns the wait."""
    with follows.store._write():
        follows.db.execute(
            "insert into follow_chats (chat_id, failures) values (?, 1)"
            " on conflict (chat_id) do update set failures = failures + 1", [chat_id])
        failures = follows.db.execute("select failures from follow_chats where chat_id = ?", [chat_id]).fetchone()[0]
        wait = delivery.backoff(failures, retry_after)
        follows.db.execute("insert into follow_batches (chat_id, sent_at, articles) values (?, ?, 0)",
                           [chat_id, (follows.clock() + max(wait - CHAT_GAP, timedelta(0))).astimezone(timezone.utc)
                            .isoformat(timespec="seconds")])
    return wait


def succeeded(follows: Follows, chat_id: int) -> None:
    """A send went through (or may have): the next failure waits a minute again. Writes only after failures
    (one commit per alert keeps the fan-out's pace)."""
    if follows.db.execute("select 1 from follow_chats where chat_id = ? and failures > 0", [chat_id]).fetchone():
        with follows.store._write():
            follows.db.execute("update follow_chats set failures = 0 where chat_id = ?", [chat_id])
