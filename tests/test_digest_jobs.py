"""The dispatcher and the rate limiter against PTB's real ExtBot over an in-process fake Bot API."""
import asyncio
import math
import heapq
from datetime import datetime, timedelta, timezone

import pytest

from bot.jobs import DigestDispatcher
from bot.ratelimit import DIGEST, DigestRateLimiter
from briefs.store import Store
from briefs.subscriptions import Subscriptions, parse_subscribe_args
from digest_helpers import make_article
from fake_botapi import FakeBotAPI, make_bot

UTC = timezone.utc
DUE = datetime(2026, 1, 15, 8, 0, 5, tzinfo=UTC)


class VirtualTime:
    """A clock and a sleep for the limiter, without real waiting: time jumps to the earliest
    sleeper's wake-up once every task is blocked (the loop has gone quiet for a while)."""

    def __init__(self):
        self.now = 1000.0
        self._sleepers = []  # (wake, seq, future)
        self._seq = 0
        self._driver = None

    def clock(self):
        return self.now

    async def sleep(self, seconds):
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future = asyncio.get_running_loop().create_future()
        self._seq += 1
        heapq.heappush(self._sleepers, (self.now + seconds, self._seq, future))
        if self._driver is None or self._driver.done():
            self._driver = asyncio.ensure_future(self._drive())
        await future

    async def _drive(self):
        while self._sleepers:
            for _ in range(50):  # let every runnable task run until it blocks
                await asyncio.sleep(0)
            wake, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, wake)
            if not future.done():
                future.set_result(None)


@pytest.fixture
def store():
    s = Store(None)
    yield s
    s.close()


def subscribe_many(store, chat_ids, text="08:00", clock=lambda: datetime(2026, 1, 15, 7, 0, tzinfo=UTC)):
    subs = Subscriptions(store, clock=clock)
    for chat_id in chat_ids:
        subs.subscribe(chat_id, parse_subscribe_args(text))
    return subs


def run(dispatcher, bot):
    async def go():
        await bot.initialize()
        try:
            return await dispatcher.dispatch(bot)
        finally:
            await bot.shutdown()
    return asyncio.run(go())


def fast_limiter():
    vt = VirtualTime()
    return DigestRateLimiter(clock=vt.clock, sleep=vt.sleep), vt


def test_each_due_chat_gets_exactly_one_digest_with_the_new_articles(store):
    store.upsert_article(make_article(1, "Before subscribing", "old"))
    subs = subscribe_many(store, range(1, 51))
    store.upsert_article(make_article(2, "Sanctions widen", "The EU adds names.",
                                      quotes=[("We will not back down", "Ursula Example", "direct")]))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    limiter, _ = fast_limiter()
    report = run(DigestDispatcher(subs), make_bot(api, limiter))
    assert report.sent == 50 and report.composed == 1
    assert sorted(api.sent) == list(range(1, 51))
    for chat_id, messages in api.sent.items():
        assert len(messages) == 1
        assert "Sanctions widen" in messages[0]["text"] and "Before subscribing" not in messages[0]["text"]
        assert "\u201cWe will not back down\u201d" in messages[0]["text"]
    again = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert again.sent == 0 and all(len(m) == 1 for m in api.sent.values())
    assert store.db.execute("select count(*) from deliveries").fetchone()[0] == 50
    assert store.db.execute("select count(*) from subscriptions where marker = 2").fetchone()[0] == 50


def test_compose_once_per_distinct_marker_and_filters(store):
    subs = Subscriptions(store, clock=lambda: datetime(2026, 1, 15, 7, 0, tzinfo=UTC))
    for chat_id in range(1, 11):
        subs.subscribe(chat_id, parse_subscribe_args("08:00 topic:oil" if chat_id % 2 else "08:00"))
    store.upsert_article(make_article(1, "Oil up", "Oil rises."))
    store.upsert_article(make_article(2, "Football", "A match."))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    report = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert report.composed == 2 and report.sent == 10
    assert "Football" not in api.sent[1][0]["text"] and "Oil up" in api.sent[1][0]["text"]
    assert "Football" in api.sent[2][0]["text"]


