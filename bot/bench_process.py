"""The `process` benchmark section: `python -m bot run` as a real process against the loopback Bot API
server (telegram-test-api behind the tests' compatibility front, 429 above 30 messages/s like Telegram),
every Bot API answer `--api-latency-ms` (100) late, as a real round trip to Telegram.

Figures: start to polling with 10k subscriptions; the send rate of the fan-out due at start as a fraction
of 30/s and the 429s seen; a burst of 500 users' commands with and without the latency
(`reply_burst_latency_ratio`); the reply p99 during a second fan-out against without one
(`reply_fanout_p99_ratio`); then every reply command once, and the process's peak RSS.

Replies are sent as Telegram users (telegram-test-api's client API). A reply's round trip runs from just
before its command is posted to the moment the bot's sendMessage into that chat came back from the front.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from briefs.bench import BenchContext, Figures, section

from .bench import ROOT, TELEGRAM_LIMIT, _cases, _clear_subscriptions, _ms, _pct, add_subscribers

SENDERS = 8  # connections posting commands at once


def command_body(token: str, user_id: int, text: str) -> bytes:
    first = text.split(None, 1)[0]
    return json.dumps({
        "botToken": token,
        "from": {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"},
        "chat": {"id": user_id, "type": "private", "first_name": f"U{user_id}"},
        "date": int(time.time()),
        "text": text,
        "entities": [{"offset": 0, "length": len(first.encode("utf-16-le")) // 2, "type": "bot_command"}],
    }).encode()


def post_commands(server_url: str, token: str, commands: list[tuple[int, str]]) -> dict[int, float]:
    """Post (user id, text) commands from SENDERS kept-alive connections; returns user id -> when posted."""
    host, port = urllib.parse.urlsplit(server_url).netloc.split(":")
    lanes = [commands[i::SENDERS] for i in range(SENDERS)]
    sent_at: dict[int, float] = {}

    def run(lane):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for user, text in lane:
            sent_at[user] = time.monotonic()
            conn.request("POST", "/sendCommand", command_body(token, user, text),
                         {"Content-Type": "application/json"})
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=run, args=(lane,)) for lane in lanes if lane]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent_at


def answered(front, sent_at: dict[int, float]) -> dict[int, float]:
    """User id -> round trip (s) for the users whose answer has arrived."""
    first: dict[int, float] = {}
    for at, chat, status in list(front.sends):
        if status == 200 and chat in sent_at and chat not in first and at >= sent_at[chat]:
            first[chat] = at - sent_at[chat]
    return first


def wait_answers(front, sent_at: dict[int, float], limit: float) -> dict[int, float]:
    deadline = time.monotonic() + limit
    while True:
        got = answered(front, sent_at)
        if len(got) >= len(sent_at) or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


def burst(front, server_url: str, token: str, users: list[int], commands: list[str]) -> dict:
    """One command from each user at once; answers/s from the first post to the last answer."""
    began = time.monotonic()
    sent_at = post_commands(server_url, token, [(u, commands[i % len(commands)]) for i, u in enumerate(users)])
    rtt = wait_answers(front, sent_at, limit=60 + len(users) / 5)
    if not rtt:
        return {"answered": 0, "answers_per_s": None, "p50_s": None, "p99_s": None}
    last = max(sent_at[u] + rtt[u] for u in rtt)
    values = sorted(rtt.values())
    return {"answered": len(rtt), "answers_per_s": len(rtt) / (last - began),
            "p50_s": values[len(values) // 2], "p99_s": values[min(len(values) - 1, int(0.99 * len(values)))]}


def steady(server_url: str, token: str, users, commands: list[str], per_second: float,
           keep_going: Callable[[], bool], limit: float) -> dict[int, float]:
    """One command every 1/per_second s, each from a new user, while keep_going(); user id -> when posted."""
    sent_at: dict[int, float] = {}
    began = time.monotonic()
    n = 0
    while keep_going() and time.monotonic() - began < limit:
        user = next(users)
        sent_at.update(post_commands(server_url, token, [(user, commands[n % len(commands)])]))
        n += 1
        time.sleep(max(0.0, began + n / per_second - time.monotonic()))
    return sent_at


# -- the real process against the loopback Bot API --------------------------------------------------


class _NodeServer:
    def __init__(self):
        node = shutil.which("node")
        script = ROOT / "tests" / "e2e" / "telegram_test_server.js"
        if node is None or not script.exists() or not (ROOT / "node_modules" / "telegram-test-api").exists():
            raise RuntimeError("needs node, tests/e2e and telegram-test-api in node_modules (npm ci)")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.proc = subprocess.Popen([node, str(script), str(self.port)], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(20)
        if not line or not line[0].startswith("ready"):
            self.stop()
            raise RuntimeError("telegram-test-api did not start")
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=5)


def _timed_front(upstream: str, latency: float = 0.0):
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    from e2e.botapi_front import BotApiFront

    class TimedFront(BotApiFront):
        """The tests' compatibility front, 429 above 30 messages/s, with each send's time and status."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.sends: list[tuple[float, int, int]] = []  # (monotonic, chat_id, status)
            self.first_poll: float | None = None

        def handle(self, token, method, params):
            if method == "getUpdates" and self.first_poll is None:
                self.first_poll = time.monotonic()  # when the poll arrives (the front holds it up to 1 s)
            status, body = super().handle(token, method, params)
            now = time.monotonic()
            if method == "sendMessage":
                try:
                    chat = int(params.get("chat_id"))
                except (TypeError, ValueError):
                    chat = 0
                self.sends.append((now, chat, status))
            return status, body

    return TimedFront(upstream, max_messages_per_second=int(TELEGRAM_LIMIT), answer_delay=latency).start()


