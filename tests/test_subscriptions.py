"""Subscriptions with a controlled clock: due, sent once per local date, grace, filters, answers."""
from datetime import date, datetime, timedelta, timezone

import pytest

from briefs.digest import FilterError
from briefs.schedule import ScheduleError
from briefs.store import Store
from briefs.digest_answers import DigestAnswers
from briefs.subscriptions import Subscriptions, parse_subscribe_args
from digest_helpers import make_article

UTC = timezone.utc


class Clock:
    def __init__(self, moment: datetime):
        self.now = moment

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw):
        self.now += timedelta(**kw)


@pytest.fixture
def clock():
    return Clock(datetime(2026, 1, 15, 6, 0, tzinfo=UTC))


@pytest.fixture
def store():
    s = Store(None)
    yield s
    s.close()


@pytest.fixture
def subs(store, clock):
    return Subscriptions(store, default_time="08:00", default_zone="UTC", grace=timedelta(hours=6), clock=clock)


def subscribe(subs, chat_id, text, **kw):
    return subs.subscribe(chat_id, parse_subscribe_args(text), **kw)[0]


def run_dispatch(subs, now, sent: list):
    """What the dispatcher does, without Telegram: plan each due one, 'send', record."""
    for sub in subs.due(now):
        plan = subs.plan(sub, now)
        if plan.action == "skip":
            subs.skip(sub, plan.slot)
            continue
        sent.append((sub.chat_id, plan.slot.local_date))
        subs.record_delivery(sub, plan.slot, subs.store.max_seq(), articles=1, message_id=1)


def test_parse_subscribe_args_in_any_order():
    r = parse_subscribe_args("8:30 Europe/Berlin who:Doctorow topic:sanctions")
    assert (r.at.hour, r.at.minute, r.zone) == (8, 30, "Europe/Berlin")
    assert r.filters.who == ("doctorow",) and r.filters.topics == ("sanctions",)
    r = parse_subscribe_args("+05:45 07:05")
    assert r.zone == "+05:45" and r.at.minute == 5 and r.filters is None
    r = parse_subscribe_args("")
    assert r.at is None and r.zone is None and r.filters is None
    assert parse_subscribe_args("all").filters is not None and not parse_subscribe_args("all").filters


@pytest.mark.parametrize("text, error", [("25:00", ScheduleError), ("Europe/Berln", ScheduleError),
                                         ("8:00 9:00", ScheduleError), ("8:00 UTC Berlin", ScheduleError),
                                         ("whom:x", FilterError)])
def test_bad_subscribe_args(text, error):
    with pytest.raises(error):
        parse_subscribe_args(text)


def test_subscribe_confirms_next_delivery_in_local_time(subs, clock):
    answers = DigestAnswers(subs)
    text = answers.subscribe(1, "8:30 Europe/Berlin").text
    # 06:00 UTC is 07:00 in Berlin: 08:30 is still today
    assert "Next: 08:30 today" in text and "Europe/Berlin" in text
    text = answers.subscribe(2, "7:00 +05:45").text
    assert "Next: 07:00 tomorrow" in text and "UTC+05:45" in text


def test_unknown_zone_answer_suggests(subs):
    text = DigestAnswers(subs).subscribe(1, "08:00 Europe/Berln").text
    assert "Europe/Berlin" in text and "Unknown time zone" in text
    assert subs.get(1) is None


def test_bare_subscribe_uses_defaults_and_again_updates(subs, clock):
    sub = subscribe(subs, 1, "")
    assert (sub.time, sub.tz, sub.filters) == ("08:00", "UTC", "")
    sub = subscribe(subs, 1, "who:Doctorow")
    assert (sub.time, sub.tz, sub.filters) == ("08:00", "UTC", "who:doctorow")
    sub = subscribe(subs, 1, "09:15 Asia/Kolkata")
    assert (sub.time, sub.tz, sub.filters) == ("09:15", "Asia/Kolkata", "who:doctorow")
    sub = subscribe(subs, 1, "all")
    assert sub.filters == ""
    assert subs.count() == 1