def test_blocked_chat_is_deactivated_and_not_retried_others_unaffected(store):
    subs = subscribe_many(store, [1, 2, 3])
    store.upsert_article(make_article(1, "News", "n"))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    api.blocked.add(2)
    report = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert report.deactivated == 1 and sorted(api.sent) == [1, 3]
    assert subs.get(2).active == 0 and "cannot write" in subs.get(2).deactivated_reason
    calls_before = len([c for c in api.calls if c == ("sendMessage", 2)])
    run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert len([c for c in api.calls if c == ("sendMessage", 2)]) == calls_before


def test_retry_after_is_retried_and_delivered_once(store):
    subs = subscribe_many(store, range(1, 21))
    store.upsert_article(make_article(1, "News", "n"))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    api.retry_after_once.update({3, 7, 11})
    limiter, _ = fast_limiter()
    report = run(DigestDispatcher(subs), make_bot(api, limiter))
    assert report.sent == 20 and limiter.retry_afters == 3
    assert all(len(api.sent[c]) == 1 for c in range(1, 21))


def test_a_failed_send_stays_due_and_goes_out_on_the_next_run(store):
    subs = subscribe_many(store, [1, 2])
    store.upsert_article(make_article(1, "News", "n"))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    api.network_fail_once.add(1)
    first = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert first.failed == 1 and first.sent == 1 and 1 not in api.sent
    assert run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0])).sent == 0  # backing off: 1 minute
    subs.clock = lambda: DUE + timedelta(minutes=1)
    second = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert second.sent == 1 and len(api.sent[1]) == 1 and len(api.sent[2]) == 1


def test_unreadable_answers_are_logged_recorded_and_never_sent_again_over_three_minutes(store, caplog):
    """Answers that cannot be read (not JSON; a result that is no message; no result) for three chats out
    of 40, over three dispatcher minutes: every other chat gets exactly one digest; each of the three is
    sent once, recorded as delivered and not retried, and no send is left running past its run."""
    garbage = {7: (200, b"<html>502 upstream garbage"), 19: (200, b'{"ok": true, "result": 17}'),
               33: (200, b'{"ok": true}')}
    subs = subscribe_many(store, range(1, 41))
    store.upsert_article(make_article(1, "News", "n"))
    api = FakeBotAPI()
    api.answers.update(garbage)
    api.delay = 0.01  # sends overlap, so one failing while others are on the wire is exercised
    dispatcher = DigestDispatcher(subs, concurrency=8)
    reports = []

    async def one_minute(bot):
        await bot.initialize()
        try:
            report = await dispatcher.dispatch(bot)
            left_running = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            assert not left_running  # every send of the run was awaited to its end
            return report
        finally:
            await bot.shutdown()
    for minute in range(3):
        subs.clock = lambda minute=minute: DUE + timedelta(minutes=minute)
        reports.append(asyncio.run(one_minute(make_bot(api, fast_limiter()[0]))))
    assert reports[0].sent == 37 and reports[0].unreadable == 3
    assert all(r.sent == 0 and r.unreadable == 0 for r in reports[1:])
    sends = [chat for endpoint, chat in api.calls if endpoint == "sendMessage"]
    assert sorted(sends) == list(range(1, 41))  # one send per chat, the three included
    assert all(len(api.sent[c]) == 1 for c in range(1, 41) if c not in garbage)
    delivered = {row["chat_id"] for row in store.db["deliveries"].rows}
    assert delivered == set(range(1, 41))
    logged = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
    assert sorted(int(m.split()[2].rstrip(":")) for m in logged) == sorted(garbage)


def test_group_that_migrated_gets_its_digest_at_the_new_id(store):
    subs = subscribe_many(store, [-100])
    store.upsert_article(make_article(1, "News", "n"))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    api.migrated[-100] = -1009
    report = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert report.sent == 1 and len(api.sent[-1009]) == 1
    assert subs.get(-100) is None and subs.get(-1009).marker == 1


