"""Acting as a Telegram user through telegram-test-api's client API (not the Bot API)."""
from __future__ import annotations

import html
import itertools
import json
import re
import time
import urllib.request
from dataclasses import dataclass, field

_ids = itertools.count(1000)


def plain(text: str) -> str:
    """Telegram HTML -> what the user reads."""
    return html.unescape(re.sub(r"<[^>]*>", "", text or ""))


@dataclass
class BotMessage:
    """A message the bot sent, as the server stored it."""

    message_id: int
    chat_id: int
    text: str  # Telegram HTML, as sent
    parse_mode: str | None
    buttons: list[tuple[str, str]]  # (label, callback_data)
    thread_id: int | None
    raw: dict = field(repr=False)

    @property
    def plain(self) -> str:
        return plain(self.text)

    def button(self, label: str) -> str:
        for text, data in self.buttons:
            if text == label:
                return data
        raise KeyError(f"no button {label!r} in {self.buttons}")


class TestUser:
    """One user in one chat. `chat_type` "private" (chat id = user id), "group" or "supergroup"."""

    __test__ = False  # not a pytest class

    def __init__(self, server_url: str, token: str, *, user_id: int | None = None, chat_id: int | None = None,
                 chat_type: str = "private", first_name: str = "Tess", username: str = "tess_reader"):
        self.server_url = server_url.rstrip("/")
        self.token = token
        self.user_id = user_id or next(_ids)
        self.chat_type = chat_type
        self.chat_id = chat_id if chat_id is not None else (self.user_id if chat_type == "private" else -next(_ids))
        self.first_name = first_name
        self.username = username
        self.inbox: list[BotMessage] = []

    # sending
    def _post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(self.server_url + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def _message(self, text: str, thread_id: int | None) -> dict:
        message = {
            "botToken": self.token,
            "from": {"id": self.user_id, "is_bot": False, "first_name": self.first_name, "username": self.username},
            "chat": {"id": self.chat_id, "type": self.chat_type,
                     **({"first_name": self.first_name, "username": self.username} if self.chat_type == "private"
                        else {"title": "Test group", "is_forum": thread_id is not None})},
            "date": int(time.time()),
            "text": text,
        }
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        return message

    def command(self, text: str, *, thread_id: int | None = None) -> None:
        """A command as Telegram sends it: with a `bot_command` entity over "/cmd[@bot]"."""
        message = self._message(text, thread_id)
        length = len(text.split(None, 1)[0]) if text.strip() else len(text)
        message["entities"] = [{"offset": 0, "length": len(text[:length].encode("utf-16-le")) // 2,
                                "type": "bot_command"}]
        self._post("/sendCommand", message)

    def say(self, text: str, *, thread_id: int | None = None) -> None:
        self._post("/sendMessage", self._message(text, thread_id))

    def press(self, message: BotMessage, data: str) -> None:
        """Tap an inline button under one of the bot's messages."""
        self._post("/sendCallback", {
            "botToken": self.token,
            "from": {"id": self.user_id, "is_bot": False, "first_name": self.first_name, "username": self.username},
            "message": {"message_id": message.message_id, "date": int(time.time()), "text": message.text,
                        "chat": {"id": self.chat_id, "type": self.chat_type}},
            "data": data,
        })

    # receiving
    def fetch(self) -> list[BotMessage]:
        """The bot's messages to this chat not fetched before."""
        body = self._post("/getUpdates", {"token": self.token, "chatId": self.chat_id})
        new = []
        for item in body.get("result") or []:
            message = item.get("message") or {}
            markup = message.get("reply_markup")
            if isinstance(markup, str):
                markup = json.loads(markup)
            buttons = [(b.get("text"), b.get("callback_data")) for row in (markup or {}).get("inline_keyboard", [])
                       for b in row]
            thread = message.get("message_thread_id")
            new.append(BotMessage(int(item.get("messageId")), int(message.get("chat_id")), message.get("text", ""),
                                  message.get("parse_mode"), buttons, int(thread) if thread not in (None, "") else None,
                                  item))
        self.inbox.extend(new)
        return new

    def wait_for(self, predicate=lambda messages: bool(messages), *, timeout: float = 10.0,
                 settle: float = 0.3) -> list[BotMessage]:
        """Messages arriving from now on until `predicate(messages)` holds (and `settle` s pass with no more)."""
        got: list[BotMessage] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got += self.fetch()
            if predicate(got):
                quiet_until = time.monotonic() + settle
                while time.monotonic() < min(quiet_until, deadline):
                    more = self.fetch()
                    if more:
                        got += more
                        quiet_until = time.monotonic() + settle
                    time.sleep(0.05)
                return got
            time.sleep(0.05)
        raise TimeoutError(f"no matching answer within {timeout} s; got: {[m.plain[:200] for m in got]}")

    def ask(self, text: str, *, timeout: float = 10.0, thread_id: int | None = None) -> list[BotMessage]:
        """Send a command (or text) and return the bot's answer (one or more messages)."""
        if text.startswith("/"):
            self.command(text, thread_id=thread_id)
        else:
            self.say(text, thread_id=thread_id)
        return self.wait_for(timeout=timeout)

    def tap(self, message: BotMessage, label: str, *, timeout: float = 10.0) -> list[BotMessage]:
        self.press(message, message.button(label))
        return self.wait_for(timeout=timeout)
