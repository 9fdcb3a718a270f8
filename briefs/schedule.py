"""Local-time scheduling arithmetic for daily digests: no clock of its own, no Telegram.

A subscription says "HH:MM in zone Z". Each local calendar date D has one *slot*:
the UTC instant at which the wall clock in Z shows HH:MM on D, with two
daylight-saving rules:

- a wall time that does not exist on D (spring forward, e.g. 02:30 in
  Europe/Berlin on the last Sunday of March) resolves to the first valid instant
  after it: the transition itself (03:00 local);
- a wall time that happens twice on D (fall back) is the first of the two, so
  the digest is sent once.

The delivery key is the slot's date D (the date the subscriber meant), never
the date recomputed from the instant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC = timezone.utc

_TIME_RE = re.compile(r"(\d{1,2})[:.h](\d{2})")
_OFFSET_RE = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


class ScheduleError(ValueError):
    """A time or zone a user typed that cannot be used; the message is for users."""


class UnknownZone(ScheduleError):
    def __init__(self, text: str, suggestions: list[str]):
        self.text = text
        self.suggestions = suggestions
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"Unknown time zone {text!r}.{hint} Use an IANA name such as Europe/Berlin "
            "or a UTC offset such as +05:30."
        )


# -- parsing -----------------------------------------------------------------------


def looks_like_time(text: str) -> bool:
    return bool(_TIME_RE.fullmatch(text.strip()))


def parse_time(text: str) -> time:
    """'8:30', '08:30' (also '8.30', '8h30') -> time(8, 30)."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        raise ScheduleError(f"Expected a time as HH:MM (for example 08:30), got {text!r}.")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ScheduleError(f"{text!r} is not a time of day: hours go to 23, minutes to 59.")
    return time(hour, minute)


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def looks_like_offset(text: str) -> bool:
    return bool(_OFFSET_RE.fullmatch(text.strip()))