def test_due_sent_once_then_next_day(subs, store, clock):
    store.upsert_article(make_article(1, "Before", "b"))
    subscribe(subs, 1, "08:00")
    store.upsert_article(make_article(2, "After", "a"))
    sent = []
    run_dispatch(subs, datetime(2026, 1, 15, 7, 59, tzinfo=UTC), sent)
    assert sent == []
    run_dispatch(subs, datetime(2026, 1, 15, 8, 0, tzinfo=UTC), sent)
    run_dispatch(subs, datetime(2026, 1, 15, 8, 0, 30, tzinfo=UTC), sent)  # a second tick in the same minute
    run_dispatch(subs, datetime(2026, 1, 15, 12, 0, tzinfo=UTC), sent)
    assert sent == [(1, date(2026, 1, 15))]
    sub = subs.get(1)
    assert sub.marker == 2 and sub.next_local_date == "2026-01-16"
    run_dispatch(subs, datetime(2026, 1, 16, 8, 0, tzinfo=UTC), sent)
    assert sent[-1] == (1, date(2026, 1, 16)) and len(sent) == 2


def test_record_delivery_twice_for_the_same_date_changes_nothing(subs, store, clock):
    sub = subscribe(subs, 1, "08:00")
    plan = subs.plan(sub, datetime(2026, 1, 15, 8, 0, tzinfo=UTC))
    assert subs.record_delivery(sub, plan.slot, 5, articles=1, message_id=1)
    assert not subs.record_delivery(sub, plan.slot, 9, articles=1, message_id=2)
    assert subs.get(1).marker == 5
    assert store.db.execute("select count(*) from deliveries").fetchone()[0] == 1


def test_missed_within_grace_is_sent_late_beyond_grace_is_skipped_and_articles_wait(subs, store, clock):
    subscribe(subs, 1, "08:00")
    subscribe(subs, 2, "02:00")
    store.upsert_article(make_article(1, "New", "n"))
    sent = []
    # the bot was down from 07:00 to 13:30: chat 1 (08:00) is 5.5 h late, chat 2's 02:00 is tomorrow's
    run_dispatch(subs, datetime(2026, 1, 15, 13, 30, tzinfo=UTC), sent)
    assert sent == [(1, date(2026, 1, 15))]
    subscribe(subs, 3, "14:00")
    # down again until 20:30: chat 3 is 6.5 h late -> skipped, marker kept
    run_dispatch(subs, datetime(2026, 1, 15, 20, 30, tzinfo=UTC), sent)
    assert len(sent) == 1
    sub3 = subs.get(3)
    assert sub3.next_local_date == "2026-01-16" and sub3.marker == 1
    store.upsert_article(make_article(2, "Newer", "n"))
    run_dispatch(subs, datetime(2026, 1, 16, 14, 0, tzinfo=UTC), sent)
    assert (3, date(2026, 1, 16)) in sent


def test_down_for_days_sends_one_digest_not_one_per_missed_day(subs, store, clock):
    subscribe(subs, 1, "08:00")
    sent = []
    run_dispatch(subs, datetime(2026, 1, 18, 9, 0, tzinfo=UTC), sent)
    assert sent == [(1, date(2026, 1, 18))]
    assert subs.get(1).next_local_date == "2026-01-19"


def test_spring_forward_day_sends_at_the_first_valid_instant(subs, store):
    subs.clock = lambda: datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    subscribe(subs, 1, "02:30 Europe/Berlin")
    sub = subs.get(1)
    assert sub.next_local_date == "2026-03-29" and sub.next_due_utc == "2026-03-29T01:00:00Z"
    sent = []
    run_dispatch(subs, datetime(2026, 3, 29, 0, 59, tzinfo=UTC), sent)
    run_dispatch(subs, datetime(2026, 3, 29, 1, 0, tzinfo=UTC), sent)
    assert sent == [(1, date(2026, 3, 29))]
    assert subs.get(1).next_due_utc == "2026-03-30T00:30:00Z"