def test_nothing_new_sends_nothing_unless_asked(store):
    subs = subscribe_many(store, [1, 2])
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    report = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert report.empty == 2 and not api.sent
    assert subs.get(1).next_local_date == "2026-01-16"
    subs.clock = lambda: DUE + timedelta(days=1)
    report = run(DigestDispatcher(subs, send_empty=True), make_bot(api, fast_limiter()[0]))
    assert report.sent == 2 and "Nothing new" in api.sent[1][0]["text"]


def test_stopping_mid_fan_out_records_what_was_sent_and_leaves_the_rest_due(store):
    subs = subscribe_many(store, range(1, 101))
    store.upsert_article(make_article(1, "News", "n"))
    subs.clock = lambda: DUE
    api = FakeBotAPI()
    dispatcher = DigestDispatcher(subs, concurrency=8)
    state = {"running": True}
    limiter, _ = fast_limiter()
    limiter.gate = dispatcher.keep_going = lambda: state["running"]

    def arrive(chat_id):
        if sum(len(v) for v in api.sent.values()) >= 30:
            state["running"] = False  # SIGTERM arrives while sends are on the wire
    api.on_send = arrive
    first = run(dispatcher, make_bot(api, limiter))
    delivered = store.db.execute("select count(*) from deliveries").fetchone()[0]
    sent_chats = set(api.sent)
    assert first.sent == delivered == len(sent_chats) and 30 <= delivered < 100
    # the next process picks up exactly the rest
    state["running"] = True
    rest = run(DigestDispatcher(subs), make_bot(api, fast_limiter()[0]))
    assert rest.sent == 100 - delivered
    assert sorted(api.sent) == list(range(1, 101)) and all(len(m) == 1 for m in api.sent.values())


# -- the rate limiter ------------------------------------------------------------------------


def limiter_run(limiter, requests):
    """requests: (kind, chat_id); returns the virtual time and order of each call."""
    calls = []

    async def one(kind, chat_id, i):
        async def callback():
            calls.append((limiter.clock(), kind, chat_id, i))
            return True
        await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": chat_id},
                                      DIGEST if kind == "digest" else None)

    async def go():
        await asyncio.gather(*(one(k, c, i) for i, (k, c) in enumerate(requests)))
    asyncio.run(go())
    return calls


def max_in_window(times, width):
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - width:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_digest_sends_are_paced_per_second():
    limiter, _ = fast_limiter()
    calls = limiter_run(limiter, [("digest", n) for n in range(1, 201)])
    assert len(calls) == 200
    assert max_in_window([c[0] for c in calls], 1.0) <= math.ceil(limiter.per_second) < 30


def test_digest_sends_to_one_group_are_paced_per_minute():
    limiter, _ = fast_limiter()
    calls = limiter_run(limiter, [("digest", -42)] * 45 + [("digest", n) for n in range(1, 30)])
    group = [c[0] for c in calls if c[2] == -42]
    assert len(group) == 45 and max_in_window(group, 60.0) <= 20
    # the other chats did not wait behind the group's minute
    private = [c[0] for c in calls if c[2] > 0]
    assert max(private) < min(sorted(group)[20:])


def test_replies_do_not_wait_behind_a_fan_out():
    limiter, _ = fast_limiter()
    requests = [("digest", n) for n in range(1, 301)]
    requests.insert(150, ("reply", 99999))
    calls = limiter_run(limiter, requests)
    order = [c[1] for c in calls]
    reply_at = order.index("reply")
    assert reply_at < 30  # went out within the first second's worth, not after 150 digests