def stop_bot(bot: subprocess.Popen | None) -> None:
    """SIGTERM the bot process (it finishes what is on the wire), killed if it takes over 20 s."""
    if bot is not None and bot.poll() is None:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait(timeout=5)


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@section("process")
def bench_process(ctx: BenchContext) -> Figures:
    """`python -m bot run` on the full store with N subscriptions (D of them due now) against the loopback
    server, every Bot API answer `--api-latency-ms` late: start-up, the fan-out's send rate, reply bursts
    with and without the latency, replies during a second fan-out against replies without one, peak RSS."""
    store = ctx.full_store()
    subscribers = int(ctx.option("subscribers", 10_000))
    due = 0 if ctx.option("skip_fanout", False) else min(subscribers, int(ctx.option("fanout_digests", 1000)))
    latency = float(ctx.option("api_latency_ms", 100)) / 1000
    figures: Figures = {"process_subscribers": subscribers, "api_latency_ms": round(latency * 1000),
                        "startup_s": None, "digest_sent": None, "digest_send_per_s": None,
                        "digest_send_limit_ratio": None, "digest_flood_errors": None, "bot_peak_rss_mb": None,
                        "bot_rss_after_start_mb": None, "reply_burst_latency_ratio": None,
                        "reply_fanout_p99_ratio": None}
    try:
        server = _NodeServer()
    except RuntimeError as exc:
        figures["process"] = f"unavailable: {exc}"
        return figures
    front = bot = None
    try:
        front = _timed_front(server.url, latency)
        _clear_subscriptions(store)
        chats = set(add_subscribers(store, subscribers, due=due, start_chat=30_000_000))
        store.db.execute("pragma wal_checkpoint(truncate)")
        token = f"{int(time.time()) % 100000}:BENCH{os.getpid()}"
        # the dispatcher's minute comes ~30 s after the first fan-out should end (a minute earlier it finds
        # that fan-out running and returns): time for the bursts and for replies without a fan-out
        second_tick = (due / 28.6 + 30) % 60
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
        env.update({"PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""), "PYTHONUNBUFFERED": "1",
                    "NEWSBRIEF_TELEGRAM_TOKEN": token, "NEWSBRIEF_TELEGRAM_API_URL": front.api_url,
                    "NEWSBRIEF_DB_PATH": str(ctx.workdir / "full.db"),
                    "NEWSBRIEF_TEST_CLOCK_OFFSET_SECONDS": str(round(((60 - second_tick) - time.time() % 60) % 60, 1))})
        log_path = ctx.workdir / "bot.log"
        started = time.monotonic()
        with open(log_path, "wb") as out:
            bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ctx.workdir, env=env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        while front.first_poll is None:
            if bot.poll() is not None or time.monotonic() - started > 120:
                raise RuntimeError(f"the bot did not start polling: {log_path.read_text()[-2000:]}")
            time.sleep(0.01)
        figures["startup_s"] = round(front.first_poll - started, 3)
        figures["bot_rss_after_start_mb"] = _peak_rss_mb(bot.pid)
        ctx.log(f"bench: process: polling after {figures['startup_s']} s")
        if due:
            figures.update(_fan_out_rate(front, chats, due, bot))
            ctx.log(f"bench: process: {figures['digest_sent']} digests at {figures['digest_send_per_s']}/s, "
                    f"{figures['digest_flood_errors']} flood errors")
        users = iter(range(50_000_000, 60_000_000))
        commands = list(_cases(store)[0].values())
        figures.update(_bursts(front, server.url, token, users, commands, latency, ctx))
        if due:
            figures.update(_replies_during_fan_out(front, server.url, token, users, commands, store, due, ctx))
        _serve_some(server.url, token, ctx)
        figures["bot_peak_rss_mb"] = _peak_rss_mb(bot.pid)
    except Exception as exc:  # a figure missing is reported, the other sections still run
        figures["process"] = f"failed: {exc}"[:300]
    finally:
        stop_bot(bot)
        if front is not None:
            front.stop()
        server.stop()
        _clear_subscriptions(store)
    return figures


