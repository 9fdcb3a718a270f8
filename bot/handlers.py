"""Telegram handlers: read the arguments, ask `briefs.replies`, send. Nothing else happens here.

`register_handlers(app)` is the one place handlers are added. New command
handlers go above the fallbacks (the first matching handler of a group wins).
"""
from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import (
    Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler,
    TypeHandler, filters,
)

from briefs.flood import Verdict
from briefs.replies import Reply, ReplyContext, parse_command

from . import services
from .sending import send
from .follows import setup_follows
from .jobs import setup_digests

log = logging.getLogger("newsbrief.bot")

# The commands answered by briefs.replies (the /article_<id> taps go through `on_other_command`).
REPLY_COMMANDS = ["start", "help", "latest", "who", "claims", "search", "article", "stats"]
# Callback data answered by briefs.replies ("more:...", "who:..."); other features use other prefixes.
REPLY_BUTTONS = r"^(more|who):"


def reply_context(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ReplyContext:
    user, chat = update.effective_user, update.effective_chat
    return ReplyContext(
        tz=services.chat_timezone(context, chat.id if chat else None),
        is_admin=bool(user and user.id in services.settings(context).admin_ids),
    )


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, /help, /latest, /who, /claims, /search, /article, /stats."""
    command, args, _ = parse_command(update.effective_message.text)
    await send(update, context, services.replies(context).answer(command, args, reply_context(update, context)))


async def on_other_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/article_<id> taps, and a hint for unknown commands (in groups only when addressed to this bot)."""
    command, args, mention = parse_command(update.effective_message.text)
    if mention and mention.casefold() != (context.bot.username or "").casefold():
        return  # another bot's command
    private = update.effective_chat.type == "private"
    if not (private or mention or (command or "").startswith("article")):
        return
    await send(update, context, services.replies(context).answer(command, args, reply_context(update, context)))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text in a private chat: a short hint."""
    await send(update, context, services.replies(context).answer(None, update.effective_message.text))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A "More" or a person button: the data carries everything."""
    query = update.callback_query
    await query.answer()
    answer = services.replies(context).press(query.data or "", reply_context(update, context))
    await send(update, context, answer, quote=False)


def _answers(update: Update) -> bool:
    """Would this update get an answer (and so count towards the flood limit)?"""
    if update.callback_query is not None:
        return True
    message = update.message or update.edited_message
    if message is None or not message.text:
        return False
    return message.text.startswith("/") or message.chat.type == "private"


async def flood_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: over the limit, one notice, then nothing until the window passes."""
    if not isinstance(update, Update) or update.effective_user is None or not _answers(update):
        return
    gate = services.flood(context)
    verdict = gate.check(update.effective_user.id)
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.NOTICE:
        wait = max(1, round(gate.retry_after(update.effective_user.id)))
        log.info("flood limit reached by a user; silent for up to %s s", wait)
        await send(update, context, [Reply(f"Too many requests: I’ll answer you again in about {wait} s.")])
    if update.callback_query is not None:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log (the log formatter blanks the token), apologise to the user, keep serving."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(
                update.effective_chat.id, "Sorry, something went wrong on my side. Please try again, or see /help.",
                message_thread_id=update.effective_message.message_thread_id
                if isinstance(update.effective_message, Message) and update.effective_message.is_topic_message
                else None,
            )
        except Exception as exc:  # the apology is best effort
            log.warning("could not apologise to the user: %s", exc)


def register_handlers(app: Application) -> None:
    app.add_handler(TypeHandler(Update, flood_guard), group=-1)
    app.add_handler(CommandHandler(REPLY_COMMANDS, on_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=REPLY_BUTTONS))
    # New CommandHandlers / CallbackQueryHandlers go here, above the fallbacks.
    setup_digests(app)  # /subscribe, /unsubscribe, /settings, /digest, "dg:" buttons; digest and inbox jobs
    setup_follows(app)  # /follow, /following, /unfollow, "fw:"/"uf:"/"fm:" buttons; the alert job
    app.add_handler(MessageHandler(filters.COMMAND, on_other_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, on_text))
    app.add_error_handler(on_error)