@lru_cache(maxsize=1)
def _zone_names() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Folded full name -> name, and folded city (last part) -> names."""
    full: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    for name in available_timezones():
        full[name.casefold()] = name
        if "/" in name:
            city = name.rsplit("/", 1)[1].casefold()
            cities.setdefault(city, []).append(name)
    return full, cities


def _canonical_zone(text: str) -> str | None:
    """An IANA name typed in any case, or a city that names exactly one zone."""
    full, cities = _zone_names()
    key = text.strip().replace(" ", "_").casefold()
    if key in full:
        return full[key]
    if key in ("utc", "gmt", "z"):
        return "UTC"
    candidates = [n for n in cities.get(key, []) if not n.startswith(("Etc/", "SystemV/"))]
    preferred = [n for n in candidates if n.count("/") == 1 and n.split("/")[0] in _AREAS]
    if len(preferred) == 1:
        return preferred[0]
    if len(candidates) == 1:
        return candidates[0]
    return None


_AREAS = {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}


def suggest_zones(text: str, limit: int = 3) -> list[str]:
    """The closest IANA names to what was typed (on the whole name and on the city)."""
    from rapidfuzz import fuzz, process

    full, cities = _zone_names()
    key = text.strip().replace(" ", "_").casefold()
    scores: dict[str, float] = {}
    for match, score, _ in process.extract(key, list(full), scorer=fuzz.WRatio, limit=limit * 3):
        scores[full[match]] = max(scores.get(full[match], 0), score)
    city_key = key.rsplit("/", 1)[-1]
    for match, score, _ in process.extract(city_key, list(cities), scorer=fuzz.ratio, limit=limit * 2):
        for name in cities[match]:
            scores[name] = max(scores.get(name, 0), score + 5)  # a close city is the best hint
    ranked = sorted(
        (n for n, s in scores.items() if s >= 60 and not n.startswith(("Etc/", "SystemV/"))),
        key=lambda n: (-scores[n], n.count("/") != 1, n),
    )
    return ranked[:limit]


def parse_zone(text: str) -> str:
    """A zone as typed -> its canonical stored form: an IANA name or '+HH:MM' / '-HH:MM'.

    Raises UnknownZone (with suggestions) for anything else.
    """
    raw = text.strip()
    match = _OFFSET_RE.fullmatch(raw)
    if match:
        sign, hours, minutes = match[1], int(match[2]), int(match[3] or 0)
        if hours > 14 or minutes > 59 or (hours == 14 and minutes):
            raise ScheduleError(f"{raw!r} is not a UTC offset: offsets go from -14:00 to +14:00.")
        if hours == 0 and minutes == 0:
            return "UTC"
        return f"{sign}{hours:02d}:{minutes:02d}"
    name = _canonical_zone(raw)
    if name is None:
        raise UnknownZone(raw, suggest_zones(raw))
    return name


def zone_info(name: str) -> tzinfo:
    """A stored zone name ('Europe/Berlin', '+05:45', 'UTC') -> tzinfo."""
    match = _OFFSET_RE.fullmatch(name)
    if match and name[:1] in "+-":
        sign = 1 if match[1] == "+" else -1
        delta = timedelta(hours=int(match[2]), minutes=int(match[3] or 0))
        return timezone(sign * delta, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZone(name, suggest_zones(name)) from None


# -- slots ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Slot:
    """One scheduled delivery: the UTC instant and the local date it is for."""

    due: datetime  # aware, UTC
    local_date: date


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC instant")
    return moment.astimezone(UTC)


def slot_on(day: date, at: time, zone: str | tzinfo) -> Slot:
    """The instant `at` happens on local date `day` (see the module's DST rules)."""
    tz = zone_info(zone) if isinstance(zone, str) else zone
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=tz, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall:
        return Slot(instant, day)  # exists (fold=0 is the earlier of a repeated time)
    # A gap: fold=0 reads the wall time with the offset before the change, fold=1
    # with the offset after. The transition lies between the two readings; the
    # first instant whose wall time is >= `wall` is that transition.
    low = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = instant
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(tz).replace(tzinfo=None) >= wall:
            high = mid
        else:
            low = mid
    high = high.replace(microsecond=0)
    if high.astimezone(tz).replace(tzinfo=None) < wall:  # rounding guard
        high += timedelta(seconds=1)
    return Slot(high, day)


def _local_today(now: datetime, tz: tzinfo) -> date:
    return _as_utc(now).astimezone(tz).date()


def next_slot(at: time, zone: str | tzinfo, now: datetime) -> Slot:
    """The first slot at or after `now` (a UTC instant)."""
    tz = zone_info(zone) if isinstance(zone, str) else zone
    now = _as_utc(now)
    today = _local_today(now, tz)
    for offset in range(-1, 4):
        slot = slot_on(today + timedelta(days=offset), at, tz)
        if slot.due >= now:
            return slot
    raise AssertionError("no slot within four days")  # pragma: no cover


def last_slot(at: time, zone: str | tzinfo, now: datetime) -> Slot:
    """The latest slot at or before `now`."""
    tz = zone_info(zone) if isinstance(zone, str) else zone
    now = _as_utc(now)
    today = _local_today(now, tz)
    for offset in range(1, -4, -1):
        slot = slot_on(today + timedelta(days=offset), at, tz)
        if slot.due <= now:
            return slot
    raise AssertionError("no slot within four days")  # pragma: no cover


def slot_after(previous: Slot, at: time, zone: str | tzinfo) -> Slot:
    """The slot of the next local date after `previous` (a repeated time is never sent twice)."""
    tz = zone_info(zone) if isinstance(zone, str) else zone
    return slot_on(previous.local_date + timedelta(days=1), at, tz)


# -- stored form of instants ------------------------------------------------------------

def to_db(moment: datetime) -> str:
    """UTC instant -> the sortable text stored in next_due_utc ('2026-03-29T01:00:00Z')."""
    return _as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_db(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def describe_local(moment: datetime, zone: str | tzinfo, now: datetime | None = None) -> str:
    """'08:30 (Europe/Berlin) today, Sat 28 Nov' in the subscriber's own time."""
    tz = zone_info(zone) if isinstance(zone, str) else zone
    local = _as_utc(moment).astimezone(tz)
    name = zone if isinstance(zone, str) else str(tz)
    when = local.strftime("%a %d %b %Y")
    if now is not None:
        today = _local_today(now, tz)
        if local.date() == today:
            when = "today, " + local.strftime("%a %d %b")
        elif local.date() == today + timedelta(days=1):
            when = "tomorrow, " + local.strftime("%a %d %b")
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    label = offset if name[:1] in "+-" or name == "UTC" or not offset else f"{name}, {offset}"
    return f"{local:%H:%M} {when} ({label})"