def test_fall_back_repeated_time_sends_once(subs, store):
    subs.clock = lambda: datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    subscribe(subs, 1, "01:30 America/New_York")
    sent = []
    for minute in range(0, 180, 1):  # every tick from 04:00 to 07:00 UTC covers both 01:30s
        run_dispatch(subs, datetime(2026, 11, 1, 4, 0, tzinfo=UTC) + timedelta(minutes=minute), sent)
    assert sent == [(1, date(2026, 11, 1))]


def test_subscribing_again_after_todays_digest_does_not_send_a_second_today(subs, store, clock):
    subscribe(subs, 1, "08:00")
    sent = []
    run_dispatch(subs, datetime(2026, 1, 15, 8, 0, tzinfo=UTC), sent)
    subs.clock = lambda: datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    subscribe(subs, 1, "10:00")
    run_dispatch(subs, datetime(2026, 1, 15, 10, 0, tzinfo=UTC), sent)
    assert sent == [(1, date(2026, 1, 15))]


def test_deactivated_chat_is_not_due_and_resubscribing_restarts(subs, clock):
    subscribe(subs, 1, "08:00")
    subscribe(subs, 2, "08:00")
    subs.deactivate(1, "blocked the bot")
    assert [s.chat_id for s in subs.due(datetime(2026, 1, 15, 8, 0, tzinfo=UTC))] == [2]
    assert "Paused: blocked the bot" in DigestAnswers(subs).settings(1).text
    subscribe(subs, 1, "")
    assert subs.get(1).active == 1


def test_a_paused_subscription_says_so_why_and_how_to_resume_and_promises_no_next_digest(subs, store, clock):
    DigestAnswers(subs).subscribe(1, "08:30 Europe/Berlin topic:oil")
    subs.deactivate(1, "the bot cannot write here (Telegram: Forbidden: bot was blocked by the user)")
    answers = DigestAnswers(subs)
    settings = answers.settings(1).text
    assert "Next:" not in settings and "08:30 today" not in settings  # nothing is coming while paused
    assert "Paused" in settings and "no digests are sent" in settings.lower()
    assert "bot was blocked by the user" in settings  # why
    assert "/subscribe" in settings and "resume" in settings  # how to resume
    assert "08:30" in settings and "Europe/Berlin" in settings and "topic:oil" in settings
    preview = answers.preview(1).text
    assert "still comes" not in preview and "Paused" in preview and "/subscribe" in preview
    DigestAnswers(subs).subscribe(1, "")  # resumes with the same time, zone and filters
    settings = answers.settings(1).text
    assert "Next: 08:30 today" in settings and "Paused" not in settings and "topic:oil" in settings


def test_unsubscribe_deletes_the_chats_subscription_data(subs, store, clock):
    subscribe(subs, 1, "08:00")
    subscribe(subs, 2, "08:00")
    run_dispatch(subs, datetime(2026, 1, 15, 8, 0, tzinfo=UTC), [])
    assert "Unsubscribed" in DigestAnswers(subs).unsubscribe(1).text
    assert subs.get(1) is None
    assert store.db.execute("select chat_id from deliveries").fetchall() == [(2,)]
    assert "no subscription" in DigestAnswers(subs).unsubscribe(1).text


def test_group_migration_keeps_the_subscription(subs, store, clock):
    subscribe(subs, -100, "08:00 Europe/Berlin who:Doctorow", chat_type="group")
    run_dispatch(subs, datetime(2026, 1, 15, 7, 0, tzinfo=UTC), [])
    assert subs.migrate(-100, -1001234)
    moved = subs.get(-1001234)
    assert subs.get(-100) is None and moved.filters == "who:doctorow" and moved.tz == "Europe/Berlin"
    assert store.db.execute("select chat_id from deliveries").fetchall() == [(-1001234,)]


def test_only_admins_may_change_a_groups_subscription(subs):
    answers = DigestAnswers(subs)
    assert "Only this group's admins" in answers.subscribe(-5, "08:00", allowed=False).text
    assert subs.get(-5) is None
    answers.subscribe(-5, "08:00")
    assert "Only this group's admins" in answers.unsubscribe(-5, allowed=False).text
    assert subs.get(-5) is not None


