"""Following people in Telegram: /follow, /following, /unfollow, their buttons, and the alert job.

The alert job runs on PTB's JobQueue every ALERT_SECONDS: it reads the article feed into pending alerts
(briefs.follows), then sends each chat that is due one message holding all of them, through the digest
limiter (paced, RetryAfter honoured, command replies first), without sound in the chat's quiet hours.
"""
from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from briefs import follow_delivery, schedule
from briefs.delivery import permanent_reason
from briefs.follow_replies import FollowAnswers
from briefs.follows import Alert, Follows, quiet
from briefs.reply_parts import _is_number
from briefs.store import store_busy

from . import services
from .digest_handlers import _may_manage, _thread
from .jobs import _unreadable, make_clock
from .sending import markup, send
from .ratelimit import DIGEST, DigestSendCancelled

log = logging.getLogger(__name__)

ALERT_JOB = "follow-alerts"
ALERT_SECONDS = 30
FOLLOWS = "follows"  # bot_data key: FollowAnswers


@dataclass
class AlertReport:
    sent: int = 0
    dropped: int = 0
    deactivated: int = 0
    failed: int = 0
    unreadable: int = 0  # sent, but the answer could not be read: counted as delivered


def _answers(context: ContextTypes.DEFAULT_TYPE) -> FollowAnswers:
    return context.bot_data[FOLLOWS]


async def follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    allowed = await _may_manage(update, context)
    reply = _answers(context).follow(update.effective_chat.id, " ".join(context.args or []), allowed=allowed,
                                     thread_id=_thread(update))
    await send(update, context, [reply])


async def following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, context, [_answers(context).following(update.effective_chat.id)])


async def unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    allowed = await _may_manage(update, context)
    reply = _answers(context).unfollow(update.effective_chat.id, " ".join(context.args or []), allowed=allowed)
    await send(update, context, [reply])


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """fw:p<id> / fw:n<name> (follow), uf:<id> (unfollow), fl:<offset> (/following's next page),
    fm:<offset>[:<alert's message id>] (an alert's next page). A "More" button goes once used."""
    query = update.callback_query
    await query.answer()
    chat_id = update.effective_chat.id
    kind, _, rest = (query.data or "").partition(":")
    answers = _answers(context)
    if kind == "fm":
        offset, _, origin = rest.partition(":")
        origin = origin or str(getattr(query.message, "message_id", ""))
        if not (_is_number(origin, 12) and _is_number(offset, 6)):
            return
        reply = answers.more(chat_id, int(origin), int(offset), alert_zone(answers.follows, context, chat_id))
    elif kind == "fl" and _is_number(rest, 6):
        reply = answers.following(chat_id, int(rest))
    elif kind == "fw" and rest.startswith("p") and _is_number(rest[1:], 12):
        reply = answers.follow_button(chat_id, int(rest[1:]), allowed=await _may_manage(update, context),
                                      thread_id=_thread(update))
    elif kind == "fw" and rest.startswith("n"):
        reply = answers.follow_name_button(chat_id, rest[1:], allowed=await _may_manage(update, context),
                                           thread_id=_thread(update))
    elif kind == "uf" and _is_number(rest, 12):
        reply = answers.unfollow_button(chat_id, int(rest), allowed=await _may_manage(update, context))
    else:
        return
    await send(update, context, [reply], quote=False)
    if kind in ("fm", "fl"):
        await _drop_button(query)