def _digests_sent(front, chats: set[int]) -> list[float]:
    return [t for t, chat, status in list(front.sends) if chat in chats and status == 200]


def _fan_out_rate(front, chats: set[int], due: int, bot) -> Figures:
    """The digests due at start, as they go out (no replies meanwhile): their rate against 30/s, and 429s."""
    deadline = time.monotonic() + due / 10 + 60
    while time.monotonic() < deadline and len(_digests_sent(front, chats)) < due and bot.poll() is None:
        time.sleep(0.2)
    ok = _digests_sent(front, chats)
    floods = sum(1 for _, _, status in list(front.sends) if status == 429)
    span = ok[-1] - ok[0] if len(ok) > 1 else 0
    rate = (len(ok) - 1) / span if span else None
    return {"digest_sent": len(ok), "digest_send_s": round(span, 2),
            "digest_send_per_s": round(rate, 2) if rate else None,
            "digest_send_limit_ratio": round(rate / TELEGRAM_LIMIT, 3) if rate else None,
            "digest_flood_errors": floods}


BURST_USERS = 500  # enough that the fixed first and last round trips weigh little


def _bursts(front, server_url: str, token: str, users, commands: list[str], latency: float,
            ctx: BenchContext) -> Figures:
    """BURST_USERS users with one command each, at once: with the latency, then without it. Replies are
    not held to the bulk 30/s, so the front's 429 is off meanwhile."""
    limit, front.max_messages_per_second = front.max_messages_per_second, None
    try:
        slow = burst(front, server_url, token, [next(users) for _ in range(BURST_USERS)], commands)
        front.answer_delay = 0.0
        fast = burst(front, server_url, token, [next(users) for _ in range(BURST_USERS)], commands)
    finally:
        front.answer_delay, front.max_messages_per_second = latency, limit
    ratio = slow["answers_per_s"] / fast["answers_per_s"] if slow["answers_per_s"] and fast["answers_per_s"] else None
    ctx.log(f"bench: process: burst of {BURST_USERS}: {slow['answers_per_s'] or 0:.1f}/s with "
            f"{latency * 1000:.0f} ms, {fast['answers_per_s'] or 0:.1f}/s without")
    return {"reply_burst_users": BURST_USERS, "reply_burst_answered_latency": slow["answered"],
            "reply_burst_per_s_latency": _round(slow["answers_per_s"], 1),
            "reply_burst_per_s_no_latency": _round(fast["answers_per_s"], 1),
            "reply_burst_p99_ms_latency": _ms(slow["p99_s"]), "reply_burst_p99_ms_no_latency": _ms(fast["p99_s"]),
            "reply_burst_latency_ratio": _round(ratio, 3)}


def _replies_during_fan_out(front, server_url: str, token: str, users, commands: list[str], store, due: int,
                            ctx: BenchContext) -> Figures:
    """Replies at 5/s from new users, before and during a second fan-out of `due` digests (the dispatcher's
    next minute): the round trip's p99 during it against without it."""
    chats = set(add_subscribers(store, due, due=due, start_chat=40_000_000))
    sent = steady(server_url, token, users, commands, 5.0,
                  keep_going=lambda: len(_digests_sent(front, chats)) < due, limit=150 + due / 20)
    rtt = wait_answers(front, sent, limit=30)
    digests = _digests_sent(front, chats)
    if len(digests) < 2:
        return {"reply_fanout_digests": len(digests)}
    first, last = digests[0], digests[-1]
    floods = sum(1 for at, _, status in list(front.sends) if status == 429 and first <= at <= last)
    before = [rtt[u] for u in rtt if sent[u] + rtt[u] < first]
    during = [rtt[u] for u in rtt if first <= sent[u] <= last]
    p99_before, p99_during = _pct(before, 99), _pct(during, 99)
    ctx.log(f"bench: process: reply p99 {_ms(p99_before)} ms without a fan-out ({len(before)}), "
            f"{_ms(p99_during)} ms during one ({len(during)}); {floods} 429s meanwhile")
    return {"reply_fanout_digests": len(digests), "reply_p99_ms_no_fanout": _ms(p99_before),
            "reply_p99_ms_during_fanout": _ms(p99_during), "reply_samples_no_fanout": len(before),
            "reply_samples_during_fanout": len(during), "reply_fanout_flood_errors": floods,
            "reply_fanout_p99_ratio": _round(p99_during / p99_before, 3) if p99_before and p99_during else None}


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _serve_some(server_url: str, token: str, ctx: BenchContext) -> None:
    """Every reply command once through the real process (so the peak RSS is that of a bot serving the store)."""
    from e2e.client import TestUser

    user = TestUser(server_url, token)
    cases, _ = _cases(ctx.full_store())
    for command in ["/who", "/claims", *cases.values()]:
        try:
            user.ask(command)
        except Exception as exc:  # noqa: BLE001 - a slow answer is not fatal for the RSS figure
            ctx.log(f"bench: process: {command}: {exc}")
