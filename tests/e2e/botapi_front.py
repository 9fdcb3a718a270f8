"""A compatibility front for telegram-test-api, so that python-telegram-bot can talk to it.

telegram-test-api 4.2.1 lacks `is_bot` in getMe, gives message dates in
milliseconds, does not long-poll, ignores `offset` (an update is gone once
fetched), leaves `chat_instance` out of callback queries, and answers 500 for
setMyCommands and the other methods it does not know. This front, on
127.0.0.1, forwards the Bot API (`/bot<token>/<method>`) to it and fixes that:

- getMe: adds `is_bot`, `can_join_groups`, ...;
- getUpdates: keeps fetched updates until the bot confirms them with `offset`,
  and waits (up to `poll_cap` seconds of the bot's `timeout`) for new ones;
- dates in milliseconds become seconds; callback queries get a `chat_instance`;
- methods the server lacks answer ok (unless named in `fail_methods`; `answers` fixes any method's answer);
- optionally, like Telegram, 429 with `retry_after` when more than
  `max_messages_per_second` messages arrive within a second;
- `blocked_chats`: sending there answers 403 (the user blocked the bot);
- `refusals`: (chat id, topic id or None) -> (status, description): sending there answers that
  (a closed forum topic, a chat read-only for the bot);
- `chat_admins`: getChatAdministrators answers from it (400 "chat not found" otherwise);
- `answer_delay` (seconds): every Bot API call takes this long, as a real round trip does (half before
  the call reaches the server, half on the way back; a getUpdates long poll waits on top of it);
- `chat_answers`: chat id -> (HTTP status, body) answered to any message sent into that chat; a body
  of bytes goes out as it is (garbage, a truncated answer);
- sendMessage calls in flight are counted: `peak_in_flight` overall, `peak_in_flight_per_chat`.

What python-telegram-bot 22 sends (checked against this front): at start getMe,
the post_init calls (setMyCommands), deleteWebhook, then getUpdates in a loop
as form data `timeout=10`, `offset=<last update_id + 1>`, `allowed_updates=[...]`;
replies as sendMessage with `reply_markup` and `link_preview_options` as JSON
strings (which the server echoes back as strings: the front turns them back
into objects, as Telegram returns them, or PTB fails to read its own message).

Every Bot API call is recorded in `calls` (token, method, params) for assertions.
The user side (`/sendCommand`, `/sendCallback`, `/getUpdates`, ...) is not
forwarded: tests talk to the server for that (see `client.py`).
"""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SUPPORTED_UPSTREAM = {
    "getMe", "getUpdates", "sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage",
    "answerCallbackQuery", "setWebhook", "deleteWebhook",
}
SENDING = {"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage", "forwardMessage"}