async def _drop_button(query) -> None:
    """A "More" did its job: it leaves the message (other buttons, /following's Unfollow ones, stay)."""
    markup = getattr(query.message, "reply_markup", None)
    rows = [[b for b in row if b.callback_data != query.data] for row in (markup.inline_keyboard if markup else ())]
    rows = [row for row in rows if row]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
    except TelegramError:  # too old to edit, or already without it
        pass


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message.migrate_to_chat_id:
        _answers(context).follows.migrate(message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        _answers(context).follows.migrate(message.migrate_from_chat_id, message.chat_id)


def alert_zone(follows: Follows, context_or_app, chat_id: int):
    zone = follows.zone_name(chat_id)
    return schedule.zone_info(zone or context_or_app.bot_data[services.SETTINGS].default_timezone)


class AlertSender:
    """Pending alerts -> one message per due chat."""

    def __init__(self, answers: FollowAnswers, default_zone: str, *, concurrency: int = 32):
        self.answers = answers
        self.follows = answers.follows
        self.default_zone = default_zone
        self.concurrency = concurrency
        self._lock = asyncio.Lock()
        # sent, but the store was busy past its timeout: recorded on a later run, their chats not served meanwhile
        self._unrecorded: list[tuple[Alert, int | None]] = []

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        if self._lock.locked():
            return
        async with self._lock:
            report = await self.run(context.bot)
        if report.sent or report.deactivated or report.failed or report.unreadable:
            log.info("follow alerts: %s", vars(report))

    async def run(self, bot) -> AlertReport:
        report = AlertReport()
        unrecorded, self._unrecorded = self._unrecorded, []
        for alert, message_id in unrecorded:
            self._record(alert, message_id)
        try:
            while self.follows.collect():
                await asyncio.sleep(0)  # a long backlog: let replies in between
        except sqlite3.OperationalError as exc:
            if not store_busy(exc):
                raise
            log.warning("follow alerts: the store is busy (%s); new articles are read on a later run", exc)
        waiting = {alert.chat_id for alert, _ in self._unrecorded}
        semaphore = asyncio.Semaphore(self.concurrency)
        outcomes = await asyncio.gather(*(self._send(bot, chat_id, semaphore, report)
                                          for chat_id in self.follows.due_chats() if chat_id not in waiting),
                                        return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                report.failed += 1
                log.error("a follow alert failed unexpectedly", exc_info=outcome)
        return report

    def zone(self, chat_id: int):
        return schedule.zone_info(self.follows.zone_name(chat_id) or self.default_zone)

    async def _send(self, bot, chat_id: int, semaphore: asyncio.Semaphore, report: AlertReport) -> None:
        async with semaphore:  # composed in turn, not all at once: a fan-out to 1,000 chats must not hold the loop
            await asyncio.sleep(0)
            alert = self.follows.pending(chat_id)
            if not alert.quotes:
                self.follows.drop(alert)
                report.dropped += 1
                return
            zone = self.zone(chat_id)
            page = self.answers.alert_page(alert.quotes, 0, zone)
            thread = follow_delivery.thread_of(self.follows, chat_id)
            try:
                try:
                    sent = await self._send_page(bot, alert, thread, page, zone)
                except BadRequest as exc:
                    if not (thread and _topic_gone(exc)):
                        raise
                    log.info("follow alerts' topic in %s is gone; sending to the chat", chat_id)
                    follow_delivery.remember_thread(self.follows, chat_id, None)
                    sent = await self._send_page(bot, alert, None, page, zone)
            except ChatMigrated as exc:  # the next run sends to the supergroup
                self.follows.migrate(chat_id, exc.new_chat_id)
                return
            except DigestSendCancelled:  # stopping, or unfollowed meanwhile: still pending (or gone)
                return
            except (Forbidden, BadRequest) as exc:
                reason = permanent_reason(exc.message, forbidden=isinstance(exc, Forbidden))
                if reason:
                    self.follows.deactivate(chat_id, reason)
                    report.deactivated += 1
                    log.info("follow alerts to %s refused for good, follows paused: %s", chat_id, reason)
                else:
                    self._failed(chat_id, exc, report)
                return
            except TelegramError as exc:  # network, 5xx, RetryAfter; or an answer that could not be read
                if not _unreadable(exc):
                    self._failed(chat_id, exc, report)
                    return
                self._unreadable(alert, exc, report)
                return
            except Exception as exc:  # noqa: BLE001 - the answer could not be read
                self._unreadable(alert, exc, report)
                return
            report.sent += 1
            if self._record(alert, sent.message_id):
                follow_delivery.succeeded(self.follows, chat_id)

    def _record(self, alert: Alert, message_id: int | None) -> bool:
        """Record a sent alert; a store busy past its timeout (a backup, another writer) is not a reason to send
        it twice: kept in memory and recorded on a later run."""
        try:
            self.follows.record(alert, message_id)
            return True
        except sqlite3.OperationalError as exc:
            if not store_busy(exc):
                raise
            log.warning("follow alert to %s sent, but the store is busy: recorded on a later run", alert.chat_id)
            self._unrecorded.append((alert, message_id))
            return False

    async def _send_page(self, bot, alert: Alert, thread: int | None, page, zone):
        chat_id, people = alert.chat_id, {quote.person_id for quote in alert.quotes}
        return await bot.send_message(
            chat_id=chat_id, text=page.text, reply_markup=markup(page), message_thread_id=thread,
            disable_notification=quiet(self.follows.clock(), zone),
            rate_limit_args={**DIGEST, "still_wanted": lambda: self.follows.still_following(chat_id, people)},
        )

    def _failed(self, chat_id: int, exc: TelegramError, report: AlertReport) -> None:
        """Not sent, for now: the chat backs off 1, 2, 4, ... minutes, as a digest does."""
        wait = exc.retry_after if isinstance(exc, RetryAfter) else 0
        wait = follow_delivery.failed(self.follows, chat_id,
                                      wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
        report.failed += 1
        log.warning("follow alert to %s failed: %s (tried again in %s)", chat_id, exc, wait)

    def _unreadable(self, alert, exc: Exception, report: AlertReport) -> None:
        # the request went out and an answer came back, so it may well have been delivered: recorded as
        # sent (its "More" pages cannot be found without a message id), never sent a second time
        log.warning("follow alert to %s: the Bot API's answer could not be read (%r); recorded as delivered, "
                    "not sent again", alert.chat_id, exc)
        self._record(alert, None)
        report.unreadable += 1


def _topic_gone(exc: BadRequest) -> bool:
    lowered = exc.message.lower()
    return "thread not found" in lowered or "topic_deleted" in lowered


def setup_follows(application: Application) -> None:
    """Handlers (called from bot.handlers.register_handlers, above the fallbacks) and, at start, the job."""
    store = application.bot_data[services.STORE]
    settings = application.bot_data[services.SETTINGS]
    replies = application.bot_data[services.REPLIES]
    follows = Follows(store, clock=make_clock(settings.test_clock_offset_seconds))
    answers = FollowAnswers(follows, replies.names, who=replies)
    application.bot_data[FOLLOWS] = answers
    application.add_handler(CommandHandler("follow", follow))
    application.add_handler(CommandHandler("following", following))
    application.add_handler(CommandHandler("unfollow", unfollow))
    application.add_handler(CallbackQueryHandler(button, pattern=r"^(fw|uf|fm|fl):"))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated), group=2)

    async def start_alert_job(app: Application) -> None:
        sender = AlertSender(answers, settings.default_timezone)
        app.bot_data["follow_alerts"] = sender
        app.job_queue.run_repeating(sender.job, interval=settings.follow_alert_seconds, first=1.0, name=ALERT_JOB,
                                    job_kwargs={"max_instances": 3, "coalesce": True, "misfire_grace_time": None})
        inbox = app.bot_data.get("inbox")
        if inbox is not None:  # the inbox's own ingest: alerts look at once, not at the next pass
            inbox.after_ingest.append(lambda: app.job_queue.run_once(sender.job, 0, name=f"{ALERT_JOB}-now"))

    application.bot_data.setdefault(services.POST_INIT_HOOKS, []).append(start_alert_job)