def test_forum_topic_is_kept(subs):
    assert subscribe(subs, -7, "08:00", thread_id=42).thread_id == 42


def test_preview_does_not_move_the_marker(subs, store, clock):
    subscribe(subs, 1, "08:00")
    store.upsert_article(make_article(1, "Fresh story", "f"))
    text = DigestAnswers(subs).preview(1).text
    assert "Fresh story" in text and "Preview" in text
    assert subs.get(1).marker == 0
    assert "Fresh story" in DigestAnswers(subs).preview(1).text


def test_settings_shows_time_zone_filters(subs, clock):
    DigestAnswers(subs).subscribe(1, "07:45 America/New_York topic:oil")
    text = DigestAnswers(subs).settings(1).text
    assert "07:45" in text and "America/New_York" in text and "topic:oil" in text
    assert "No daily digest" in DigestAnswers(subs).settings(2).text


def test_a_digest_for_a_chat_that_unsubscribed_meanwhile_leaves_no_record(subs, store, clock):
    sub = subscribe(subs, 1, "08:00")
    plan = subs.plan(sub, datetime(2026, 1, 15, 8, 0, tzinfo=UTC))
    subs.unsubscribe(1)
    assert not subs.record_delivery(sub, plan.slot, 3, articles=1, message_id=1)
    assert store.db.execute("select count(*) from deliveries").fetchone()[0] == 0


def test_migration_onto_a_supergroup_that_subscribed_itself_keeps_the_supergroups(subs, clock):
    subscribe(subs, -100, "08:00 topic:oil")
    subscribe(subs, -1009, "09:00")
    assert not subs.migrate(-100, -1009)
    assert subs.get(-1009).time == "09:00"


from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

DST_ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "+05:45", "UTC"]


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(DST_ZONES),
    hour=st.integers(0, 23), minute=st.sampled_from([0, 15, 30, 45, 59]),
    start=st.sampled_from([datetime(2026, 3, 27, 12, 0, tzinfo=UTC), datetime(2026, 10, 23, 12, 0, tzinfo=UTC),
                           datetime(2026, 4, 3, 12, 0, tzinfo=UTC), datetime(2026, 10, 30, 12, 0, tzinfo=UTC)]),
    step=st.integers(1, 40),
)
def test_ticks_over_dst_weekends_send_once_per_local_date_never_early(zone, hour, minute, start, step):
    """Ticks every `step` minutes for four days around a DST change: one digest per local date, each at or
    after its slot and within the tick, never two for one date."""
    from briefs import schedule

    store = Store(None)
    try:
        subs = Subscriptions(store, grace=timedelta(hours=6), clock=lambda: start)
        subs.subscribe(1, parse_subscribe_args(f"{hour}:{minute:02d} {zone}"))
        sent = []
        now = start
        while now < start + timedelta(days=4):
            for sub in subs.due(now):
                plan = subs.plan(sub, now)
                if plan.action == "send":
                    sent.append((plan.slot, now))
                    subs.record_delivery(sub, plan.slot, 0, articles=0, message_id=None)
                else:
                    subs.skip(sub, plan.slot)
            now += timedelta(minutes=step)
        dates = [slot.local_date for slot, _ in sent]
        assert len(dates) == len(set(dates)) and dates == sorted(dates)
        for slot, at in sent:
            assert slot.due <= at < slot.due + timedelta(minutes=step)
            assert slot == schedule.slot_on(slot.local_date, schedule.parse_time(f"{hour}:{minute:02d}"), zone)
        first_day = schedule.next_slot(schedule.parse_time(f"{hour}:{minute:02d}"), zone, start).local_date
        last_tick = now - timedelta(minutes=step)
        expected = [d for d in (first_day + timedelta(days=i) for i in range(6))
                    if schedule.slot_on(d, schedule.parse_time(f"{hour}:{minute:02d}"), zone).due <= last_tick]
        assert dates == expected  # none lost
    finally:
        store.close()
