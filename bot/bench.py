"""The bot's benchmark sections (issue 6), registered into `briefs.bench` when `newsbrief bench` runs.

- `replies`: p50/p99 server-side (update in -> sendMessage out) of /latest, /who (a hit, a fuzzy miss),
  /claims <common word>, /search <common word>, /article over the full store, each beside its floor:
  a minimal handler in the SAME PTB Application that runs the bare indexed SQLite query fetching the
  same rows and sends a text of the same length. Updates go through `Application.process_update`;
  the Bot's network is an in-process request object that answers every call and records the sends
  (shared by ours and the floor, so the ratio is fair).
- `fanout`: /who p50/p99 while N digests (1,000) go out through the digest rate limiter, in the same
  application (same event loop, same store connection).
- `digest`: time to compose the digests of 10k subscribers (once per distinct (marker, filters)).
- `process` (in `bot.bench_process`): `python -m bot run` as a real process against the loopback Bot API server
  (telegram-test-api behind the tests' compatibility front, 429 above 30 messages/s like Telegram):
  start to polling with 10k subscriptions, the send rate of the fan-out as a fraction of 30/s and the
  flood errors (429) seen; with every Bot API answer `--api-latency-ms` (100) late, as a real round trip:
  a burst of 200 users' commands with and without the latency (`reply_burst_latency_ratio`), the reply
  p99 during a second fan-out against without one (`reply_fanout_p99_ratio`); then a few commands, and
  the process's peak RSS.

Times are server-side wall clock (`time.perf_counter`) on one event loop, as the bot serves.
"""
from __future__ import annotations

import asyncio
import gc
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from briefs.bench import BenchContext, Figures, section

ROOT = Path(__file__).resolve().parents[1]
TELEGRAM_LIMIT = 30.0  # messages/s for bulk sending per bot

# the reply cases: (name, command); words are chosen in `_cases` from the store
COMMON_WORD = "energy"  # in "energy markets", "Centre for Energy Policy", ...: tens of thousands of matches


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 3)


# -- an in-process Bot API -------------------------------------------------------------------


