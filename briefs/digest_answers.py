"""The answers to /subscribe, /unsubscribe, /settings and /digest, over `briefs.subscriptions`. No Telegram:
the adapter passes chat ids and whether the sender may change a group's subscription."""
from __future__ import annotations

from datetime import datetime

from . import schedule
from .digest import LATEST_PREVIEW, LIMIT, DigestMessage, FilterError, Filters, compose
from .examples import store_examples
from .people import candidates, get_person
from .schedule import ScheduleError, Slot
from .store import Store
from .subscriptions import Subscription, Subscriptions, parse_subscribe_args
from .text import esc


def paused_note(sub: Subscription) -> str:
    """Why a deactivated subscription sends nothing, and how to resume it."""
    reason = esc(sub.deactivated_reason or "no reason was recorded")
    return (f"Paused: {reason}. No digests are sent here until you resume it: "
            "/subscribe (it keeps the time, zone and filters).")


def describe(sub: Subscription, now: datetime, upcoming: Slot) -> str:
    """The subscription as /subscribe and /settings show it; `upcoming` is `Subscriptions.upcoming`."""
    filters = sub.filters or "none (every new article)"
    lines = [f"Daily digest at <b>{esc(sub.time)}</b> ({esc(sub.tz)})."]
    if sub.active:
        next_due = esc(schedule.describe_local(upcoming.due, sub.tz, now))
        if upcoming.due <= now:
            next_due = f"due now, on its way (the digest of {next_due})"
        lines.append(f"Next: {next_due}.")
    else:  # a paused subscription promises no next digest
        lines.append(paused_note(sub))
    lines.append(f"Filters: {esc(filters)}")
    if sub.active and sub.failures and sub.retry_at:
        retry = schedule.describe_local(schedule.from_db(sub.retry_at), sub.tz, now)
        lines.append(f"The last try failed ({esc(sub.last_error or 'no answer')}); trying again at {esc(retry)}.")
    return "\n".join(lines)


def subscribe_help(store: Store) -> str:
    """The usage, with an example from the store (its most quoted person, a frequent word)."""
    return (
        "/subscribe [HH:MM] [Area/City or +HH:MM] [filters]\n"
        f"  e.g. {store_examples(store).subscribe()}\n"
        "  filters: who:NAME (a speaker; several words in quotes: who:\"First Last\"),\n"
        "  topic:WORDS (all the words); an article matching any filter is in the digest;\n"
        "  /subscribe all clears the filters. Subscribing again changes only what you give."
    )


def who_notes(store: Store, filters: Filters) -> list[str]:
    """For each who: filter, whom it follows when that is not one person: several people, or nobody yet."""
    notes = []
    for name in filters.who:
        found = [p for p in (get_person(store, pid) for pid in candidates(store, name)[:50]) if p]
        found.sort(key=lambda p: (-p.quotes, p.name))
        label = f"who:{name}" if " " not in name else f'who:"{name}"'
        if len(found) > 1:
            shown = ", ".join(p.name for p in found[:6]) + (f" and {len(found) - 6} more" if len(found) > 6 else "")
            notes.append(f"{label} matches {len(found)} people: {shown}. Articles quoting any of them are in; "
                         "give more of the name to follow one.")
        elif not found:
            notes.append(f"{label} matches no one quoted yet; it will when they are.")
    return notes


class DigestAnswers:
    """Transport-free answers for the digest commands. Each returns a DigestMessage."""

    def __init__(self, subs: Subscriptions):
        self.subs = subs
        self.store = subs.store

    def subscribe(self, chat_id: int, args: str, *, thread_id: int | None = None, chat_type: str | None = None,
                  allowed: bool = True) -> DigestMessage:
        if not allowed:
            return DigestMessage("Only this group's admins can subscribe it to the daily digest.")
        try:
            request = parse_subscribe_args(args)
        except (ScheduleError, FilterError) as exc:
            return DigestMessage(f"{esc(exc)}\n\n{esc(subscribe_help(self.store))}")
        sub, created = self.subs.subscribe(chat_id, request, thread_id=thread_id, chat_type=chat_type)
        now = self.subs.clock()
        first = "Subscribed." if created else "Subscription updated."
        news = ("Your first digest holds what arrives from now on." if created
                else "It holds what arrived since your last digest.")
        notes = "".join(f"\n{esc(note)}" for note in who_notes(self.store, sub.filter_set))
        return DigestMessage(f"{first} {describe(sub, now, self.subs.upcoming(sub, now))}{notes}\n{news}\n/settings shows it, /digest previews it, "
                             "/unsubscribe stops it.")

    def unsubscribe(self, chat_id: int, *, allowed: bool = True) -> DigestMessage:
        if not allowed:
            return DigestMessage("Only this group's admins can unsubscribe it.")
        if self.subs.unsubscribe(chat_id):
            return DigestMessage("Unsubscribed: no more digests here, and this chat's subscription data is deleted.")
        return DigestMessage("This chat has no subscription. /subscribe starts one.")

    def settings(self, chat_id: int) -> DigestMessage:
        sub = self.subs.get(chat_id)
        if sub is None:
            return DigestMessage("No daily digest in this chat.\n" + esc(subscribe_help(self.store)))
        now = self.subs.clock()
        text = describe(sub, now, self.subs.upcoming(sub, now))
        last = self.subs.last_delivery(chat_id)
        if last and last["articles"]:
            text += f"\nLast digest: {esc(last['local_date'])} ({last['articles']} articles)."
        elif last:
            text += f"\nLast digest time: {esc(last['local_date'])}, nothing new (no message)."
        pending = self.store.max_seq() - sub.marker
        since = "your last digest" if last else "you subscribed"
        text += f"\nNew articles since {since}: {max(pending, 0)} (before filters; /digest previews)."
        return DigestMessage(text)

    def pending_notice(self, chat_id: int) -> DigestMessage | None:
        """For a group's admin: why its digest stopped, when they have not been told yet."""
        sub = self.subs.get(chat_id)
        if sub is None or sub.active or not sub.notice_pending:
            return None
        reason = esc(sub.deactivated_reason or "deactivated")
        return DigestMessage(f"This chat's daily digest has stopped: {reason}.\n"
                             "/subscribe starts it again; /settings shows it.")

    def notice_shown(self, chat_id: int) -> None:
        with self.store._write():  # BEGIN IMMEDIATE: safe next to a concurrent ingest
            self.subs.db.execute("update subscriptions set notice_pending = 0 where chat_id = ?", [chat_id])

    def preview(self, chat_id: int) -> DigestMessage:
        """/digest: the next digest as it stands now; the marker does not move."""
        sub = self.subs.get(chat_id)
        top = self.store.max_seq()
        if sub is None:
            message = compose(self.store, max(top - LATEST_PREVIEW, 0), top, title="Latest articles",
                              limit=LIMIT - 200, fresh=False)
            message.text += "\n\nNo daily digest here yet: /subscribe 08:00 Europe/Berlin (for example)."
            return message
        message = compose(self.store, sub.marker, top, sub.filter_set, title="Preview of your next digest",
                          limit=LIMIT - 200)
        if not sub.active:
            message.text += f"\n\n(A preview. {paused_note(sub)})"
            return message
        now = self.subs.clock()
        message.text += "\n\n(A preview: your digest still comes at " + esc(
            schedule.describe_local(self.subs.upcoming(sub, now).due, sub.tz, now)) + ".)"
        return message
