"""An in-process stand-in for the Bot API behind PTB's real ExtBot: PTB's own error mapping
(403 -> Forbidden, 429 -> RetryAfter, migrate_to_chat_id -> ChatMigrated) is exercised."""
from __future__ import annotations

import asyncio
import json
from collections import defaultdict

from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData


class FakeBotAPI(BaseRequest):
    def __init__(self):
        self.sent: dict[int, list[dict]] = defaultdict(list)  # chat id -> sendMessage payloads
        self.blocked: set[int] = set()
        self.migrated: dict[int, int] = {}
        self.retry_after_once: set[int] = set()  # chats whose first send gets a 429
        self.network_fail_once: set[int] = set()
        self.fail_times: dict[int, int] = {}  # chat -> how many more sends answer 502 Bad Gateway
        self.refuse: dict[int, tuple[int, str]] = {}  # chat -> (status, description) for every send
        self.calls: list[tuple[str, int | None]] = []
        self.on_send = None  # optional hook(chat_id) called as a send arrives
        self.answers: dict[int, tuple[int, bytes]] = {}  # chat id -> a fixed raw answer (garbage, say)
        self.delay = 0.0  # seconds each call takes, as a round trip
        self._message_id = 0

    @property
    def read_timeout(self):
        return 5.0

    async def initialize(self):
        pass

    async def shutdown(self):
        pass

    async def do_request(self, url, method, request_data: RequestData | None = None, **kw):
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        chat_id = params.get("chat_id")
        chat_id = int(chat_id) if chat_id is not None else None
        self.calls.append((endpoint, chat_id))
        await asyncio.sleep(self.delay)
        if endpoint == "getMe":
            return 200, self._ok({"id": 1, "is_bot": True, "first_name": "Brief", "username": "brief_bot"})
        if endpoint != "sendMessage":
            return 200, self._ok(True)
        if self.on_send:
            self.on_send(chat_id)
        if chat_id in self.answers:
            return self.answers[chat_id]
        if chat_id in self.blocked:
            return 403, json.dumps({"ok": False, "error_code": 403,
                                    "description": "Forbidden: bot was blocked by the user"}).encode()
        if chat_id in self.migrated:
            return 400, json.dumps({"ok": False, "error_code": 400, "description": "Bad Request: group chat was upgraded",
                                    "parameters": {"migrate_to_chat_id": self.migrated[chat_id]}}).encode()
        if chat_id in self.retry_after_once:
            self.retry_after_once.discard(chat_id)
            return 429, json.dumps({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                    "parameters": {"retry_after": 1}}).encode()
        if chat_id in self.refuse:
            status, description = self.refuse[chat_id]
            return status, json.dumps({"ok": False, "error_code": status, "description": description}).encode()
        if self.fail_times.get(chat_id, 0) > 0:
            self.fail_times[chat_id] -= 1
            return 502, b"Bad Gateway"
        if chat_id in self.network_fail_once:
            self.network_fail_once.discard(chat_id)
            return 502, b"Bad Gateway"
        self._message_id += 1
        self.sent[chat_id].append(params)
        return 200, self._ok({"message_id": self._message_id, "date": 0,
                              "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                              "text": params.get("text", "")})

    @staticmethod
    def _ok(result) -> bytes:
        return json.dumps({"ok": True, "result": result}).encode()


def make_bot(api: FakeBotAPI, rate_limiter=None) -> ExtBot:
    return ExtBot("123:TEST", request=api, get_updates_request=api, rate_limiter=rate_limiter)
