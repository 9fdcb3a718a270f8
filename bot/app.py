"""The Telegram application: built once from Settings and a Store, served with long polling.

Extending it (the digest feature, say):
- handlers: add them in `bot.handlers.register_handlers` (one function, above the fallbacks);
- start-up work: pass `post_init_hooks=[...]` to `build_application`, or append to
  `app.bot_data[POST_INIT_HOOKS]` before the application starts. Each hook is
  `async def hook(app) -> None`; a failing hook is logged and the others still run;
- services: everything a handler or job needs lives in `app.bot_data` under the
  keys of `bot.services` (Settings, Store, Replies, FloodGate, the chat
  time-zone lookup), read with its accessors (`services.store(context)`).
"""
from __future__ import annotations

import logging
import sqlite3

import httpx
from collections.abc import Awaitable, Callable, Sequence
from datetime import tzinfo

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import HTTPXRequest

from briefs.flood import FloodGate
from briefs.replies import COMMANDS, Replies
from briefs.store import Store, StoreBusy

from .concurrency import PerChatUpdateProcessor
from .config import Settings
from .handlers import register_handlers
from .ratelimit import DigestRateLimiter
from .services import CHAT_TIMEZONE, FLOOD, POST_INIT_HOOKS, REPLIES, SETTINGS, STORE

log = logging.getLogger("newsbrief.bot")

KEPT_CONNECTIONS = 32
CONCURRENT_UPDATES = 64  # updates handled at once (each chat takes at most one of them)

PostInitHook = Callable[[Application], Awaitable[None]]


async def set_command_menu(app: Application) -> None:
    """The command menu (setMyCommands) from `briefs.replies.COMMANDS`, admin-only ones left out."""
    commands = [BotCommand(info.name, info.summary[:256]) for info in COMMANDS if not info.admin]
    await app.bot.set_my_commands(commands)


async def warm_name_index(app: Application) -> None:
    """Build /who's name index before the first user waits for it (a fraction of a second on 1M quotes)."""
    app.bot_data[REPLIES].names.refresh()


async def _run_post_init_hooks(app: Application) -> None:
    for hook in app.bot_data.get(POST_INIT_HOOKS, []):
        name = getattr(hook, "__name__", repr(hook))
        try:
            await hook(app)
        except TelegramError as exc:  # the Bot API refused (a test server answers 500 to setMyCommands)
            log.warning("start-up step %s failed: %s; serving anyway", name, exc)
        except Exception:
            log.exception("start-up step %s failed; serving anyway", name)


def _no_chat_timezone(chat_id: int) -> tzinfo | None:
    return None


def _bot_api_request() -> HTTPXRequest:
    """Connections for the Bot API calls (getUpdates has its own). Up to CONCURRENT_UPDATES replies and
    the digest sends run at once, but only a few connections are kept once idle: httpcore looks at
    every pooled connection (a poll() each) on each request, which made a burst cost twice the CPU."""
    return HTTPXRequest(
        connection_pool_size=2 * CONCURRENT_UPDATES, pool_timeout=30.0,
        httpx_kwargs={"limits": httpx.Limits(max_connections=2 * CONCURRENT_UPDATES,
                                              max_keepalive_connections=KEPT_CONNECTIONS)},
    )


def build_application(
    settings: Settings,
    store: Store,
    *,
    post_init_hooks: Sequence[PostInitHook] = (),
) -> Application:
    if settings.telegram_token is None:
        raise ValueError("NEWSBRIEF_TELEGRAM_TOKEN is not set")
    base_url = settings.telegram_api_url
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(base_url)
        .base_file_url(base_url[: -len("bot")] + "file/bot" if base_url.endswith("/bot") else base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True),
                           allow_sending_without_reply=True))
        .post_init(_run_post_init_hooks)
        .rate_limiter(DigestRateLimiter())  # paces only the digest fan-out; replies go straight out
        # chats side by side, each chat's updates in order (a round trip to Telegram is 50-200 ms)
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
        .request(_bot_api_request())
    )
    app = builder.build()
    app.bot_data.update({
        SETTINGS: settings,
        STORE: store,
        REPLIES: Replies(store),
        FLOOD: FloodGate(settings.flood_commands, settings.flood_window_seconds),
        CHAT_TIMEZONE: _no_chat_timezone,
        POST_INIT_HOOKS: [set_command_menu, warm_name_index, *post_init_hooks],
    })
    register_handlers(app)
    return app


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks out secrets (the token appears in Bot API URLs)."""

    def __init__(self, fmt: str, secrets: Sequence[str]):
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "<token>")
        return text


class NetworkRetryOneLine(logging.Filter):
    """PTB's network retry loop logs each failed try with a traceback; a network failure needs one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.module == "networkloop" and record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()} ({record.exc_info[1]})"
            record.args = None
            record.exc_info = record.exc_text = None
        return True


def configure_logging(settings: Settings, level: int = logging.INFO) -> None:
    secrets = [settings.telegram_token.get_secret_value()] if settings.telegram_token else []
    handler = logging.StreamHandler()
    handler.addFilter(NetworkRetryOneLine())
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and a Bot API URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


class StartError(Exception):
    """The bot could not start serving; the message is for people and holds no secret."""


def run_polling(settings: Settings) -> None:
    """`newsbrief run` with a token: serve until SIGINT/SIGTERM. Raises StartError when it cannot start."""
    configure_logging(settings)
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    try:
        store = Store(settings.db_path)
    except StoreBusy as exc:
        raise StartError(str(exc)) from None
    except (sqlite3.Error, OSError) as exc:
        raise StartError(f"cannot open the store NEWSBRIEF_DB_PATH={settings.db_path}: {exc}") from None
    try:
        app = build_application(settings, store)
        log.info("serving Telegram by long polling (API %s, store %s)",
                 settings.telegram_api_url, settings.db_path)
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=3)
    except NetworkError as exc:  # nothing answered (refused, unresolvable, timed out), or not HTTP
        raise StartError(f"cannot reach the Bot API at {settings.telegram_api_url}: {_blank(exc, token)}") from None
    except InvalidToken:
        raise StartError("the Bot API refused the token: check NEWSBRIEF_TELEGRAM_TOKEN "
                         f"(and NEWSBRIEF_TELEGRAM_API_URL, now {settings.telegram_api_url})") from None
    except TelegramError as exc:
        raise StartError(f"cannot serve the Bot API at {settings.telegram_api_url}: {_blank(exc, token)}") from None
    finally:
        store.close()


def _blank(exc: Exception, token: str) -> str:
    """The error's text, the token blanked out (PTB's and httpx's messages can quote the URL)."""
    text = str(exc)
    return text.replace(token, "<token>") if token else text
