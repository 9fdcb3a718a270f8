"""Digest subscriptions in the store: subscribe, due, deliver exactly once (the answers to /subscribe,
/settings and the like are in `briefs.digest_answers`). No Telegram here: the adapter passes chat ids
and the clock.

Exactly once: a subscription is due when `next_due_utc <= now`, it is active, and its
slot's local date has no delivery yet. After a successful send, `record_delivery` writes
the delivery (unique per chat and local date) and moves the marker and the next due time
in one transaction. A digest missed by more than the grace window is skipped: only the
next due time moves, so its articles go into the next digest.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal

from . import delivery, schedule
from .digest import FilterError, Filters, remember_filters, tokenize
from .schedule import ScheduleError, Slot

Clock = Callable[[], datetime]
TICK_SLACK = timedelta(minutes=2)  # a digest is on time when sent within the dispatcher's tick


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Subscription:
    chat_id: int
    thread_id: int | None
    chat_type: str | None
    time: str
    tz: str
    filters: str
    marker: int
    next_due_utc: str
    next_local_date: str
    active: int
    deactivated_reason: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    failures: int = 0  # transient send failures in a row for the slot now due
    retry_at: str | None = None  # not tried again before then (UTC)
    last_error: str | None = None
    notice_pending: int = 0  # a group's admins have not yet been told why it stopped

    @property
    def at(self) -> time:
        return schedule.parse_time(self.time)

    @property
    def filter_set(self) -> Filters:
        return Filters.parse(self.filters)

    @property
    def next_due(self) -> datetime:
        return schedule.from_db(self.next_due_utc)

    @property
    def stored_slot(self) -> Slot:
        return Slot(self.next_due, date.fromisoformat(self.next_local_date))


@dataclass(frozen=True)
class Plan:
    """What the dispatcher does with a due subscription."""

    action: Literal["send", "skip"]
    slot: Slot


@dataclass(frozen=True)
class SubscribeRequest:
    at: time | None
    zone: str | None
    filters: Filters | None  # None: keep the current ones


def parse_subscribe_args(text: str) -> SubscribeRequest:
    """`[HH:MM] [Area/City or +HH:MM] [who:NAME topic:WORDS ... | all]`, in any order."""
    at = zone = None
    filter_tokens: list[str] = []
    clear = False
    for token in tokenize(text):
        lowered = token.lower()
        if schedule.looks_like_time(token) and at is None:
            at = schedule.parse_time(token)
        elif schedule.looks_like_time(token):
            raise ScheduleError("Give one time only, for example /subscribe 08:30 Europe/Berlin.")
        elif lowered.startswith(("who:", "topic:")):
            filter_tokens.append(token)
        elif lowered in ("all", "everything", "nofilter"):
            clear = True
        elif zone is None:
            try:
                zone = schedule.parse_zone(token)
            except schedule.UnknownZone as exc:
                if ":" in token:
                    raise FilterError(
                        f"I can't read {token!r}. Filters look like who:NAME or topic:WORDS."
                    ) from None
                hint = "" if "/" in token else " (Filters need a prefix: who:Name or topic:word.)"
                raise ScheduleError(f"{exc}{hint}") from None
        else:
            raise ScheduleError(
                f"I can't read {token!r}: the time zone is already {zone}. "
                "Filters need a prefix: who:Name or topic:word."
            )
    if clear and filter_tokens:
        raise FilterError("'all' clears the filters; give either 'all' or filters, not both.")
    filters = Filters() if clear else (Filters.from_tokens(filter_tokens) if filter_tokens else None)
    return SubscribeRequest(at, zone, filters)


class _Unchanged(Exception):
    """Rolls a delivery record back."""


class Subscriptions:
    """The `subscriptions` and `deliveries` tables, with the clock and defaults passed in."""

    def __init__(
        self,
        store,
        *,
        default_time: str = "08:00",
        default_zone: str = "UTC",
        grace: timedelta = timedelta(hours=6),
        clock: Clock = utc_now,
    ):
        self.store = store
        self.db = store.db
        self.default_time = default_time
        self.default_zone = default_zone
        self.grace = grace
        self.clock = clock
        # chat id -> local date of the digest this process is sending there right now (past its last
        # "still wanted?" look, not yet recorded): that date has its digest, whatever /subscribe says meanwhile
        self._on_the_wire: dict[int, str] = {}

    # -- reading ----------------------------------------------------------------------

    def get(self, chat_id: int) -> Subscription | None:
        row = self.db.execute("select * from subscriptions where chat_id = ?", [chat_id]).fetchone()
        if row is None:
            return None
        names = [d[0] for d in self.db.execute("select * from subscriptions limit 0").description]
        return Subscription(**dict(zip(names, row)))

    def due(self, now: datetime, *, limit: int = 500, exclude: set[int] = frozenset()) -> list[Subscription]:
        """Active subscriptions whose next due time has come (and whose backoff has passed), earliest first."""
        names = [d[0] for d in self.db.execute("select * from subscriptions limit 0").description]
        rows = self.db.execute(
            "select * from subscriptions where active = 1 and next_due_utc <= ?"
            " and (retry_at is null or retry_at <= ?) order by next_due_utc, chat_id limit ?",
            [schedule.to_db(now), schedule.to_db(now), limit + len(exclude)],
        ).fetchall()
        subs = [Subscription(**dict(zip(names, r))) for r in rows]
        return [s for s in subs if s.chat_id not in exclude][:limit]

    def delivered(self, chat_id: int, local_date: str) -> bool:
        return self.db.execute(
            "select 1 from deliveries where chat_id = ? and local_date = ?", [chat_id, local_date]
        ).fetchone() is not None

    def _taken(self, chat_id: int, day: date, *, wire: bool = True) -> bool:
        """This local date had its digest, or (`wire`) has it on the wire now: one digest per local date."""
        return (wire and self._on_the_wire.get(chat_id) == day.isoformat()) or self.delivered(chat_id, day.isoformat())

    def next_free(self, chat_id: int, slot: Slot, at: time, zone: str, *, wire: bool = True) -> Slot:
        """`slot`, or the first slot after it whose local date has not had (and, `wire`, is not having) its
        digest. What is stored counts only deliveries: a send on the wire may still fail and need its slot."""
        while self._taken(chat_id, slot.local_date, wire=wire):
            slot = schedule.slot_after(slot, at, zone)
        return slot

    def upcoming(self, sub: Subscription, now: datetime) -> Slot:
        """The digest the dispatcher will send this subscription next, as `plan` will decide it: what
        /subscribe, /settings and /digest announce. A due slot that `plan` would skip is not announced."""
        slot = sub.stored_slot
        if slot.due <= now:
            plan = self.plan(sub, now)
            slot = plan.slot if plan.action == "send" else schedule.slot_after(plan.slot, sub.at, sub.tz)
        return self.next_free(sub.chat_id, slot, sub.at, sub.tz)

    def last_delivery(self, chat_id: int) -> dict | None:
        row = self.db.execute(
            "select local_date, sent_at, articles from deliveries where chat_id = ? order by sent_at desc limit 1",
            [chat_id],
        ).fetchone()
        return dict(zip(("local_date", "sent_at", "articles"), row)) if row else None

    def count(self, active_only: bool = True) -> int:
        sql = "select count(*) from subscriptions" + (" where active = 1" if active_only else "")
        return self.db.execute(sql).fetchone()[0]

    # -- changing ---------------------------------------------------------------------

    def subscribe(
        self, chat_id: int, request: SubscribeRequest, *, thread_id: int | None = None,
        chat_type: str | None = None,
    ) -> tuple[Subscription, bool]:
        """Create or update; returns (subscription, created). Reactivates a deactivated one."""
        now = self.clock()
        current = self.get(chat_id)
        at = request.at or (current.at if current else schedule.parse_time(self.default_time))
        zone = request.zone or (current.tz if current else self.default_zone)
        filters = request.filters if request.filters is not None else (
            current.filter_set if current else Filters())
        remember_filters(self.store, filters)
        slot = self._slot_for(chat_id, current, at, zone, now)
        row = {
            "chat_id": chat_id, "thread_id": thread_id, "chat_type": chat_type,
            "time": schedule.format_time(at), "tz": zone, "filters": filters.canonical(),
            "marker": current.marker if current else self.store.max_seq(),
            "next_due_utc": schedule.to_db(slot.due), "next_local_date": slot.local_date.isoformat(),
            "active": 1, "deactivated_reason": None, "failures": 0, "retry_at": None, "last_error": None,
            "notice_pending": 0,
            "created_at": current.created_at if current else _stamp(now), "updated_at": _stamp(now),
        }
        with self.store._write():  # BEGIN IMMEDIATE: safe next to a concurrent ingest
            self.db["subscriptions"].insert(row, replace=True)
        return self.get(chat_id), current is None

    def _slot_for(self, chat_id: int, current: Subscription | None, at: time, zone: str, now: datetime) -> Slot:
        """The next slot after a (re)subscribe. Same time and zone: a slot that is due, within the grace
        window and not yet sent stays (a filters-only change at 08:00:01 must not drop today's digest).
        Else the next one from now, never a second one for a local date that had its digest. (A digest on the
        wire is not counted here: if it fails, its slot is still needed; `upcoming` announces past it and the
        delivery's record moves the slot on.)"""
        if (current and schedule.format_time(at) == current.time and zone == current.tz
                and current.next_due <= now <= current.next_due + max(self.grace, TICK_SLACK)
                and not self._taken(chat_id, current.stored_slot.local_date, wire=False)):
            return current.stored_slot
        return self.next_free(chat_id, schedule.next_slot(at, zone, now), at, zone, wire=False)

    def unsubscribe(self, chat_id: int) -> bool:
        """Stop and delete the chat's subscription data (the subscription and its delivery records)."""
        with self.store._write():  # BEGIN IMMEDIATE: safe next to a concurrent ingest
            existed = self.db.execute("delete from subscriptions where chat_id = ?", [chat_id]).rowcount
            self.db.execute("delete from deliveries where chat_id = ?", [chat_id])
        return bool(existed)

    def migrate(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: its subscription and history follow the new id."""
        with self.store._write():  # BEGIN IMMEDIATE: safe next to a concurrent ingest
            moved = self.db.execute(
                "update or ignore subscriptions set chat_id = ?, chat_type = 'supergroup', updated_at = ?"
                " where chat_id = ?",
                [new_chat_id, _stamp(self.clock()), old_chat_id],
            ).rowcount  # ignored when the supergroup already has a subscription of its own
            if moved:
                self.db.execute("update or ignore deliveries set chat_id = ? where chat_id = ?",
                                [new_chat_id, old_chat_id])
        return bool(moved)

    def deactivate(self, chat_id: int, reason: str) -> None:
        """Stop sending, with the reason; a group's admins are told when they next use the bot."""
        with self.store._write():  # BEGIN IMMEDIATE: safe next to a concurrent ingest
            self.db.execute(
                "update subscriptions set active = 0, deactivated_reason = ?, notice_pending = ?, failures = 0,"
                " retry_at = null, updated_at = ? where chat_id = ?",
                [reason, int(chat_id < 0), _stamp(self.clock()), chat_id],
            )

    def refused(self, sub: Subscription, description: str, *, forbidden: bool = False,
                retry_after: float = 0.0) -> str | None:
        """A send failed: deactivate on a permanent refusal (returns its reason), else back off
        1, 2, 4, ... minutes. A subscription changed meanwhile is left as the change made it."""
        reason = delivery.permanent_reason(description, forbidden=forbidden)
        if reason:
            self.deactivate(sub.chat_id, reason)
            return reason
        failures = sub.failures + 1
        retry_at = self.clock() + delivery.backoff(failures, retry_after)
        with self.store._write():  # BEGIN IMMEDIATE: safe next to a concurrent ingest
            self.db.execute(
                "update subscriptions set failures = ?, retry_at = ?, last_error = ?"
                " where chat_id = ? and next_due_utc = ?",
                [failures, schedule.to_db(retry_at), description[:500], sub.chat_id, sub.next_due_utc],
            )
        return None

    def still_wanted(self, sub: Subscription) -> bool:
        """Just before a send: still active, and time, zone, filters, marker and due time as planned."""
        return self.db.execute(
            "select 1 from subscriptions where chat_id = ? and active = 1 and time = ? and tz = ? and filters = ?"
            " and marker = ? and next_due_utc = ?",
            [sub.chat_id, sub.time, sub.tz, sub.filters, sub.marker, sub.next_due_utc],
        ).fetchone() is not None

    def sending(self, sub: Subscription, slot: Slot) -> bool:
        """The last look before the digest for `slot` leaves (`still_wanted`). When it goes, its local date
        counts as taken until `send_done`, so a /subscribe meanwhile announces the digest that will follow."""
        if not self.still_wanted(sub):
            return False
        self._on_the_wire[sub.chat_id] = slot.local_date.isoformat()
        return True

    def send_done(self, chat_id: int) -> None:
        self._on_the_wire.pop(chat_id, None)

    # -- delivering ---------------------------------------------------------------------

    def plan(self, sub: Subscription, now: datetime) -> Plan:
        """For a due subscription: send the latest slot if it is within grace, else skip it."""
        slot = schedule.last_slot(sub.at, sub.tz, now)
        if slot.local_date.isoformat() < sub.next_local_date:  # clock went back; not due after all
            slot = Slot(sub.next_due, datetime.fromisoformat(sub.next_local_date).date())
        if self.delivered(sub.chat_id, slot.local_date.isoformat()):
            return Plan("skip", slot)
        late = now - slot.due
        if late > max(self.grace, TICK_SLACK):
            return Plan("skip", slot)
        return Plan("send", slot)

    def skip(self, sub: Subscription, slot: Slot) -> None:
        """Move only the next due time: the marker stays, so the articles go into the next digest."""
        following = schedule.slot_after(slot, sub.at, sub.tz)
        with self.store._write():  # BEGIN IMMEDIATE: safe next to a concurrent ingest
            self.db.execute(
                "update subscriptions set next_due_utc = ?, next_local_date = ?, failures = 0, retry_at = null"
                " where chat_id = ? and next_due_utc = ?",
                [schedule.to_db(following.due), following.local_date.isoformat(), sub.chat_id, sub.next_due_utc],
            )

    def record_delivery(
        self, sub: Subscription, slot: Slot, seq_to: int, *, articles: int, message_id: int | None,
        sent_at: datetime | None = None,
    ) -> bool:
        """After a successful send: delivery record, marker and next due time, in one transaction.

        Returns False when this slot was already recorded (nothing changes then). A change of time
        or zone made while the digest was on the wire is kept: the next due time follows it.
        """
        try:
            with self.store._write():  # BEGIN IMMEDIATE: safe next to a concurrent ingest
                inserted = self.db.execute(
                    "insert or ignore into deliveries"
                    " (chat_id, local_date, seq_from, seq_to, articles, message_id, sent_at) values (?, ?, ?, ?, ?, ?, ?)",
                    [sub.chat_id, slot.local_date.isoformat(), sub.marker, seq_to, articles, message_id,
                     _stamp(sent_at or self.clock())],
                ).rowcount
                if not inserted:
                    raise _Unchanged
                current = self.get(sub.chat_id)
                if current is None:  # unsubscribed while its digest was on the way: keep no record
                    raise _Unchanged
                following = self._following(sub, slot, current)  # this delivery's date is taken now
                self.db.execute(
                    "update subscriptions set marker = max(marker, ?), next_due_utc = ?, next_local_date = ?,"
                    " failures = 0, retry_at = null, last_error = null where chat_id = ?",
                    [seq_to, schedule.to_db(following.due), following.local_date.isoformat(), sub.chat_id],
                )
        except _Unchanged:
            return False
        return True

    def _following(self, sub: Subscription, slot: Slot, current: Subscription) -> Slot:
        """The slot after a delivery: from the planned time and zone, or from the subscription as it
        is now when /subscribe changed them (or its due time) meanwhile; never a delivered date again."""
        if (current.time, current.tz, current.next_due_utc) == (sub.time, sub.tz, sub.next_due_utc):
            return self.next_free(sub.chat_id, schedule.slot_after(slot, sub.at, sub.tz), sub.at, sub.tz)
        return self.next_free(sub.chat_id, current.stored_slot, current.at, current.tz)
