"""Pytest fixtures for end-to-end runs against the loopback Bot API (a plugin loaded by tests/conftest.py).

- `telegram_test_server`: telegram-test-api in Node on 127.0.0.1 (session-wide; tests keep apart by token);
- `botapi_front`: the compatibility front in front of it (session-wide; `.calls` records Bot API calls);
- `make_front(**options)`: a front of the test's own (e.g. `max_messages_per_second=30` to get 429s);
- `bot_token`: a fresh token per test;
- `start_bot(db_path, front=None, **settings)`: `python -m bot run` as a real process against the front,
  waited for until it polls; stopped (SIGTERM, then kill) when the test ends. Returns a `BotProcess`
  (`.log`, `.errors()`, `.alive()`, `.stop()` -> exit status);
- `make_user(**kw)`: a `TestUser` of this test's bot (`token=` for another bot); each user has a chat of its own;
- `launch_bot(front, db_path, token, log_path, **settings)`: the same start, for module-scoped bots.

Only processes started here are stopped here, by their own handle.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from .botapi_front import BotApiFront
from .client import TestUser

ROOT = Path(__file__).resolve().parents[2]
SERVER_JS = Path(__file__).with_name("telegram_test_server.js")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NodeServer:
    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc = proc
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.stderr: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.proc.stderr:
            self.stderr.append(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # the script stops when its stdin closes
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=5)


def _start_node_server() -> NodeServer:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "telegram-test-api").exists():
        pytest.fail("the end-to-end tests need node and `npm ci` (telegram-test-api in node_modules): run `make test`")
    last_error = ""
    for _ in range(3):
        port = _free_port()
        proc = subprocess.Popen([node, str(SERVER_JS), str(port)], cwd=ROOT, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = _read_line(proc, timeout=20)
        if line.startswith("ready"):
            return NodeServer(proc, port)
        proc.kill()
        proc.wait(timeout=5)
        last_error = line + (proc.stderr.read() or "")
    pytest.fail(f"telegram-test-api did not start: {last_error}")


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0].strip() if result else ""


@pytest.fixture(scope="session")
def telegram_test_server():
    server = _start_node_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def botapi_front(telegram_test_server):
    front = BotApiFront(telegram_test_server.url).start()
    yield front
    front.stop()


@pytest.fixture
def make_front(telegram_test_server):
    """A front of this test's own, with options (`fail_methods`, `max_messages_per_second`, `poll_cap`)."""
    fronts: list[BotApiFront] = []

    def make(**options) -> BotApiFront:
        front = BotApiFront(telegram_test_server.url, **options).start()
        fronts.append(front)
        return front

    yield make
    for front in fronts:
        front.stop()


@pytest.fixture
def bot_token() -> str:
    return new_token()


class BotProcess:
    def __init__(self, proc: subprocess.Popen, log_path: Path, token: str):
        self.proc = proc
        self.log_path = log_path
        self.token = token

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def errors(self) -> list[str]:
        """Log lines at ERROR or above, and tracebacks."""
        return [line for line in self.log.splitlines() if " ERROR " in line or " CRITICAL " in line
                or line.startswith("Traceback")]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode


def launch_bot(front: BotApiFront, db_path: Path, token: str, log_path: Path, *, wait: float = 30,
               **settings: str) -> BotProcess:
    """`python -m bot run` against `front`, returned once it polls. The caller stops it (`BotProcess.stop`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env.update({
        "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        "PYTHONUNBUFFERED": "1",
        "NEWSBRIEF_TELEGRAM_TOKEN": token,
        "NEWSBRIEF_TELEGRAM_API_URL": front.api_url,
        "NEWSBRIEF_DB_PATH": str(db_path),
    })
    env.update({f"NEWSBRIEF_{k.upper()}": str(v) for k, v in settings.items()})
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=log_path.parent, env=env,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    bot = BotProcess(proc, log_path, token)
    deadline = time.monotonic() + wait
    while not front.calls_to("getUpdates", token):  # polling: it is ready for updates
        if not bot.alive() or time.monotonic() > deadline:
            bot.stop()
            raise AssertionError(f"the bot did not start polling (exit {proc.poll()}):\n{bot.log}")
        time.sleep(0.05)
    return bot


def new_token() -> str:
    return f"{int(time.time()) % 100000}:TEST{uuid.uuid4().hex}"


@pytest.fixture
def start_bot(botapi_front, bot_token, tmp_path) -> Callable[..., BotProcess]:
    started: list[BotProcess] = []

    def start(db_path: Path, *, token: str = bot_token, front: BotApiFront | None = None, wait: float = 30,
              **settings: str) -> BotProcess:
        """Start the bot on `db_path`; `settings` are NEWSBRIEF_* values by lower-case name (flood_commands="3")."""
        bot = launch_bot(front or botapi_front, db_path, token, tmp_path / f"bot-{len(started)}.log", wait=wait,
                         **settings)
        started.append(bot)
        return bot

    yield start
    for bot in started:
        bot.stop()


@pytest.fixture
def make_user(telegram_test_server, bot_token) -> Callable[..., TestUser]:
    def make(**kwargs) -> TestUser:
        return TestUser(telegram_test_server.url, kwargs.pop("token", bot_token), **kwargs)

    return make
