"""What a refused or failed digest send means: stop for good, or try again later (and when).

No Telegram here: the adapter passes Telegram's description of the error and whether it was
a 403 (Forbidden). A permanent refusal deactivates the subscription with a reason people can
act on; anything else is transient and backs off 1, 2, 4, ... minutes, within the grace window
(`Subscriptions.plan` skips the slot once it is past it).
"""
from __future__ import annotations

from datetime import timedelta

# Telegram's descriptions (lower case) that will not change however often the digest is retried,
# each with what an admin can do about it. Checked in order.
_PERMANENT: tuple[tuple[tuple[str, ...], str], ...] = (
    (("topic_closed", "topic closed"),
     "the forum topic it goes to is closed; reopen it, or /subscribe in another topic"),
    (("not enough rights", "have no rights", "no rights to send", "chat_write_forbidden", "chat_restricted",
      "need administrator rights", "chat_admin_required", "chat_send_plain_forbidden"),
     "the bot may not post in this chat (it is read-only for the bot, or the bot lacks the right to send "
     "messages); give it that right and /subscribe again"),
    (("chat not found", "peer_id_invalid", "group chat was deactivated", "chat is deactivated"),
     "the chat no longer exists for the bot"),
)
MAX_BACKOFF = timedelta(hours=24)


def permanent_reason(description: str, *, forbidden: bool = False) -> str | None:
    """Why retrying cannot help (shown in /settings), or None for a transient failure.

    Every 403 is permanent (blocked, kicked, not a member); a 400 only when Telegram says so in
    words that will not change. Other 400s (a message Telegram could not read) are our fault and
    may be gone tomorrow: they back off like network errors.
    """
    lowered = description.lower()
    for needles, reason in _PERMANENT:
        if any(needle in lowered for needle in needles):
            return f"{reason} (Telegram: {description})"
    if forbidden:
        return f"the bot cannot write here (Telegram: {description})"
    return None


def backoff(failures: int, at_least: float = 0.0) -> timedelta:
    """The wait after the n-th failure in a row: 1, 2, 4, ... minutes (never less than `at_least` s)."""
    wait = timedelta(minutes=2 ** max(failures - 1, 0)) if failures < 12 else MAX_BACKOFF
    return max(min(wait, MAX_BACKOFF), timedelta(seconds=at_least))
