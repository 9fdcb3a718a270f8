"""Scheduling arithmetic with a controlled clock: DST days, fixed offsets, nonexistent and repeated times."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from briefs import schedule
from briefs.schedule import ScheduleError, UnknownZone, next_slot, last_slot, slot_after, slot_on, zone_info

UTC = timezone.utc


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(moment: datetime, zone: str) -> str:
    return moment.astimezone(zone_info(zone)).strftime("%Y-%m-%d %H:%M %z")


@pytest.mark.parametrize("typed, expected", [("8:30", time(8, 30)), ("08:30", time(8, 30)), ("0:00", time(0, 0)),
                                             ("23:59", time(23, 59)), ("7.05", time(7, 5))])
def test_times_with_and_without_leading_zero(typed, expected):
    assert schedule.parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "8:60", "830", "8:3", "noon", ""])
def test_impossible_times_are_refused(typed):
    with pytest.raises(ScheduleError):
        schedule.parse_time(typed)


@pytest.mark.parametrize("typed, stored", [
    ("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"), ("Berlin", "Europe/Berlin"),
    ("Kolkata", "Asia/Kolkata"), ("UTC", "UTC"), ("+05:30", "+05:30"), ("+5:30", "+05:30"),
    ("UTC+05:45", "+05:45"), ("-03:00", "-03:00"), ("-3", "-03:00"), ("+00:00", "UTC"),
])
def test_zones_as_typed(typed, stored):
    assert schedule.parse_zone(typed) == stored


def test_unknown_zone_suggests_close_names():
    with pytest.raises(UnknownZone) as caught:
        schedule.parse_zone("Europe/Berln")
    assert "Europe/Berlin" in caught.value.suggestions
    assert "Europe/Berlin" in str(caught.value)
    with pytest.raises(UnknownZone) as caught:
        schedule.parse_zone("Calcuta")
    assert "Asia/Calcutta" in caught.value.suggestions


def test_offsets_beyond_fourteen_hours_are_refused():
    with pytest.raises(ScheduleError):
        schedule.parse_zone("+15:00")


def test_ordinary_day_in_berlin_winter_and_summer():
    assert slot_on(date(2026, 1, 15), time(8, 0), "Europe/Berlin").due == utc(2026, 1, 15, 7, 0)
    assert slot_on(date(2026, 7, 15), time(8, 0), "Europe/Berlin").due == utc(2026, 7, 15, 6, 0)


def test_fixed_offsets_plus_0530_and_0545_and_minus_0300():
    assert slot_on(date(2026, 3, 29), time(8, 0), "+05:30").due == utc(2026, 3, 29, 2, 30)
    assert slot_on(date(2026, 3, 29), time(8, 0), "+05:45").due == utc(2026, 3, 29, 2, 15)
    assert slot_on(date(2026, 3, 29), time(8, 0), "-03:00").due == utc(2026, 3, 29, 11, 0)
    assert slot_on(date(2026, 3, 29), time(8, 0), "Asia/Kathmandu").due == utc(2026, 3, 29, 2, 15)


def test_spring_forward_nonexistent_time_goes_to_the_first_valid_instant_after():
    # Berlin, 29 Mar 2026: 02:00 CET -> 03:00 CEST; 02:30 does not exist
    slot = slot_on(date(2026, 3, 29), time(2, 30), "Europe/Berlin")
    assert local(slot.due, "Europe/Berlin") == "2026-03-29 03:00 +0200"
    assert slot.due == utc(2026, 3, 29, 1, 0)
    assert slot.local_date == date(2026, 3, 29)
    # New York, 8 Mar 2026: 02:00 EST -> 03:00 EDT
    slot = slot_on(date(2026, 3, 8), time(2, 30), "America/New_York")
    assert local(slot.due, "America/New_York") == "2026-03-08 03:00 -0400"


def test_spring_forward_day_keeps_ordinary_times_right():
    assert local(slot_on(date(2026, 3, 29), time(8, 0), "Europe/Berlin").due, "Europe/Berlin") == "2026-03-29 08:00 +0200"
    assert local(slot_on(date(2026, 3, 29), time(1, 59), "Europe/Berlin").due, "Europe/Berlin") == "2026-03-29 01:59 +0100"


def test_fall_back_repeated_time_is_sent_once_at_its_first_occurrence():
    # New York, 1 Nov 2026: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST)
    zone = "America/New_York"
    first = slot_on(date(2026, 11, 1), time(1, 30), zone)
    assert first.due == utc(2026, 11, 1, 5, 30)
    # between the two occurrences, the next slot is the next day's, not the repeat
    between = utc(2026, 11, 1, 6, 0)
    assert next_slot(time(1, 30), zone, between).local_date == date(2026, 11, 2)
    assert next_slot(time(1, 30), zone, utc(2026, 11, 1, 6, 30)).local_date == date(2026, 11, 2)
    assert slot_after(first, time(1, 30), zone).due == utc(2026, 11, 2, 6, 30)


def test_fall_back_in_berlin():
    slot = slot_on(date(2026, 10, 25), time(2, 30), "Europe/Berlin")
    assert local(slot.due, "Europe/Berlin") == "2026-10-25 02:30 +0200"
    assert slot_after(slot, time(2, 30), "Europe/Berlin").due == utc(2026, 10, 26, 1, 30)


def test_next_slot_today_or_tomorrow():
    at = time(8, 0)
    assert next_slot(at, "Europe/Berlin", utc(2026, 1, 15, 6, 59)).due == utc(2026, 1, 15, 7, 0)
    assert next_slot(at, "Europe/Berlin", utc(2026, 1, 15, 7, 0)).due == utc(2026, 1, 15, 7, 0)
    assert next_slot(at, "Europe/Berlin", utc(2026, 1, 15, 7, 0, 1)).due == utc(2026, 1, 16, 7, 0)


def test_next_slot_across_the_date_line_for_fixed_offsets():
    # 23:30 UTC on 14 Jan is already 05:15 on 15 Jan in +05:45: today's 08:00 is still ahead
    slot = next_slot(time(8, 0), "+05:45", utc(2026, 1, 14, 23, 30))
    assert slot.local_date == date(2026, 1, 15) and slot.due == utc(2026, 1, 15, 2, 15)
    slot = next_slot(time(8, 0), "-03:00", utc(2026, 1, 15, 2, 0))  # 23:00 on 14 Jan local
    assert slot.local_date == date(2026, 1, 15) and slot.due == utc(2026, 1, 15, 11, 0)


def test_last_slot_is_the_most_recent_one():
    at = time(8, 0)
    assert last_slot(at, "UTC", utc(2026, 1, 15, 8, 0)).local_date == date(2026, 1, 15)
    assert last_slot(at, "UTC", utc(2026, 1, 15, 7, 59)).local_date == date(2026, 1, 14)


def test_days_between_slots_across_a_dst_change_are_23_and_25_hours():
    spring = slot_on(date(2026, 3, 28), time(8, 0), "Europe/Berlin")
    assert slot_after(spring, time(8, 0), "Europe/Berlin").due - spring.due == timedelta(hours=23)
    autumn = slot_on(date(2026, 10, 24), time(8, 0), "Europe/Berlin")
    assert slot_after(autumn, time(8, 0), "Europe/Berlin").due - autumn.due == timedelta(hours=25)


def test_stored_form_sorts_like_time():
    a, b = utc(2026, 1, 5, 9, 0), utc(2026, 1, 15, 8, 0)
    assert (schedule.to_db(a) < schedule.to_db(b)) and schedule.from_db(schedule.to_db(a)) == a


def test_confirmation_reads_in_local_time():
    text = schedule.describe_local(utc(2026, 1, 15, 7, 0), "Europe/Berlin", now=utc(2026, 1, 14, 20, 0))
    assert text.startswith("08:00 tomorrow") and "Europe/Berlin" in text
    text = schedule.describe_local(utc(2026, 1, 15, 2, 15), "+05:45", now=utc(2026, 1, 15, 0, 0))
    assert text.startswith("08:00 today") and "UTC+05:45" in text


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago",
         "Pacific/Chatham", "+05:30", "-03:00", "UTC"]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    hour=st.integers(0, 23), minute=st.integers(0, 59),
)
def test_every_slot_is_the_wall_time_or_the_first_instant_after_a_gap(zone, day, hour, minute):
    at = time(hour, minute)
    slot = slot_on(day, at, zone)
    tz = zone_info(zone)
    wall = slot.due.astimezone(tz).replace(tzinfo=None)
    target = datetime.combine(day, at)
    if wall != target:  # only in a gap: a second earlier the clock read before the target
        assert wall > target and wall - target <= timedelta(hours=1)
        before = (slot.due - timedelta(seconds=1)).astimezone(tz).replace(tzinfo=None)
        assert before < target
    # the next day's slot is strictly later, and not more than 26 hours later
    following = slot_after(slot, at, zone)
    assert timedelta(hours=22) <= following.due - slot.due <= timedelta(hours=26)