def seconds(value):
    """A date in milliseconds (what the server gives) -> seconds."""
    if isinstance(value, (int, float)) and value > 10_000_000_000:
        return int(value // 1000)
    return value


def fix_dates(obj):
    if isinstance(obj, dict):
        return {k: (seconds(v) if k in ("date", "edit_date") else fix_dates(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [fix_dates(v) for v in obj]
    return obj


_JSON_FIELDS = ("reply_markup", "link_preview_options", "entities", "reply_parameters", "caption_entities")


def fix_sent(result):
    """A sent message as the server echoes it (the request's own fields) -> a Message as Telegram gives it."""
    if not isinstance(result, dict):
        return result
    result = dict(result)
    for key in _JSON_FIELDS:
        value = result.get(key)
        if isinstance(value, str):
            try:
                result[key] = json.loads(value)
            except ValueError:
                result.pop(key)
    for key in ("chat_id", "parse_mode", "reply_parameters", "message_thread_id"):
        if key == "message_thread_id" and result.get(key) not in (None, ""):
            result[key] = int(result[key])
            result["is_topic_message"] = True
            continue
        result.pop(key, None)
    if result.get("reply_markup") is None:
        result.pop("reply_markup", None)
    return result


def fix_update(update: dict) -> dict:
    update = fix_dates(update)
    query = update.get("callback_query")
    if isinstance(query, dict):
        query.setdefault("chat_instance", str((query.get("message") or {}).get("chat", {}).get("id", "0")))
        message = query.get("message")
        if isinstance(message, dict):
            message.setdefault("message_id", 0)
            message.setdefault("date", int(time.time()))
    message = update.get("message")
    if isinstance(message, dict):
        message.pop("botToken", None)
    return update


class BotApiFront:
    def __init__(self, upstream: str, *, host: str = "127.0.0.1", port: int = 0, poll_cap: float = 1.0,
                 fail_methods: set[str] | frozenset[str] = frozenset(), max_messages_per_second: int | None = None,
                 answers: dict[str, tuple[int, dict]] | None = None, answer_delay: float = 0.0,
                 chat_answers: dict[int, tuple[int, dict | bytes]] | None = None):
        self.upstream = upstream.rstrip("/")
        self.poll_cap = poll_cap
        self.fail_methods = set(fail_methods)
        self.answers = dict(answers or {})  # method -> (HTTP status, body): a fixed answer, e.g. 401 for getMe
        self.max_messages_per_second = max_messages_per_second
        self.answer_delay = answer_delay
        self.chat_answers: dict[int, tuple[int, dict | bytes]] = dict(chat_answers or {})
        self.in_flight = 0  # sendMessage calls received and not yet answered
        self.peak_in_flight = 0
        self._in_flight_chat: dict[int, int] = {}
        self.peak_in_flight_per_chat: dict[int, int] = {}
        self.blocked_chats: set[int] = set()  # sending there answers 403 "bot was blocked by the user"
        self.refusals: dict[tuple[int | None, int | None], tuple[int, str]] = {}  # (chat, topic) -> answer
        self.chat_admins: dict[int, list[int]] = {}  # chat id -> admin user ids, for getChatAdministrators
        self.calls: list[tuple[str, str, dict]] = []  # (token, method, params)
        self._pending: dict[str, list[dict]] = {}  # token -> fetched, not yet confirmed updates
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self._server = _Server((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="botapi-front", daemon=True)

    # lifecycle
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What NEWSBRIEF_TELEGRAM_API_URL should be (python-telegram-bot's base_url)."""
        return self.url + "/bot"

    def start(self) -> "BotApiFront":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def calls_to(self, method: str, token: str | None = None) -> list[dict]:
        with self._lock:
            return [p for t, m, p in self.calls if m == method and (token is None or t == token)]

    # the Bot API
    def handle(self, token: str, method: str, params: dict) -> tuple[int, dict | bytes]:
        """One Bot API call, as the bot sees it: `answer_delay` on the way, the answer, the way back."""
        chat = _chat(params) if method == "sendMessage" else None
        if method == "sendMessage":
            self._count_in_flight(chat, +1)
        try:
            if self.answer_delay:
                time.sleep(self.answer_delay / 2)
            status, body = self.answer(token, method, params)
            if self.answer_delay:
                time.sleep(self.answer_delay / 2)
            return status, body
        finally:
            if method == "sendMessage":
                self._count_in_flight(chat, -1)

    def _count_in_flight(self, chat: int | None, step: int) -> None:
        with self._lock:
            self.in_flight += step
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            if chat is not None:
                now = self._in_flight_chat[chat] = self._in_flight_chat.get(chat, 0) + step
                self.peak_in_flight_per_chat[chat] = max(self.peak_in_flight_per_chat.get(chat, 0), now)

    def reset_peaks(self) -> None:
        with self._lock:
            self.peak_in_flight = self.in_flight
            self.peak_in_flight_per_chat = {c: n for c, n in self._in_flight_chat.items() if n}

    def answer(self, token: str, method: str, params: dict) -> tuple[int, dict | bytes]:
        """What the server answers (no delay)."""
        with self._lock:
            self.calls.append((token, method, params))
        if method in SENDING and _chat(params) in self.chat_answers:
            return self.chat_answers[_chat(params)]
        if method in self.answers:
            return self.answers[method]
        if method in self.fail_methods:
            return 500, {"ok": False, "error_code": 500, "description": f"Internal Server Error ({method} set to fail)"}
        if method in SENDING and _chat(params) in self.blocked_chats:
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        refusal = self.refusals.get((_chat(params), _topic(params))) if method in SENDING else None
        if refusal:
            return refusal[0], {"ok": False, "error_code": refusal[0], "description": refusal[1]}
        if method == "getChatAdministrators":
            admins = self.chat_admins.get(_chat(params))
            if admins is None:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            return 200, {"ok": True, "result": [
                {"status": "administrator", "user": {"id": uid, "is_bot": False, "first_name": f"Admin{uid}"},
                 "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True, "can_delete_messages": True,
                 "can_manage_video_chats": True, "can_restrict_members": True, "can_promote_members": False,
                 "can_change_info": True, "can_invite_users": True, "can_post_stories": False,
                 "can_edit_stories": False, "can_delete_stories": False}
                for uid in admins]}
        if method in SENDING and self.max_messages_per_second:
            retry = self._throttle()
            if retry:
                return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry}",
                             "parameters": {"retry_after": retry}}
        if method == "getUpdates":
            return 200, self._get_updates(token, params)
        if method not in SUPPORTED_UPSTREAM:
            return 200, {"ok": True, "result": True}
        status, body = self._forward(token, method, params)
        if body.get("ok") and method == "getMe":
            body["result"] = {"is_bot": True, "can_join_groups": True, "can_read_all_group_messages": False,
                              "supports_inline_queries": False, **body["result"]}
        if body.get("ok") and method.startswith("editMessage") and body.get("result") is None:
            body["result"] = True
        if body.get("ok") and method in SENDING:
            body["result"] = fix_sent(body["result"])
        return status, fix_dates(body)

    def _throttle(self) -> int:
        now = time.monotonic()
        with self._lock:
            while self._sent and self._sent[0] <= now - 1.0:
                self._sent.popleft()
            if len(self._sent) >= self.max_messages_per_second:
                return 1
            self._sent.append(now)
            return 0

    def _get_updates(self, token: str, params: dict) -> dict:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), self.poll_cap)
        deadline = time.monotonic() + wait
        while True:
            status, body = self._forward(token, "getUpdates", {})
            fetched = body.get("result") or [] if status == 200 else []
            with self._lock:
                pending = self._pending.setdefault(token, [])
                pending.extend(fix_update(u) for u in fetched)
                pending[:] = [u for u in pending if u["update_id"] >= offset]
                ready = pending[:limit]
            if ready or time.monotonic() >= deadline:
                return {"ok": True, "result": ready}
            time.sleep(0.05)

    def _forward(self, token: str, method: str, params: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{self.upstream}/bot{token}/{method}", data=json.dumps(params).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                return exc.code, json.loads(exc.read() or b"{}")
            except ValueError:
                return exc.code, {"ok": False, "error_code": exc.code, "description": "upstream error"}

    def _handler_class(self):
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
            # client's delayed ACK hold each answer back about 40 ms on a kept-alive connection
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                self._serve()

            def do_POST(self):
                self._serve()

            def _serve(self):
                parsed = urllib.parse.urlsplit(self.path)
                parts = parsed.path.strip("/").split("/")
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if len(parts) != 2 or not parts[0].startswith("bot"):
                    return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                params = dict(urllib.parse.parse_qsl(parsed.query))
                params.update(read_params(self.headers.get("Content-Type", ""), raw))
                try:
                    status, body = front.handle(parts[0][3:], parts[1], params)
                except Exception as exc:  # keep the front up; the bot sees a server error
                    status, body = 500, {"ok": False, "error_code": 500, "description": f"front error: {exc}"}
                self._reply(status, body)

            def _reply(self, status: int, body: dict | bytes):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                try:
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot went away mid-poll (stopped by the test)

        return Handler


class _Server(ThreadingHTTPServer):
    # a bot serving chats side by side opens dozens of connections at once; the default listen
    # backlog of 5 drops some of them (the bot sees them reset)
    request_queue_size = 512


def _chat(params: dict) -> int | None:
    try:
        return int(params.get("chat_id"))
    except (TypeError, ValueError):
        return None


def _topic(params: dict) -> int | None:
    try:
        return int(params.get("message_thread_id"))
    except (TypeError, ValueError):
        return None


def read_params(content_type: str, raw: bytes) -> dict:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        value = json.loads(raw)
        return value if isinstance(value, dict) else {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        out = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                out[name] = part.get_content() if part.get_content_maintype() == "text" else part.get_payload(decode=True)
        return out
    return dict(urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
