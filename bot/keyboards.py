"""Inline keyboards for digest messages (the dispatcher's sends and the handlers' answers)."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from briefs.digest import DigestMessage


def keyboard(message: DigestMessage) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in message.buttons]
    )
