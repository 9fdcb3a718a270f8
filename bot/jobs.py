"""Digest and inbox jobs on PTB's JobQueue (APScheduler).

Digests: ONE repeating dispatcher job, every minute on the minute, plus one run
at start (to catch up what was missed while the bot was down, within the grace
window). Each run takes from the store every active subscription whose
`next_due_utc` has come, composes each distinct (marker, filters) digest once,
and sends through `DigestRateLimiter` (paced; replies go first). Subscriptions
live in the store only: no job per subscriber, so startup does not depend on
how many there are.

Exactly once: a delivery is recorded (with the marker and the next due time, in
one transaction) right after its send succeeds. On stop (SIGTERM), no new
digest send starts; those on the wire finish and are recorded before PTB's
JobQueue.stop() returns. A hard kill between a send and its record may repeat
that one digest on restart (at least once), never lose it; so may a send that
timed out after Telegram had in fact delivered it (it stays due: at least once).

Inbox: with NEWSBRIEF_INBOX_DIR, a repeating job scans the folder; a file that
is new or changed and has the same size and mtime on two passes in a row is
ingested by a child process (`python -m bot ingest ...`), so extraction's
memory and CPU stay out of the bot. Outcomes are remembered in the store's
`inbox_files`: a bad file is logged once and not retried until it changes.
"""
from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from briefs.digest import DigestMessage, compose
from briefs.store import store_busy
from briefs.subscriptions import Plan, Subscription, Subscriptions

from . import digest_handlers
from .keyboards import keyboard
from .ratelimit import DIGEST, DigestRateLimiter, DigestSendCancelled, DigestSendWithdrawn

log = logging.getLogger(__name__)

DISPATCH_JOB = "digest-dispatcher"
CATCH_UP_JOB = "digest-catch-up"
INBOX_JOB = "inbox"
YIELD_EVERY = 25  # subscriptions planned between two looks at the event loop


def make_clock(offset_seconds: float = 0.0) -> Callable[[], datetime]:
    """The bot's clock: UTC now, shifted by the test-only NEWSBRIEF_TEST_CLOCK_OFFSET_SECONDS."""
    shift = timedelta(seconds=offset_seconds)
    return lambda: datetime.now(timezone.utc) + shift


@dataclass
class DispatchReport:
    sent: int = 0
    empty: int = 0
    skipped: int = 0
    deactivated: int = 0
    failed: int = 0
    cancelled: int = 0
    withdrawn: int = 0  # unsubscribed or changed while waiting to be sent: not sent
    unreadable: int = 0  # sent, but the answer could not be read: counted as delivered, not sent again
    composed: int = 0
    chats: list[int] = field(default_factory=list)