def _recording_request(delay: float = 0.0):
    from telegram.request import BaseRequest

    class RecordingRequest(BaseRequest):
        """Answers every Bot API call at once (after `delay`) and records what was sent."""

        def __init__(self):
            self.sends: list[tuple[float, int, int]] = []  # (perf_counter, chat_id, text length)
            self.message_id = 0
            self.delay = delay

        @property
        def read_timeout(self):
            return None

        async def initialize(self) -> None:
            pass

        async def shutdown(self) -> None:
            pass

        async def do_request(self, url, method, request_data=None, read_timeout=None, write_timeout=None,
                             connect_timeout=None, pool_timeout=None):
            endpoint = url.rsplit("/", 1)[-1]
            params = request_data.parameters if request_data is not None else {}
            if self.delay:
                await asyncio.sleep(self.delay)
            if endpoint == "getMe":
                result = {"id": 4242, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
            elif endpoint == "sendMessage":
                self.message_id += 1
                chat_id = int(params.get("chat_id"))
                text = params.get("text") or ""
                self.sends.append((time.perf_counter(), chat_id, len(text)))
                result = {"message_id": self.message_id, "date": int(time.time()), "text": text,
                          "chat": {"id": chat_id, "type": "private", "first_name": "B"}}
            else:
                result = True
            return 200, json.dumps({"ok": True, "result": result}).encode()

    return RecordingRequest()


class InProcessBot:
    """The real Application (`bot.app.build_application`) over a store, its network replaced."""

    def __init__(self, store, delay: float = 0.0):
        from bot.app import build_application
        from bot.config import load_settings

        settings = load_settings(telegram_token="4242:BENCH", flood_commands=10**9, flood_window_seconds=1,
                                 db_path=str(store.db.conn.execute("pragma database_list").fetchone()[2]))
        self.store = store
        self.app = build_application(settings, store)
        self.request = _recording_request(delay)
        self.app.bot._request = (self.request, self.request)
        self._update_id = 0

    async def start(self) -> None:
        await self.app.initialize()
        from bot.services import REPLIES

        self.app.bot_data[REPLIES].names.refresh()  # what the post_init hook warms before polling

    async def stop(self) -> None:
        await self.app.shutdown()

    def update(self, text: str, user_id: int = 777):
        from telegram import Update

        self._update_id += 1
        command = text.split(None, 1)[0]
        return Update.de_json({
            "update_id": self._update_id,
            "message": {
                "message_id": self._update_id, "date": int(time.time()), "text": text,
                "chat": {"id": user_id, "type": "private", "first_name": "B"},
                "from": {"id": user_id, "is_bot": False, "first_name": "B"},
                "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
            },
        }, self.app.bot)

    async def timed(self, text: str, user_id: int = 777) -> tuple[float, list[int]]:
        """Seconds from the update in to the last sendMessage out, and the lengths of the texts sent."""
        update = self.update(text, user_id)
        before = len(self.request.sends)
        started = time.perf_counter()
        await self.app.process_update(update)
        sent = self.request.sends[before:]
        end = sent[-1][0] if sent else time.perf_counter()
        return end - started, [length for _, _, length in sent]


# -- floors: the bare indexed queries ----------------------------------------------------------


def _floor_queries(store, cases: dict[str, str], extra: dict) -> dict:
    """For each case, a function running the bare SQL that fetches the rows ours shows."""
    from briefs.queries import FTS_WINDOW

    db = store.db

    def latest():
        rows = db.execute("select id, title, published, section, outlet, lede from articles "
                          "order by published desc, id desc limit 6").fetchall()
        ids = [r[0] for r in rows]
        db.execute(f"select article_id, speaker from quotes where article_id in ({','.join('?' * len(ids))})",
                   ids).fetchall()

    def who_hit():  # the person's newest quotes, description, and most check-worthy claims, as ours shows
        norm = extra["who_hit_norm"]
        db.execute("select q.id, q.article_id, q.speaker, q.text, q.kind, a.title, a.published from quotes q "
                   "join articles a on a.id = q.article_id where q.speaker_norm = ? "
                   "order by q.article_id desc, q.position limit 13", [norm]).fetchall()
        db.execute("select name, description from speakers where norm = ? and description is not null "
                   "order by article_id desc limit 1", [norm]).fetchall()
        db.execute("select c.id, c.text, c.score, a.title from claims c join articles a on a.id = c.article_id "
                   "where c.speaker_norm = ? order by c.score desc limit 12", [norm]).fetchall()

    def who_miss():
        db.execute("select 1 from speakers where norm = ? limit 1", [extra["who_miss_norm"]]).fetchall()
        for norm in extra["who_miss_people"]:
            db.execute("select name, description from speakers where norm = ? limit 1", [norm]).fetchall()

    def claims_topic():  # ours: the most check-worthy among the newest FTS_WINDOW matches (newest-first FTS)
        db.execute("with hits as (select rowid from claims_fts where claims_fts match ? order by rowid desc "
                   "limit ?) select c.id, c.text, c.speaker, c.score, a.title, a.published from hits h "
                   "join claims c on c.id = h.rowid join articles a on a.id = c.article_id "
                   "order by c.score desc limit 11", [extra["word"], FTS_WINDOW]).fetchall()

    def search():  # five newest articles, quotes and claims holding the word, with what ours shows of them
        word = extra["word"]
        db.execute("select a.id, a.title, a.published, a.outlet from articles_fts join articles a "
                   "on a.id = articles_fts.rowid where articles_fts match ? order by articles_fts.rowid desc "
                   "limit 5", [word]).fetchall()
        for table, kind in (("quotes", "quotes_fts"), ("claims", "claims_fts")):
            db.execute(f"with hits as (select rowid from {kind} where {kind} match ? order by rowid desc limit 5) "
                       f"select t.*, a.title, a.published from hits h join {table} t on t.id = h.rowid "
                       "join articles a on a.id = t.article_id", [word]).fetchall()

    def article():
        article_id = extra["article_id"]
        db.execute("select id, title, published, section, outlet, url, lede, headings from articles where id = ?",
                   [article_id]).fetchall()
        for table in ("speakers", "quotes", "claims"):
            db.execute(f"select * from {table} where article_id = ?", [article_id]).fetchall()

    return {"latest": latest, "who_hit": who_hit, "who_miss": who_miss, "claims_topic": claims_topic,
            "search": search, "article": article}


def _cases(store) -> tuple[dict[str, str], dict]:
    """The commands measured, picked from the store: a much-quoted person, a typo of a name, a common word."""
    from briefs.queries import NameIndex
    from briefs.store import fold

    db = store.db
    top = db.execute("select speaker_norm, min(speaker) from quotes where speaker_norm is not null "
                     "group by speaker_norm order by count(*) desc limit 1").fetchone()
    hit_norm, hit_name = top
    # a fuzzy miss: a surname with a letter changed, that is nobody's name
    surname = hit_name.split()[-1]
    typo = surname[:-2] + ("x" if surname[-2] != "x" else "z") + surname[-1]
    names = NameIndex(store)
    closest = [p.norm for p in names.closest(typo)]
    article_id = db.execute("select max(id) from articles").fetchone()[0] // 2 or 1
    cases = {
        "latest": "/latest",
        "who_hit": f"/who {hit_name}",
        "who_miss": f"/who {typo}",
        "claims_topic": f"/claims {COMMON_WORD}",
        "search": f"/search {COMMON_WORD}",
        "article": f"/article {article_id}",
    }
    extra = {"who_hit_norm": hit_norm, "who_miss_norm": fold(typo), "who_miss_people": closest,
             "word": COMMON_WORD, "article_id": article_id}
    return cases, extra


def _install_floors(bot: InProcessBot, floors: dict, lengths: dict[str, list[int]]) -> None:
    """`/floor_<case>`: the bare query, then texts of the lengths ours sent; first in group 0."""
    from telegram.ext import CommandHandler

    def handler_for(case: str):
        async def floor(update, context) -> None:
            floors[case]()
            for length in lengths[case] or [1]:
                await update.effective_message.reply_text("x" * length)

        return floor

    for case in floors:
        bot.app.handlers[0].insert(0, CommandHandler(f"floor_{case}", handler_for(case)))


async def _replies(store, runs: int, log) -> Figures:
    bot = InProcessBot(store)
    await bot.start()
    try:
        cases, extra = _cases(store)
        floors = _floor_queries(store, cases, extra)
        lengths: dict[str, list[int]] = {}
        cold: dict[str, float] = {}
        for case, command in cases.items():  # the first ask (cold caches), and what ours sends
            cold[case], lengths[case] = await bot.timed(command)
        _install_floors(bot, floors, lengths)
        for case in cases:
            await bot.timed(f"/floor_{case}")
        times: dict[str, list[float]] = {case: [] for case in cases}
        floor_times: dict[str, list[float]] = {case: [] for case in cases}
        gc.collect()
        for _ in range(runs):
            for case, command in cases.items():  # interleaved, so that noise falls on both alike
                times[case].append((await bot.timed(command))[0])
                floor_times[case].append((await bot.timed(f"/floor_{case}"))[0])
        figures: Figures = {"reply_runs": runs, "reply_common_word": COMMON_WORD,
                            "reply_common_word_claims": _fts_count(store, "claims_fts", COMMON_WORD),
                            "reply_common_word_articles": _fts_count(store, "articles_fts", COMMON_WORD)}
        worst = 0.0
        for case in cases:
            p50, p99 = _pct(times[case], 50), _pct(times[case], 99)
            f50, f99 = _pct(floor_times[case], 50), _pct(floor_times[case], 99)
            figures.update({
                f"reply_{case}_p50_ms": _ms(p50), f"reply_{case}_p99_ms": _ms(p99),
                f"reply_{case}_cold_ms": _ms(cold[case]),
                f"reply_{case}_floor_p50_ms": _ms(f50), f"reply_{case}_floor_p99_ms": _ms(f99),
                f"reply_{case}_floor_ratio": round(p50 / f50, 2) if f50 else None,
                f"reply_{case}_floor_p99_ratio": round(p99 / f99, 2) if f99 else None,
            })
            worst = max(worst, p99)
            log(f"bench: replies: {case}: p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms "
                f"(floor {f50 * 1000:.2f} / {f99 * 1000:.2f})")
        figures["reply_worst_p99_ms"] = _ms(worst)
        return figures
    finally:
        await bot.stop()


def _fts_count(store, table: str, word: str) -> int:
    return store.db.execute(f"select count(*) from {table} where {table} match ?", [word]).fetchone()[0]


@section("replies")
def bench_replies(ctx: BenchContext) -> Figures:
    store = ctx.full_store()
    runs = int(ctx.option("reply_runs", 200))
    figures = asyncio.run(_replies(store, runs, ctx.log))
    figures.update(_linking_on_full_store(ctx, store))
    return figures


def _linking_on_full_store(ctx: BenchContext, store, articles: int = 300) -> Figures:
    """Linking new articles' speakers against the full store's people (issue 13), rolled back after: ms per
    article, and as a share of the rest of an ingest when the ingest section ran (its articles/s)."""
    import time

    from briefs.benchgen import records
    from briefs.linking import Linker
    from briefs.store import article_names

    total = store.db.execute("select max(id) from articles").fetchone()[0] or 0
    batch = list(records(articles, seed=ctx.seed + 1, start=total))
    store.db.execute("begin immediate")
    try:
        linker = Linker(store.db)
        started = time.perf_counter()
        for article in batch:
            linker.link(article_names(article))
        seconds = time.perf_counter() - started
    finally:
        store.db.execute("rollback")
    per_article = seconds / len(batch)
    ingest_rate = ctx.figures.get("ingest_articles_per_s")
    rest = 1 / ingest_rate - per_article if ingest_rate else None
    return {"full_store_linking_ms_per_article": round(per_article * 1000, 3),
            "full_store_linking_share_ratio": round(per_article / rest, 4) if rest and rest > 0 else None}


# -- subscriptions -------------------------------------------------------------------------------

FILTER_CHOICES = ["", "who:Doctorow", "topic:sanctions", "topic:energy", "who:Raffone topic:pipeline",
                  "who:\"Ana Ruiz\"", "topic:summit", "topic:oil", "who:Gardner", "topic:ceasefire"]


def add_subscribers(store, count: int, *, due: int = 0, now: datetime | None = None, start_chat: int = 10_000_000,
                    markers: int = 5) -> list[int]:
    """`count` private-chat subscriptions straight into the table: the first `due` fall due now (their slot
    a few seconds ago, UTC), the rest tomorrow; markers spread over the newest articles, filters mixed."""
    from briefs import schedule
    from briefs.digest import Filters, remember_filters

    now = now or datetime.now(timezone.utc)
    top = store.max_seq()
    stamp = now.isoformat(timespec="seconds")
    rows, chats = [], []
    filters = []
    for text in FILTER_CHOICES:
        parsed = Filters.parse(text)
        remember_filters(store, parsed)
        filters.append(parsed.canonical())
    slot = (now - timedelta(seconds=5)).replace(second=0, microsecond=0)
    later = slot + timedelta(days=1)
    for i in range(count):
        chat = start_chat + i
        chats.append(chat)
        when = slot if i < due else later
        rows.append((chat, None, "private", when.strftime("%H:%M"), "UTC", filters[i % len(filters)] if i >= due else "",
                     max(0, top - 20 * (1 + i % markers)), schedule.to_db(when),
                     when.date().isoformat(), 1, None, stamp, stamp))
    with store.db.conn:
        store.db.conn.executemany(
            "insert or replace into subscriptions (chat_id, thread_id, chat_type, time, tz, filters, marker, "
            "next_due_utc, next_local_date, active, deactivated_reason, created_at, updated_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return chats


def _clear_subscriptions(store) -> None:
    with store.db.conn:
        store.db.conn.execute("delete from subscriptions")
        store.db.conn.execute("delete from deliveries")


# -- fan-out: /who while digests go out -----------------------------------------------------------


async def _fanout(store, digests: int, log, interval: float = 0.2) -> Figures:
    """/who and its floor every `interval` s (5/s each: replies count against the 30/s the limiter shares with digests, and go
    first, so a faster stream of replies would starve the fan-out by design) while the digests go out."""
    from bot.jobs import DigestDispatcher
    from briefs.subscriptions import Subscriptions

    _clear_subscriptions(store)
    add_subscribers(store, digests, due=digests, start_chat=20_000_000)
    bot = InProcessBot(store, delay=0.002)  # a little network time per call, as on loopback
    await bot.start()
    try:
        cases, extra = _cases(store)
        command = cases["who_hit"]
        _, lengths = await bot.timed(command)
        _install_floors(bot, {"who_hit": _floor_queries(store, cases, extra)["who_hit"]}, {"who_hit": lengths})
        for _ in range(5):
            await bot.timed(command)
            await bot.timed("/floor_who_hit")
        subs = Subscriptions(store)
        dispatcher = DigestDispatcher(subs)
        started = time.perf_counter()
        fanout = asyncio.ensure_future(dispatcher.dispatch(bot.app.bot))
        times: list[float] = []
        floor_times: list[float] = []
        while not fanout.done():  # ours and the floor in turn, each every `interval`
            times.append((await bot.timed(command))[0])
            await asyncio.sleep(interval / 2)
            floor_times.append((await bot.timed("/floor_who_hit"))[0])
            await asyncio.sleep(interval / 2)
        report = await fanout
        seconds = time.perf_counter() - started
        digest_sends = [t for t, chat, _ in bot.request.sends if chat >= 20_000_000]
        span = digest_sends[-1] - digest_sends[0] if len(digest_sends) > 1 else 0
        rate = (len(digest_sends) - 1) / span if span else None
        log(f"bench: fanout: {report.sent} digests in {seconds:.1f} s, /who p99 {(_pct(times, 99) or 0) * 1000:.2f} ms")
        return {
            "fanout_digests": report.sent, "fanout_s": round(seconds, 2), "fanout_who_samples": len(times),
            "fanout_who_p50_ms": _ms(_pct(times, 50)), "fanout_who_p99_ms": _ms(_pct(times, 99)),
            "fanout_who_floor_p50_ms": _ms(_pct(floor_times, 50)),
            "fanout_who_floor_p99_ms": _ms(_pct(floor_times, 99)),
            "fanout_who_floor_ratio": round(_pct(times, 50) / _pct(floor_times, 50), 2) if floor_times else None,
            "fanout_who_floor_p99_ratio": round(_pct(times, 99) / _pct(floor_times, 99), 2) if floor_times else None,
            "fanout_inprocess_per_s": round(rate, 2) if rate else None,
            "fanout_inprocess_limit_ratio": round(rate / TELEGRAM_LIMIT, 3) if rate else None,
        }
    finally:
        await bot.stop()
        _clear_subscriptions(store)


@section("fanout")
def bench_fanout(ctx: BenchContext) -> Figures:
    if ctx.option("skip_fanout", False):
        return {"fanout_digests": None, "fanout_who_p50_ms": None, "fanout_who_p99_ms": None}
    return asyncio.run(_fanout(ctx.full_store(), int(ctx.option("fanout_digests", 1000)), ctx.log))


# -- digest composition ----------------------------------------------------------------------------


@section("digest")
def bench_digest(ctx: BenchContext) -> Figures:
    """Compose the digests of N subscribers as the dispatcher does: once per distinct (marker, filters)."""
    from briefs.digest import compose
    from briefs.subscriptions import Subscriptions

    store = ctx.full_store()
    count = int(ctx.option("subscribers", 10_000))
    _clear_subscriptions(store)
    add_subscribers(store, count, due=0)
    subs = Subscriptions(store)
    to_seq = store.max_seq()
    started = time.perf_counter()
    rows = store.db.execute("select chat_id from subscriptions").fetchall()
    cache: dict = {}
    per_compose: list[float] = []
    for (chat,) in rows:
        sub = subs.get(chat)
        key = (sub.marker, sub.filters)
        if key not in cache:
            t = time.perf_counter()
            cache[key] = compose(store, sub.marker, to_seq, sub.filter_set)
            per_compose.append(time.perf_counter() - t)
    seconds = time.perf_counter() - started
    _clear_subscriptions(store)
    return {
        "digest_subscribers": count, "digest_distinct": len(cache), "digest_compose_s": round(seconds, 3),
        "digest_compose_each_p50_ms": _ms(_pct(per_compose, 50)), "digest_compose_each_max_ms": _ms(max(per_compose)),
    }
