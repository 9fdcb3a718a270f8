"""A per-user flood limit: at most N commands in a sliding window, one notice, then silence.

Transport-free: the Telegram adapter asks `check(user_id)` before answering.
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"  # answer
    NOTICE = "notice"  # refuse, and say so once
    SILENT = "silent"  # refuse without a word until the window has passed


class FloodGate:
    """`limit` commands per `window` seconds per user.

    Only answered commands count, so a user who keeps typing while silenced is
    not locked out for longer: answers resume as soon as the oldest counted
    command leaves the window, and the next excess gets a fresh notice.
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = float(window)
        self.clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._noticed: set[int] = set()
        self._last_sweep = clock()

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        self._sweep(now)
        times = self._seen.setdefault(user_id, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._noticed.discard(user_id)
            return Verdict.ALLOW
        if user_id in self._noticed:
            return Verdict.SILENT
        self._noticed.add(user_id)
        return Verdict.NOTICE

    def retry_after(self, user_id: int) -> float:
        """Seconds until this user's next command is answered."""
        times = self._seen.get(user_id)
        if not times or len(times) < self.limit:
            return 0.0
        return max(0.0, times[0] + self.window - self.clock())

    def _sweep(self, now: float) -> None:
        """Forget users idle for a whole window, now and then, so memory stays bounded."""
        if now - self._last_sweep < self.window:
            return
        self._last_sweep = now
        stale = [user for user, times in self._seen.items() if not times or times[-1] <= now - self.window]
        for user in stale:
            del self._seen[user]
            self._noticed.discard(user)

    def __len__(self) -> int:
        return len(self._seen)
