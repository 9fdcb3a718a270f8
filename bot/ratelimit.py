"""A rate limiter that paces only the digest fan-out and lets command replies through.

PTB's AIORateLimiter puts every request, replies included, in one 30/s queue and
halts everything on a RetryAfter, so a person's /who would wait behind thousands
of digests. This one only throttles requests sent with
`rate_limit_args=DIGEST` (the dispatcher's sends):

- at most `per_second` digest sends in any sliding second, evenly spaced (1/per_second apart: a
  burst let through at once reaches the server bunched with the previous second's sends, and a
  30/s server answers 429); replies sent in that second count against it too, so replies go
  first and digests fill the rest. 28.6/s keeps the fan-out >= 0.95 of Telegram's 30/s with a
  little room for the jitter between a grant and its arrival at the server;
- at most `per_group_minute` digest sends per group chat in any sliding minute;
- a RetryAfter on a digest send halts the digest sends (not the replies) for
  retry_after + 0.1 s, halves their pace (won back by 1/s per calm second), then
  retries, up to `max_retries` times (a send that still fails stays due and is
  tried again on the next minute's run);
- replies (every request not marked as a digest send) are not paced to 30/s, but a message into a
  group waits for the group's 20-per-minute window (shared with digests), in order;
- a reply that meets a RetryAfter waits `retry_after` + 0.1 s and is sent again, as often as it takes:
  the user gets the answer late, never an apology and never twice. Its chat's later updates wait
  behind it (`bot.concurrency.PerChatUpdateProcessor`), so the chat's order holds.

`gate`, when set, is asked before each digest send leaves the queue: when it
says stop (the application is stopping), queued digest sends raise
`DigestSendCancelled` instead of going out; sends already on the wire finish.
A digest send may carry its own `still_wanted` check in its rate_limit_args,
asked as it leaves the queue (a chat that unsubscribed while waiting gets
nothing): when it says no, the send raises `DigestSendWithdrawn`.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

DIGEST = {"digest": True}
# methods that put a message into a chat (the ones Telegram's per-group limit counts)
MESSAGE_METHODS = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage", "forwardMessage",
    "sendAudio", "sendVideo", "sendAnimation", "sendVoice", "sendSticker", "sendLocation", "sendPoll",
})
CATCH_UP = 1  # digest slots a late grant may make up for (3 let bunches through: 429s)
GATE_CHECK = 0.5  # seconds between looks at the gate while a digest send waits for its turn


class DigestSendCancelled(Exception):
    """A queued digest send was not made because the bot is stopping."""


class DigestSendWithdrawn(DigestSendCancelled):
    """A queued digest send was not made: its chat no longer wants it as planned."""


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class DigestRateLimiter(BaseRateLimiter[dict]):
    def __init__(
        self,
        per_second: float = 28.6,
        per_group_minute: int = 20,
        max_retries: int = 8,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep,
    ):
        self.per_second = per_second
        self.per_group_minute = per_group_minute
        self.max_retries = max_retries
        self.clock = clock
        self.sleep = sleep
        self.gate: Callable[[], bool] | None = None  # returns True to keep sending
        self._recent: deque[float] = deque()  # send times within the last second (all chats)
        self._replies: deque[float] = deque()  # reply send times within the last second
        self._groups: dict[int, deque[float]] = defaultdict(deque)
        self._group_locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._lock = asyncio.Lock()
        self._resume_at = 0.0  # digest sends halted until then (after a RetryAfter)
        self._rate = float(per_second)  # the pace now: halved on a RetryAfter, then won back slowly
        self._last_cut = float("-inf")
        self._calm_at = 0.0
        self._last_grant = float("-inf")  # when the last digest send was let through
        self.digest_sends = 0
        self.retry_afters = 0
        self.reply_retry_afters = 0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    # -- pacing -------------------------------------------------------------------

    def _trim(self, now: float) -> None:
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        while self._replies and self._replies[0] <= now - 1.0:
            self._replies.popleft()

    def _check_gate(self) -> None:
        if self.gate is not None and not self.gate():
            raise DigestSendCancelled()

    async def _wait_group(self, chat_id: int, *, stoppable: bool = True) -> None:
        window = self._groups[chat_id]
        async with self._group_locks[chat_id]:
            while True:
                now = self.clock()
                while window and window[0] <= now - 60.0:
                    window.popleft()
                if len(window) < self.per_group_minute:
                    window.append(now)
                    return
                if stoppable:
                    self._check_gate()
                await self.sleep(min(window[0] + 60.0 - now, GATE_CHECK))  # short naps: a stop is seen soon

    async def _wait_global(self) -> None:
        async with self._lock:
            while True:
                self._check_gate()
                now = self.clock()
                self._trim(now)
                wait = self._resume_at - now
                # while replies flow, one more place is kept free for them: a reply comes unannounced, and
                # the server counts arrivals, which jitter
                reserve = len(self._replies) + 1 if self._replies else 0
                if len(self._recent) >= self._rate - (1 if reserve else 0):
                    wait = max(wait, self._recent[0] + 1.0 - now)
                # evenly spaced, never a burst; the last second's replies take their share of the pace, so
                # digests and replies together stay evenly spread (bunched, they reach the server over 30/s)
                pace = max(1.0, self._rate - reserve)
                slot = self._last_grant + 1.0 / pace
                wait = max(wait, slot - now)
                if wait <= 0:
                    self._recent.append(now)
                    # woken late (sleep overshoot, a busy loop) by up to CATCH_UP slots: count from the slot,
                    # so the pace stays per_second (the one-second window above still caps any bunching)
                    self._last_grant = slot if now - slot < CATCH_UP / pace else now
                    return
                await self.sleep(min(wait, GATE_CHECK))

    # -- the interface ------------------------------------------------------------

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict | list[dict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict | None,
    ) -> bool | dict | list[dict]:
        chat_id = data.get("chat_id")
        if not (rate_limit_args or {}).get("digest"):
            return await self._reply(callback, args, kwargs, chat_id=chat_id if endpoint in MESSAGE_METHODS else None)
        is_group = isinstance(chat_id, int) and chat_id < 0
        for attempt in range(self.max_retries + 1):
            if is_group:
                await self._wait_group(chat_id)
            await self._wait_global()
            still_wanted = rate_limit_args.get("still_wanted")
            if still_wanted is not None and not still_wanted():
                raise DigestSendWithdrawn()
            try:
                result = await callback(*args, **kwargs)
                self.digest_sends += 1
                self._recover()
                return result
            except RetryAfter as exc:
                self.retry_afters += 1
                pause = _seconds(exc.retry_after) + 0.1
                now = self.clock()
                self._resume_at = max(self._resume_at, now + pause)
                if now >= self._last_cut + pause:  # one cut per flood wait, however many were in flight
                    self._rate = max(1.0, self._rate / 2)
                    self._last_cut = now
                log.info("digest sends halted for %.1f s (RetryAfter on %s); pace now %.0f/s",
                         pause, endpoint, self._rate)
                if attempt == self.max_retries:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _recover(self) -> None:
        """After a cut, win the pace back by 1/s for each calm second."""
        now = self.clock()
        if self._rate < self.per_second and now >= self._calm_at:
            self._rate = min(float(self.per_second), self._rate + 1)
            self._calm_at = now + 1.0

    async def _reply(self, callback, args, kwargs, *, chat_id):
        """A reply goes out now (a message into a group: within the group's minute); on a RetryAfter it
        waits as told and goes again, however often it takes."""
        if isinstance(chat_id, int) and chat_id < 0:
            await self._wait_group(chat_id, stoppable=False)
        while True:
            if chat_id is not None:  # a message into a chat takes its share of the second before the digests
                now = self.clock()
                self._trim(now)
                self._recent.append(now)
                self._replies.append(now)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.reply_retry_afters += 1
                await self.sleep(max(_seconds(exc.retry_after), 0.0) + 0.1)