class DigestDispatcher:
    def __init__(self, subs: Subscriptions, *, send_empty: bool = False, concurrency: int = 32, batch: int = 1000):
        self.subs = subs
        self.store = subs.store
        self.send_empty = send_empty
        self.concurrency = concurrency
        self.batch = batch
        self._lock = asyncio.Lock()
        self.keep_going: Callable[[], bool] = lambda: True

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        catch_up = context.job is not None and context.job.name == CATCH_UP_JOB
        if self._lock.locked():  # a long fan-out is still running; it picks up what is due
            return
        async with self._lock:
            report = await self.dispatch(context.bot)
        figures = {k: v for k, v in vars(report).items() if k != "chats"}
        if catch_up:
            log.info("digest catch-up at start done: %s", figures)
        elif report.sent or report.skipped or report.deactivated or report.failed or report.cancelled \
                or report.unreadable:
            log.info("digests: %s", figures)

    async def dispatch(self, bot) -> DispatchReport:
        """Send every due digest (as of now); each chat is tried at most once per run."""
        report = DispatchReport()
        now = self.subs.clock()
        to_seq = self.store.max_seq()
        cache: dict[tuple[int, str], DigestMessage] = {}
        tried: set[int] = set()
        semaphore = asyncio.Semaphore(self.concurrency)
        while self.keep_going():
            due = self.subs.due(now, limit=self.batch, exclude=tried)
            now = self.subs.clock()  # a long fan-out also takes what fell due meanwhile
            if not due:
                break
            tasks = []
            for number, sub in enumerate(due):
                if number and number % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # planning and composing run SQLite without an await: let replies in
                tried.add(sub.chat_id)
                plan = self.subs.plan(sub, now)
                if plan.action == "skip":
                    self.subs.skip(sub, plan.slot)
                    report.skipped += 1
                    continue
                key = (sub.marker, sub.filters)
                if key not in cache:
                    try:
                        cache[key] = compose(self.store, sub.marker, to_seq, sub.filter_set)
                    except Exception:  # one unreadable subscription must not hold up the others' digests
                        log.exception("digest for chat %s could not be composed", sub.chat_id)
                        cache[key] = None
                        report.failed += 1
                    report.composed += 1
                message = cache[key]
                if message is None:
                    continue
                if message.empty and not self.send_empty:
                    self.subs.record_delivery(sub, plan.slot, to_seq, articles=0, message_id=None)
                    report.empty += 1
                    continue
                tasks.append(self._send(bot, sub, plan, message, to_seq, semaphore, report))
            # every send is awaited to its end, whatever another one raised: a send left running past this
            # run would still be unrecorded when the next minute's run takes its chat again (a double)
            for outcome in await asyncio.gather(*tasks, return_exceptions=True):
                if isinstance(outcome, BaseException):
                    report.failed += 1
                    log.error("a digest send failed unexpectedly", exc_info=outcome)
        return report

    async def _send(self, bot, sub: Subscription, plan: Plan, message: DigestMessage, to_seq: int,
                    semaphore: asyncio.Semaphore, report: DispatchReport) -> None:
        async with semaphore:
            if not self.keep_going():
                report.cancelled += 1
                return
            chat_id = first_id = sub.chat_id
            try:
                for _ in range(2):  # a second time only after a group migrated
                    try:
                        if not self.subs.still_wanted(sub):  # and again as it leaves the limiter's queue
                            raise DigestSendWithdrawn()
                        # the limiter's last look marks the slot's date as on the wire (until send_done)
                        wanted = (lambda sub=sub: self.subs.sending(sub, plan.slot))
                        sent = await bot.send_message(
                            chat_id=chat_id, text=message.text, parse_mode=ParseMode.HTML,
                            reply_markup=keyboard(message), message_thread_id=sub.thread_id,
                            link_preview_options=LinkPreviewOptions(is_disabled=True),
                            rate_limit_args={**DIGEST, "still_wanted": wanted},
                        )
                    except ChatMigrated as exc:
                        log.info("chat %s migrated to %s; its subscription follows", chat_id, exc.new_chat_id)
                        if not self.subs.migrate(chat_id, exc.new_chat_id):
                            self.subs.unsubscribe(chat_id)  # the supergroup subscribed on its own already
                            return
                        chat_id = exc.new_chat_id
                        sub = self.subs.get(chat_id) or sub
                        continue
                    except BadRequest as exc:
                        lowered = exc.message.lower()
                        if ("thread not found" in lowered or "topic_deleted" in lowered) and sub.thread_id:
                            log.info("digest topic in %s is gone; sending to the chat", chat_id)
                            sub.thread_id = None
                            continue
                        self._refused(sub, exc, report)
                        return
                    except DigestSendWithdrawn:
                        report.withdrawn += 1
                        return
                    except DigestSendCancelled:
                        report.cancelled += 1
                        return
                    except TelegramError as exc:  # Forbidden, RetryAfter, NetworkError (timeouts, 5xx), others
                        if not _unreadable(exc):
                            self._refused(sub, exc, report)
                            return
                        self._record_unreadable(sub, plan, to_seq, message, exc, report)
                        return
                    except Exception as exc:  # noqa: BLE001 - the answer could not be read
                        self._record_unreadable(sub, plan, to_seq, message, exc, report)
                        return
                    self.subs.record_delivery(sub, plan.slot, to_seq, articles=message.total,
                                              message_id=sent.message_id)
                    report.sent += 1
                    report.chats.append(chat_id)
                    return
            finally:  # recorded, refused or withdrawn: no longer on the wire (at either id after a migration)
                self.subs.send_done(first_id)
                self.subs.send_done(chat_id)

    def _record_unreadable(self, sub: Subscription, plan: Plan, to_seq: int, message: DigestMessage,
                           exc: Exception, report: DispatchReport) -> None:
        # the request went out and the server answered, so it may well have been delivered:
        # recorded, never sent again (at most once for this chat, rather than once a minute)
        log.warning("digest to %s: the Bot API's answer could not be read (%r); recorded as "
                    "delivered, not sent again", sub.chat_id, exc)
        self.subs.record_delivery(sub, plan.slot, to_seq, articles=message.total, message_id=None)
        report.unreadable += 1

    def _refused(self, sub: Subscription, exc: TelegramError, report: DispatchReport) -> None:
        """Permanent (blocked, no rights, topic closed, chat gone): deactivated with the reason.
        Anything else backs off 1, 2, 4, ... minutes within the grace window."""
        wait = exc.retry_after if isinstance(exc, RetryAfter) else 0
        reason = self.subs.refused(sub, exc.message, forbidden=isinstance(exc, Forbidden),
                                   retry_after=wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
        if reason:
            report.deactivated += 1
            log.info("digest to %s refused for good, subscription paused: %s", sub.chat_id, reason)
        else:
            report.failed += 1
            log.warning("digest to %s failed: %s (tried again after a backoff, within grace)", sub.chat_id, exc)


def _unreadable(exc: TelegramError) -> bool:
    """PTB's error for an answer that is not JSON (it arrived with a success status)."""
    return type(exc) is TelegramError and "invalid server response" in exc.message.lower()


# -- the inbox ------------------------------------------------------------------------


class InboxWatcher:
    """Ingest new or changed, size-stable files from a folder, in a child process per pass."""

    def __init__(self, store, inbox_dir: Path, db_path: Path, *, timeout: float = 1800.0,
                 python: str = sys.executable):
        self.store = store
        self.inbox_dir = Path(inbox_dir)
        self.db_path = Path(db_path)
        self.timeout = timeout
        self.python = python
        self._pending: dict[str, tuple[int, int]] = {}  # path -> (size, mtime_ns) seen last pass
        self._lock = asyncio.Lock()
        self.keep_going: Callable[[], bool] = lambda: True
        self.max_files = 200  # per pass, so that a pass (and a stop) never waits on a huge backlog
        self.after_ingest: list[Callable[[], None]] = []  # called when a pass stored files (follow alerts look now)

    def scan(self) -> list[Path]:
        """Files ready to ingest: new or changed since recorded, and unchanged since the last pass."""
        from briefs.ingest import iter_article_files

        if not self.inbox_dir.is_dir():
            return []
        recorded = {row[0]: (row[1], row[2]) for row in self.store.db.execute(
            "select path, size, mtime_ns from inbox_files").fetchall()}
        now_seen: dict[str, tuple[int, int]] = {}
        ready = []
        for path in iter_article_files([self.inbox_dir]):
            try:
                stat = path.stat()
            except OSError:
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            key = str(path)
            if recorded.get(key) == signature:
                continue
            if self._pending.get(key) == signature and len(ready) < self.max_files:
                ready.append(path)
            else:
                now_seen[key] = signature
        self._pending = now_seen
        return ready

    async def job(self, context: ContextTypes.DEFAULT_TYPE | None = None) -> None:
        if self._lock.locked():
            return
        async with self._lock:
            ready = self.scan()
            if ready and any(error is None for error in (await self.ingest(ready)).values()):
                for hook in self.after_ingest:
                    hook()

    async def ingest(self, paths: list[Path]) -> dict[str, str | None]:
        """Run `bot.cli ingest` on these files in a child process; record each file's outcome."""
        signatures = {}
        for path in paths:
            stat = path.stat()
            signatures[str(path)] = (stat.st_size, stat.st_mtime_ns)
        root = str(Path(__file__).resolve().parents[1])  # the child runs this same code
        env = {**os.environ, "NEWSBRIEF_DB_PATH": str(self.db_path),
               "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        process = await asyncio.create_subprocess_exec(
            self.python, "-m", "bot", "ingest", *map(str, paths),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
        )
        talk = asyncio.ensure_future(process.communicate())
        waited = 0.0
        try:
            while not talk.done():
                if waited >= self.timeout or not self.keep_going():
                    raise asyncio.TimeoutError
                await asyncio.wait({talk}, timeout=0.5)
                waited += 0.5
        except (asyncio.TimeoutError, asyncio.CancelledError):
            # stopping, or stuck: what the child stored stays (one transaction per article),
            # its files are not recorded, so the next pass reads them again (idempotently)
            process.kill()
            await asyncio.gather(talk, return_exceptions=True)
            log.warning("inbox ingest of %d file(s) stopped (timeout or shutdown); tried again later", len(paths))
            return {}
        out, err = talk.result()
        summary = out.decode("utf-8", "replace").strip().splitlines()
        if process.returncode not in (0, 1) or not summary:
            # the child crashed (no summary line): record nothing, so the next pass reads these files again
            log.warning("inbox ingest exited with %s: %s", process.returncode, err.decode(errors="replace")[-500:])
            return {}
        outcome = self._record(paths, signatures, err.decode("utf-8", "replace").splitlines())
        log.info("inbox: %s", summary[-1])
        return outcome

    def _record(self, paths: list[Path], signatures: dict, errors: list[str]) -> dict[str, str | None]:
        """Each file's outcome into `inbox_files`. A file the store was too busy to take is not
        recorded, so a later pass reads it again; nor is anything when the store is locked now."""
        outcome: dict[str, str | None] = {}
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = []
        for path in paths:
            key = str(path)
            if any(line.startswith(f"busy: {key}:") for line in errors):
                log.info("inbox: %s waits for a later pass (the store was busy)", key)
                continue
            mine = [line for line in errors if line.startswith(f"error: {key}:")]
            outcome[key] = "\n".join(mine) if mine else None
            if mine:
                log.warning("inbox: %s not ingested: %s", key, "; ".join(mine)[:500])
            size, mtime = signatures[key]
            rows.append({"path": key, "size": size, "mtime_ns": mtime, "status": "failed" if mine else "ingested",
                         "detail": "\n".join(mine)[:2000] or None, "seen_at": stamp})
        try:
            with self.store._write():
                self.store.db["inbox_files"].insert_all(rows, replace=True)
        except sqlite3.OperationalError as exc:
            if not store_busy(exc):
                raise
            log.warning("inbox: the store was busy; these %d file(s) are read again later", len(rows))
            return {}
        return outcome


# -- wiring -------------------------------------------------------------------------------


def seconds_to_next_minute(now: datetime) -> float:
    return 60.0 - (now.second + now.microsecond / 1e6)


def install(application: Application, settings, store, subs: Subscriptions) -> DigestDispatcher:
    """Schedule the dispatcher (every minute on the minute, and once at start) and the inbox job."""
    dispatcher = DigestDispatcher(subs, send_empty=settings.digest_send_empty)

    def keep_going() -> bool:
        updater = application.updater
        return application.running and (updater is None or updater.running)

    dispatcher.keep_going = keep_going
    limiter = application.bot.rate_limiter
    if isinstance(limiter, DigestRateLimiter):
        limiter.gate = keep_going
    queue = application.job_queue
    # overlapping runs return at once on the jobs' own locks, so APScheduler need not refuse (and warn)
    job_kwargs = {"max_instances": 3, "coalesce": True, "misfire_grace_time": None}
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line per run
    queue.run_once(dispatcher.job, when=0.5, name=CATCH_UP_JOB, job_kwargs=job_kwargs)
    queue.run_repeating(dispatcher.job, interval=60, first=seconds_to_next_minute(subs.clock()) + 0.2,
                        name=DISPATCH_JOB, job_kwargs=job_kwargs)
    if settings.inbox_dir:
        watcher = InboxWatcher(store, settings.inbox_dir, settings.db_path)
        watcher.keep_going = keep_going
        queue.run_repeating(watcher.job, interval=settings.inbox_poll_seconds, first=0.5, name=INBOX_JOB,
                            job_kwargs=job_kwargs)
        application.bot_data["inbox"] = watcher
    application.bot_data["digest_dispatcher"] = dispatcher
    return dispatcher


def setup_digests(application: Application, settings=None, store=None, *,
                  clock: Callable[[], datetime] | None = None, admin_check=None) -> Subscriptions:
    """Everything the digest feature adds to a built application: its services in bot_data, the
    subscribers' time zones for replies, the handlers, and (at start) the dispatcher and inbox jobs.

    Called from `bot.handlers.register_handlers` (above the fallbacks); settings and store default
    to the application's own (`bot.services`)."""
    from briefs import schedule
    from briefs.digest_answers import DigestAnswers

    from .services import CHAT_TIMEZONE, POST_INIT_HOOKS, SETTINGS, STORE

    settings = settings or application.bot_data[SETTINGS]
    store = store or application.bot_data[STORE]

    subs = Subscriptions(
        store, default_time=settings.default_digest_time, default_zone=settings.default_timezone,
        grace=timedelta(hours=settings.digest_grace_hours),
        clock=clock or make_clock(settings.test_clock_offset_seconds),
    )
    digest_handlers.add_handlers(application, DigestAnswers(subs), admin_check=admin_check)

    def chat_zone(chat_id: int):
        sub = subs.get(chat_id)
        return schedule.zone_info(sub.tz) if sub else None

    application.bot_data[CHAT_TIMEZONE] = chat_zone

    async def start_digest_jobs(app: Application) -> None:
        install(app, settings, store, subs)
        log.info("digests: %d active subscription(s); dispatcher every minute", subs.count())

    application.bot_data.setdefault(POST_INIT_HOOKS, []).append(start_digest_jobs)
    return subs
