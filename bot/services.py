"""Where the bot's services live in `Application.bot_data`, and typed accessors for handlers and jobs."""
from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from telegram.ext import CallbackContext

    from briefs.flood import FloodGate
    from briefs.replies import Replies
    from briefs.store import Store

    from .config import Settings

SETTINGS = "settings"  # bot.config.Settings, built once in main()
STORE = "store"  # briefs.store.Store (one SQLite connection, used from the event loop's thread)
REPLIES = "replies"  # briefs.replies.Replies over that store (keeps the name index warm)
FLOOD = "flood"  # briefs.flood.FloodGate
POST_INIT_HOOKS = "post_init_hooks"  # list of `async def hook(app)`, run in order at start
# A callable (chat_id: int) -> tzinfo | None: the chat's own time zone when it has one
# (the digest feature knows subscribers' zones); None falls back to NEWSBRIEF_DEFAULT_TIMEZONE.
CHAT_TIMEZONE = "chat_timezone"


def settings(context: CallbackContext) -> Settings:
    return context.bot_data[SETTINGS]


def store(context: CallbackContext) -> Store:
    return context.bot_data[STORE]


def replies(context: CallbackContext) -> Replies:
    return context.bot_data[REPLIES]


def flood(context: CallbackContext) -> FloodGate:
    return context.bot_data[FLOOD]


def chat_timezone(context: CallbackContext, chat_id: int | None) -> tzinfo:
    lookup = context.bot_data.get(CHAT_TIMEZONE)
    zone = lookup(chat_id) if lookup and chat_id is not None else None
    return zone or ZoneInfo(settings(context).default_timezone)
