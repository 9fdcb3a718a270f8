"""bot.app: how the Application is built, start-up hooks that fail, and logs that never show the token."""
from __future__ import annotations

import asyncio
import logging

import pytest
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import services
from bot.app import RedactingFormatter, _run_post_init_hooks, build_application, configure_logging
from bot.config import load_settings
from briefs.replies import Replies

TOKEN = "123456:SECRET-token-value"


@pytest.fixture
def settings(tmp_path, monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("NEWSBRIEF_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env from elsewhere
    return load_settings(telegram_token=TOKEN, telegram_api_url="http://127.0.0.1:9/bot", admin_ids="7,8",
                         flood_commands=4, flood_window_seconds=30)


def test_build_application(settings, seeded_store):
    app = build_application(settings, seeded_store)
    assert app.bot.base_url == "http://127.0.0.1:9/bot" + TOKEN
    assert app.bot.defaults.parse_mode == ParseMode.HTML
    assert app.bot_data[services.STORE] is seeded_store
    assert app.bot_data[services.SETTINGS] is settings
    assert isinstance(app.bot_data[services.REPLIES], Replies)
    assert app.bot_data[services.FLOOD].limit == 4
    handlers = [h for group in app.handlers.values() for h in group]
    commands = set().union(*(h.commands for h in handlers if isinstance(h, CommandHandler)))
    assert {"start", "help", "latest", "who", "claims", "search", "article", "stats"} <= commands
    assert any(isinstance(h, CallbackQueryHandler) for h in handlers)
    assert app.error_handlers


def test_build_application_needs_a_token(settings, seeded_store):
    with pytest.raises(ValueError, match="NEWSBRIEF_TELEGRAM_TOKEN"):
        build_application(settings.model_copy(update={"telegram_token": None}), seeded_store)


def test_post_init_hooks_run_in_order_and_failures_do_not_stop_the_start(settings, seeded_store, caplog):
    ran = []

    async def first(app):
        ran.append("first")
        raise RuntimeError("boom")

    async def second(app):
        ran.append("second")

    app = build_application(settings, seeded_store, post_init_hooks=[first])
    app.bot_data[services.POST_INIT_HOOKS].remove(app.bot_data[services.POST_INIT_HOOKS][0])  # no network here
    app.bot_data[services.POST_INIT_HOOKS].append(second)
    with caplog.at_level(logging.WARNING):
        asyncio.run(_run_post_init_hooks(app))
    assert ran == ["first", "second"]
    assert "first failed" in caplog.text


def test_redacting_formatter_blanks_the_token():
    formatter = RedactingFormatter("%(message)s", [TOKEN])
    try:
        raise ConnectionError(f"http://api/bot{TOKEN}/getUpdates failed")
    except ConnectionError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "GET %s", (f"/bot{TOKEN}/getMe",), sys.exc_info())
    text = formatter.format(record)
    assert TOKEN not in text and "<token>" in text


def test_configure_logging_quiets_httpx(settings):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(settings)
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
