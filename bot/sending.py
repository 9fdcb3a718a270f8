"""Sending replies (briefs.replies.Reply) back where an update came from: shared by bot.handlers and bot.follows."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from briefs.replies import Reply


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                                 for row in reply.buttons])


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[Reply], *, quote=None) -> None:
    """Each reply to the chat, and forum topic, the update came from."""
    message = update.effective_message
    for reply in replies:
        if isinstance(message, Message):
            await message.reply_text(reply.text, reply_markup=markup(reply), do_quote=quote)
        else:  # a button under a message too old to reply to
            await context.bot.send_message(update.effective_chat.id, reply.text, reply_markup=markup(reply))
