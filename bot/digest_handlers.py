"""Thin handlers for /subscribe, /unsubscribe, /settings, /digest, the digest's "More" button and
group migration. The answers come from briefs.digest_answers; here: read, check admins, reply."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Chat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from briefs.digest import CALLBACK_PREFIX, DigestMessage, more
from briefs.digest_answers import DigestAnswers

from .keyboards import keyboard

log = logging.getLogger(__name__)

# (bot, chat, user id) -> may this user (un)subscribe this group? Replaceable in bot_data["admin_check"].
AdminCheck = Callable[[object, Chat, int], Awaitable[bool]]


async def telegram_admin_check(bot, chat: Chat, user_id: int) -> bool:
    """Ask Telegram for the group's admins. When it cannot say, fall back to getChatMember; when
    that fails too, refuse (the answer says why) rather than let anyone change a group's digest."""
    try:
        admins = await bot.get_chat_administrators(chat.id)
        return any(member.user.id == user_id for member in admins)
    except Exception as exc:  # a Bot API server that lacks the method may answer anything
        log.info("getChatAdministrators failed for %s (%r); trying getChatMember", chat.id, exc)
    try:
        member = await bot.get_chat_member(chat.id, user_id)
        return member.status in ("creator", "administrator")
    except Exception as exc:
        log.warning("cannot check the admins of %s (%r): refusing the change", chat.id, exc)
        return False


def _answers(context: ContextTypes.DEFAULT_TYPE) -> DigestAnswers:
    return context.bot_data["digest_answers"]


async def _may_manage(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat = update.effective_chat
    if chat.type == Chat.PRIVATE:
        return True
    message = update.effective_message
    if message and message.sender_chat and message.sender_chat.id == chat.id:
        return True  # an anonymous admin writes as the group itself
    user = update.effective_user
    if user is None:
        return False
    check: AdminCheck = context.bot_data.get("admin_check", telegram_admin_check)
    return await check(context.bot, chat, user.id)


def _thread(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message and message.is_topic_message else None


async def _reply(update: Update, answer: DigestMessage) -> None:
    await update.effective_message.reply_text(
        answer.text, parse_mode=ParseMode.HTML, reply_markup=keyboard(answer), do_quote=False,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    allowed = await _may_manage(update, context)
    answer = _answers(context).subscribe(
        chat.id, " ".join(context.args or []), thread_id=_thread(update), chat_type=chat.type, allowed=allowed)
    await _reply(update, answer)


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    allowed = await _may_manage(update, context)
    await _reply(update, _answers(context).unsubscribe(update.effective_chat.id, allowed=allowed))


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, _answers(context).settings(update.effective_chat.id))


async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, _answers(context).preview(update.effective_chat.id))


async def more_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    page = more(_answers(context).store, query.data or "", chat_id=update.effective_chat.id)
    if page is None:
        return
    # the digest may be too old to reply to (InaccessibleMessage): then a plain message to the chat
    await context.bot.send_message(
        update.effective_chat.id, page.text, parse_mode=ParseMode.HTML, reply_markup=keyboard(page),
        message_thread_id=query.message.message_thread_id if getattr(query.message, "is_topic_message", False) else None,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    try:
        await query.edit_message_reply_markup(None)  # the button did its job
    except TelegramError:
        pass


async def stop_notice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After a command in a group whose digest Telegram refused for good: tell an admin why, once.
    The group itself may be closed to the bot (that is often why): then privately, when it can."""
    answers = _answers(context)
    chat = update.effective_chat
    notice = answers.pending_notice(chat.id)
    if notice is None or not await _may_manage(update, context):
        return
    for target, thread in ((chat.id, _thread(update)), (getattr(update.effective_user, "id", None), None)):
        if target is None:
            continue
        try:
            await context.bot.send_message(target, notice.text, parse_mode=ParseMode.HTML, message_thread_id=thread)
        except TelegramError as exc:
            log.info("could not tell %s why the digest stopped: %s", target, exc)
            continue
        answers.notice_shown(chat.id)
        return


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message  # Telegram tells both the old group and the new supergroup
    if message.migrate_to_chat_id:
        _answers(context).subs.migrate(message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        _answers(context).subs.migrate(message.migrate_from_chat_id, message.chat_id)


def add_handlers(application: Application, answers: DigestAnswers, *, admin_check: AdminCheck | None = None) -> None:
    application.bot_data["digest_answers"] = answers
    if admin_check is not None:
        application.bot_data["admin_check"] = admin_check
    application.add_handler(CommandHandler("subscribe", subscribe))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe))
    application.add_handler(CommandHandler("settings", settings))
    application.add_handler(CommandHandler("digest", digest))
    application.add_handler(CallbackQueryHandler(more_button, pattern=rf"^{CALLBACK_PREFIX}:"))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
    # after the command's own answer (group 0); not after the commands that show or change the digest
    application.add_handler(MessageHandler(
        filters.COMMAND & filters.ChatType.GROUPS & ~filters.Regex(r"^/(subscribe|unsubscribe|settings)\b"),
        stop_notice), group=1)