def test_retry_after_on_a_digest_halts_digests_not_replies():
    vt = VirtualTime()
    limiter = DigestRateLimiter(clock=vt.clock, sleep=vt.sleep)
    from telegram.error import RetryAfter
    seen = []

    async def go():
        first = {"done": False}

        async def digest_call():
            if not first["done"]:
                first["done"] = True
                raise RetryAfter(5)
            seen.append(("digest", vt.now))
            return True

        async def reply_call():
            seen.append(("reply", vt.now))
            return True
        await limiter.process_request(digest_call, (), {}, "sendMessage", {"chat_id": 1}, DIGEST)
        start = vt.now
        await limiter.process_request(reply_call, (), {}, "sendMessage", {"chat_id": 2}, None)
        return start
    start = asyncio.run(go())
    assert seen[0][0] == "digest" and seen[0][1] >= 1000 + 5  # the digest waited out retry_after
    assert seen[1] == ("reply", start)  # the reply did not wait


def test_the_job_queue_holds_the_same_few_jobs_for_10k_subscriptions(tmp_path):
    """Subscriptions live in the store: the scheduler gets one dispatcher (+ catch-up, + inbox, + the follow
    alerts' one job), not one job each."""
    from bot.app import build_application
    from bot.config import load_settings

    db = tmp_path / "many.db"
    store = Store(db)
    subs = Subscriptions(store, clock=lambda: datetime(2026, 1, 15, 7, 0, tzinfo=UTC))
    with store.db.atomic():
        for chat_id in range(1, 10_001):
            subs.subscribe(chat_id, parse_subscribe_args(f"{chat_id % 24}:{chat_id % 60:02d} Europe/Berlin"))
    settings = load_settings(telegram_token="1:TEST", db_path=db, inbox_dir=tmp_path)
    counts = {}

    async def go():
        app = build_application(settings, store)
        for hook in app.bot_data["post_init_hooks"][1:]:  # the digest hook (the first sets the command menu)
            await hook(app)
        counts["jobs"] = sorted(job.name for job in app.job_queue.jobs())
    asyncio.run(go())
    assert counts["jobs"] == ["digest-catch-up", "digest-dispatcher", "follow-alerts", "inbox"]
    assert subs.count() == 10_000
    store.close()


def test_admin_check_is_tolerant_of_a_server_without_the_method():
    from telegram import Chat

    from bot.digest_handlers import telegram_admin_check

    class NoAdmins:
        async def get_chat_administrators(self, chat_id):
            raise TypeError("the server answered true instead of a list")

        async def get_chat_member(self, chat_id, user_id):
            from telegram.error import BadRequest
            raise BadRequest("method not found")

    class Admins:
        async def get_chat_administrators(self, chat_id):
            from telegram import ChatMemberAdministrator, User
            return [ChatMemberAdministrator(User(7, "Ann", False), False, True, True, True, True, True, True,
                                            True, True, True, True, True)]

    chat = Chat(-5, "supergroup")
    assert asyncio.run(telegram_admin_check(NoAdmins(), chat, 7)) is False  # cannot tell: refuse, no crash
    assert asyncio.run(telegram_admin_check(Admins(), chat, 7)) is True
    assert asyncio.run(telegram_admin_check(Admins(), chat, 8)) is False


def test_a_queued_digest_send_is_cancelled_soon_when_the_bot_stops():
    from bot.ratelimit import DigestSendCancelled

    vt = VirtualTime()
    limiter = DigestRateLimiter(clock=vt.clock, sleep=vt.sleep, per_group_minute=1)
    state = {"running": True}
    limiter.gate = lambda: state["running"]
    outcome = {}

    async def go():
        async def ok():
            return True
        await limiter.process_request(ok, (), {}, "sendMessage", {"chat_id": -5}, DIGEST)  # uses the group's minute

        async def stop_soon():
            await vt.sleep(2)
            state["running"] = False
        stopper = asyncio.ensure_future(stop_soon())
        try:
            await limiter.process_request(ok, (), {}, "sendMessage", {"chat_id": -5}, DIGEST)
            outcome["result"] = "sent"
        except DigestSendCancelled:
            outcome["result"] = "cancelled"
        outcome["waited"] = vt.now - 1000
        await stopper
    asyncio.run(go())
    assert outcome["result"] == "cancelled" and outcome["waited"] < 60
