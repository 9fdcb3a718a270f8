"""Issue 15, digest holes: nothing after "Unsubscribed", no change undone by a delivery, no due
digest dropped by a filters-only /subscribe, permanent refusals stop (and say why) while transient
failures back off, and a forged "More" press costs nothing. A real SQLite store, the real
dispatcher and rate limiter, PTB's real ExtBot over the in-process Bot API stand-in."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.jobs import DigestDispatcher
from briefs.digest import compose, more
from briefs.store import Store
from briefs.digest_answers import DigestAnswers
from briefs.subscriptions import Subscriptions, parse_subscribe_args
from digest_helpers import make_article
from fake_botapi import FakeBotAPI, make_bot
from test_digest_jobs import fast_limiter, run

UTC = timezone.utc
BEFORE = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
DUE = datetime(2026, 1, 15, 8, 0, 5, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "store.db")
    yield s
    s.close()


def subscribed(store, chat_ids, text="08:00", clock=BEFORE) -> Subscriptions:
    subs = Subscriptions(store, clock=lambda: clock)
    for chat_id in chat_ids:
        subs.subscribe(chat_id, parse_subscribe_args(text))
    return subs


def digests_to(api, chat_id) -> list[dict]:
    return [m for m in api.sent.get(chat_id, []) if "Your daily digest" in m["text"]]


def sends_to(api, chat_id) -> int:
    return sum(1 for call in api.calls if call == ("sendMessage", chat_id))


# -- hole 3: unsubscribed, then the digest arrives -------------------------------------------------


def test_unsubscribe_while_waiting_in_the_fan_out_gets_no_digest(store):
    subs = subscribed(store, range(1, 41))
    store.upsert_article(make_article(1, "Port strike ends", "Dockers return."))
    subs.clock = lambda: DUE
    answers = DigestAnswers(subs)
    api = FakeBotAPI()
    said = {}

    def arrive(chat_id):
        if chat_id == 1:  # chat 30 sends /unsubscribe while the fan-out is on its first sends
            said["reply"] = answers.unsubscribe(30).text
    api.on_send = arrive
    report = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert said["reply"].startswith("Unsubscribed")
    assert not digests_to(api, 30) and sends_to(api, 30) == 0
    assert all(len(digests_to(api, c)) == 1 for c in range(1, 41) if c != 30)
    assert report.sent == 39 and report.withdrawn == 1
    assert store.db.execute("select count(*) from deliveries where chat_id = 30").fetchone()[0] == 0


def test_a_change_of_filters_while_waiting_sends_the_new_digest_not_the_old(store):
    subs = subscribed(store, range(1, 21))
    store.upsert_article(make_article(1, "Oil prices rise", "Oil is up."))
    store.upsert_article(make_article(2, "Football final", "A match."))
    subs.clock = lambda: DUE
    answers = DigestAnswers(subs)
    api = FakeBotAPI()
    api.on_send = lambda chat_id: chat_id == 1 and answers.subscribe(15, "topic:oil")
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert not digests_to(api, 15)  # the digest composed with the old filters is not sent
    subs.clock = lambda: DUE + timedelta(minutes=1)
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    [digest] = digests_to(api, 15)
    assert "Oil prices rise" in digest["text"] and "Football final" not in digest["text"]


# -- hole 4: a change of time or zone during the fan-out is overwritten ---------------------------


def test_subscribe_to_another_time_and_zone_while_the_digest_is_on_the_wire_is_kept(store):
    subs = subscribed(store, [1])
    store.upsert_article(make_article(1, "Port strike ends", "Dockers return."))
    subs.clock = lambda: DUE
    answers = DigestAnswers(subs)
    api = FakeBotAPI()
    said = {}
    api.on_send = lambda chat_id: said.setdefault("reply", answers.subscribe(1, "20:00 Asia/Tokyo").text)
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 1 and "20:00" in said["reply"]
    # today's digest was already on the wire: the reply names the one the dispatcher will send, tomorrow's
    assert "Next: 20:00 tomorrow" in said["reply"] and "today" not in said["reply"], said["reply"]
    sub = subs.get(1)
    assert (sub.time, sub.tz) == ("20:00", "Asia/Tokyo")
    # 20:00 in Tokyo (11:00 UTC); today's digest came, so tomorrow's: never 08:00 UTC again
    assert sub.next_due == datetime(2026, 1, 16, 11, 0, tzinfo=UTC)
    settings = answers.settings(1).text
    assert "Next: 20:00 tomorrow" in settings and "08:00" not in settings
    assert sub.marker == 1  # the delivery itself is recorded
    subs.clock = lambda: datetime(2026, 1, 16, 8, 0, 5, tzinfo=UTC)
    store.upsert_article(make_article(2, "Rail strike begins", "Trains stop."))
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 1  # nothing at 08:00 UTC
    subs.clock = lambda: datetime(2026, 1, 16, 11, 0, 5, tzinfo=UTC)
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 2 and "Rail strike begins" in digests_to(api, 1)[1]["text"]


def test_settings_while_the_digest_is_on_the_wire_and_after_name_the_time_the_dispatcher_uses(store):
    subs = subscribed(store, [1], "08:00 Europe/Berlin")  # 07:00 UTC
    store.upsert_article(make_article(1, "Port strike ends", "Dockers return."))
    subs.clock = lambda: datetime(2026, 1, 15, 7, 0, 5, tzinfo=UTC)
    answers = DigestAnswers(subs)
    api = FakeBotAPI()
    said = {}

    def arrive(chat_id):  # while the 08:00 digest is on the wire: a later time today, then /settings
        said["reply"] = answers.subscribe(1, "18:00").text
        said["settings"] = answers.settings(1).text
    api.on_send = arrive
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 1
    for text in (said["reply"], said["settings"], answers.settings(1).text):
        assert "Next: 18:00 tomorrow" in text, text
    assert subs.get(1).next_due == datetime(2026, 1, 16, 17, 0, tzinfo=UTC)
    api.on_send = None
    store.upsert_article(make_article(2, "Rail strike begins", "Trains stop."))
    subs.clock = lambda: datetime(2026, 1, 15, 17, 0, 5, tzinfo=UTC)  # 18:00 in Berlin today: nothing
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 1
    subs.clock = lambda: datetime(2026, 1, 16, 17, 0, 5, tzinfo=UTC)  # 18:00 tomorrow: as announced
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 2


def test_a_later_time_after_todays_digest_was_delivered_is_announced_for_tomorrow(store):
    subs = subscribed(store, [1], "08:00 Europe/Berlin")
    store.upsert_article(make_article(1, "Port strike ends", "Dockers return."))
    subs.clock = lambda: datetime(2026, 1, 15, 7, 0, 5, tzinfo=UTC)
    api = FakeBotAPI()
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    subs.clock = lambda: datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    answers = DigestAnswers(subs)
    for text in (answers.subscribe(1, "20:00").text, answers.settings(1).text):
        assert "Next: 20:00 tomorrow" in text, text
    store.upsert_article(make_article(2, "Rail strike begins", "Trains stop."))
    subs.clock = lambda: datetime(2026, 1, 15, 19, 0, 5, tzinfo=UTC)  # 20:00 today: one a day, nothing
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 1


# -- hole 5: a filters-only /subscribe after the due time drops today's digest --------------------


def test_filters_only_subscribe_after_the_due_time_keeps_todays_digest(store):
    subs = subscribed(store, [1])
    store.upsert_article(make_article(1, "News of the day", "Things happened."))
    subs.clock = lambda: datetime(2026, 1, 15, 8, 0, 1, tzinfo=UTC)  # due, not yet sent
    reply = DigestAnswers(subs).subscribe(1, "topic:news").text
    assert "tomorrow" not in reply
    api = FakeBotAPI()
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    [digest] = digests_to(api, 1)
    assert "News of the day" in digest["text"]
    assert subs.get(1).next_due == datetime(2026, 1, 16, 8, 0, tzinfo=UTC)


def test_filters_only_subscribe_while_a_failed_send_waits_keeps_todays_digest(store):
    subs = subscribed(store, [1])
    store.upsert_article(make_article(1, "News of the day", "Things happened."))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    api.network_fail_once.add(1)
    first = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert first.failed == 1 and not digests_to(api, 1)
    DigestAnswers(subs).subscribe(1, "topic:news")
    subs.clock = lambda: DUE + timedelta(minutes=2)
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 1


# -- hole 6: a permanent refusal is retried all day; transient failures back off -----------------

PERMANENT = [
    (400, "Bad Request: not enough rights to send text messages to the chat"),
    (400, "Bad Request: TOPIC_CLOSED"),
    (400, "Bad Request: CHAT_WRITE_FORBIDDEN"),
    (400, "Bad Request: have no rights to send a message"),
    (403, "Forbidden: bot was kicked from the supergroup chat"),
    (400, "Bad Request: chat not found"),
]


@pytest.mark.parametrize("status, description", PERMANENT)
def test_a_permanent_refusal_stops_the_digest_with_its_reason(store, status, description):
    subs = subscribed(store, [-1001, -1002])
    store.upsert_article(make_article(1, "News", "n"))
    api = FakeBotAPI()
    api.refuse[-1001] = (status, description)
    minute = DUE
    for _ in range(5):  # five dispatcher minutes
        subs.clock = lambda: minute
        run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
        minute += timedelta(minutes=1)
    assert sends_to(api, -1001) == 1  # tried once, not every minute for the grace window
    assert len(digests_to(api, -1002)) == 1
    sub = subs.get(-1001)
    assert sub.active == 0 and sub.notice_pending == 1
    settings = DigestAnswers(subs).settings(-1001).text
    # PTB hands the description over capitalised ("Topic_closed"): compare without case
    assert "Paused" in settings and description.split(": ", 1)[1].lower() in settings.lower()
    assert "Next:" not in settings and "/subscribe" in settings  # no promise of a digest; how to resume


def test_group_admins_are_told_once_why_the_digest_stopped(store):
    subs = subscribed(store, [-1001])
    store.upsert_article(make_article(1, "News", "n"))
    api = FakeBotAPI()
    api.refuse[-1001] = (400, "Bad Request: TOPIC_CLOSED")
    subs.clock = lambda: DUE
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    answers = DigestAnswers(subs)
    notice = answers.pending_notice(-1001)
    assert notice is not None and "topic" in notice.text.lower() and "/subscribe" in notice.text
    answers.notice_shown(-1001)
    assert answers.pending_notice(-1001) is None  # once
    answers.subscribe(-1001, "")
    assert subs.get(-1001).active == 1 and subs.get(-1001).notice_pending == 0


def test_transient_failures_back_off_1_2_4_minutes_within_the_grace_window(store):
    subs = subscribed(store, [1, 2])
    store.upsert_article(make_article(1, "News", "n"))
    api = FakeBotAPI()
    api.fail_times[1] = 4  # 502 Bad Gateway four times, then it goes through
    tried_at = []
    api.on_send = lambda chat_id: chat_id == 1 and tried_at.append(minute["now"])
    minute = {"now": 0}
    for m in range(16):
        minute["now"] = m
        subs.clock = lambda m=m: DUE + timedelta(minutes=m)
        run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert tried_at == [0, 1, 3, 7, 15]
    assert len(digests_to(api, 1)) == 1 and len(digests_to(api, 2)) == 1
    assert subs.get(1).active == 1 and subs.get(1).failures == 0 and subs.get(1).retry_at is None


def test_transient_failures_stop_at_the_end_of_the_grace_window_and_the_next_day_starts_afresh(store):
    subs = subscribed(store, [1])
    subs.grace = timedelta(minutes=10)
    store.upsert_article(make_article(1, "News", "n"))
    api = FakeBotAPI()
    api.fail_times[1] = 10**6
    for m in range(20):
        subs.clock = lambda m=m: DUE + timedelta(minutes=m)
        run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert sends_to(api, 1) == 4  # minutes 0, 1, 3, 7; at 15 the slot is past its grace
    sub = subs.get(1)
    assert sub.active == 1 and sub.next_due == datetime(2026, 1, 16, 8, 0, tzinfo=UTC) and sub.failures == 0
    api.fail_times[1] = 0
    subs.clock = lambda: DUE + timedelta(days=1)
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len(digests_to(api, 1)) == 1 and "News" in digests_to(api, 1)[0]["text"]


# -- hole 7: a forged "More" press stalls the bot ---------------------------------------------------


def fts_statements(store):
    seen = []
    store.db.conn.set_trace_callback(lambda sql: "articles_fts match" in sql and seen.append(sql))
    return seen


def test_a_more_press_is_served_only_for_a_range_delivered_to_that_chat(store):
    subs = subscribed(store, [1, 2], text="08:00 topic:harbour")
    for n in range(1, 61):
        store.upsert_article(make_article(n, f"Harbour story {n}", "The harbour news. " * 12,
                                          quotes=[("A long quote " + "about the harbour " * 12, f"Ann {n}", "direct")]))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    [digest] = digests_to(api, 1)
    data = digest["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    page = more(store, data, chat_id=1)
    assert "continued" in page.text and "Harbour story" in page.text
    _, from_seq, to_seq, offset, key = data.split(":")
    forged = [f"dg:0:{10**12}:0:{key}", f"dg:1:{to_seq}:0:{key}", f"dg:0:{int(to_seq) - 1}:0:-"]
    seen = fts_statements(store)
    for data_ in forged:
        assert "no longer available" in more(store, data_, chat_id=1).text
    assert "no longer available" in more(store, data, chat_id=3).text  # another chat's digest
    assert not seen  # not one full-text match ran for a forged press
    assert "continued" in more(store, data, chat_id=2).text  # chat 2 got the same range: its own press works


def test_a_preview_more_button_still_works(store):
    subs = subscribed(store, [1])
    for n in range(1, 41):
        store.upsert_article(make_article(n, f"Headline number {n}", "Lede " * 40))
    preview = DigestAnswers(subs).preview(1)
    [(label, data)] = preview.buttons[0]
    assert "continued" in more(store, data, chat_id=1).text
    assert "no longer available" in more(store, data, chat_id=2).text
    top = store.max_seq()
    latest = compose(store, top - 10, top, title="Latest articles", limit=1000, fresh=False)
    [(label, data)] = latest.buttons[0]
    assert "continued" in more(store, data, chat_id=None).text  # the latest-ten preview (no subscription)


# -- m006: a store written by the previous schema ---------------------------------------------------


def test_a_store_from_before_m006_keeps_its_subscriptions_and_they_still_work(tmp_path):
    import sqlite_utils

    from briefs.store import migrations

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m006_delivery_safety")
    old["subscriptions"].insert({
        "chat_id": 1, "thread_id": None, "chat_type": "private", "time": "08:00", "tz": "UTC", "filters": "",
        "marker": 0, "next_due_utc": "2026-01-15T08:00:00Z", "next_local_date": "2026-01-15", "active": 1,
        "created_at": "2026-01-14T10:00:00+00:00", "updated_at": "2026-01-14T10:00:00+00:00"})
    old["deliveries"].insert({"chat_id": 1, "local_date": "2026-01-14", "seq_from": 0, "seq_to": 0, "articles": 0,
                              "sent_at": "2026-01-14T08:00:01+00:00"})
    old.close()
    store = Store(path)
    subs = Subscriptions(store, clock=lambda: DUE)
    sub = subs.get(1)
    assert (sub.failures, sub.retry_at, sub.notice_pending, sub.marker) == (0, None, 0, 0)
    store.upsert_article(make_article(1, "After the upgrade", "It still works."))
    api = FakeBotAPI()
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    [digest] = digests_to(api, 1)
    assert "After the upgrade" in digest["text"]
    assert store.db.execute("select count(*) from deliveries where chat_id = 1").fetchone()[0] == 2
    unique = {row[1]: row[2] for row in store.db.execute("pragma index_list(articles)").fetchall()}
    assert unique["idx_articles_content_hash"] == 0  # one wire copy may be stored under two URLs
    store.close()


@pytest.mark.parametrize("failure", ["timed out", "retry after"])
def test_a_subscribe_while_the_digest_is_on_the_wire_keeps_todays_slot_when_that_send_fails(store, failure):
    """The announcement looks past a digest on the wire; the stored slot must not, or a send that then fails
    (a timeout; a RetryAfter, after which the changed subscription withdraws the send) loses today's digest."""
    subs = subscribed(store, [1])
    store.upsert_article(make_article(1, "Port strike ends", "Dockers return."))
    subs.clock = lambda: DUE
    answers = DigestAnswers(subs)
    [sub] = subs.due(DUE)
    plan = subs.plan(sub, DUE)
    assert subs.sending(sub, plan.slot)  # the limiter's last look: the digest leaves
    reply = answers.subscribe(1, "topic:strike").text
    assert "Next: 08:00 tomorrow" in reply, reply  # today's is on its way
    if failure == "timed out":
        subs.refused(sub, "Timed out")
    else:
        assert not subs.sending(sub, plan.slot)  # the retry after the wait: the changed subscription withdraws it
    subs.send_done(1)
    later = DUE + timedelta(minutes=5)
    subs.clock = lambda: later
    api = FakeBotAPI()
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    [digest] = digests_to(api, 1)  # today's digest, with the new filters
    assert "Port strike ends" in digest["text"]
    assert "Next: 08:00 tomorrow" in answers.settings(1).text
