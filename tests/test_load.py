"""Load: 5,000 commands from 2,500 users in a burst against the loopback Bot API server, served by the
real `newsbrief run` process over real HTTP (through the compatibility front). Meanwhile one user sends
100 commands: one flood notice, then no answer for the rest of the window, and the others are not held up.

The commands go in through telegram-test-api's client API (`/sendCommand`, over kept-alive connections
from a few threads); the round trip of a command runs from just before its POST to the moment the bot's
reply (its sendMessage) came back through the front. The figures are printed and written as JSON to
the test's tmp folder (`load.json`); they are reported, not asserted (no timed assertions).

Two waves of 2,500 (every user's first command, then every user's second) make the burst; the flooder
joins only the second wave, so the others' p99 with and without the flooder come from the same run.

Then, in the same test and against the same bot process, the front adds 100 ms to every Bot API answer,
as a real round trip to Telegram does: a burst of 200 users with one command each; 50 users sending three
commands back to back without waiting; and the same burst with the front answering 429 (`retry_after`)
above 30 messages a second. Asserted (not timing): every command answered exactly once, with its real
answer (never an apology, never a flood notice), each user's answers in the order sent, at least 10
sendMessage calls in flight at once during the delayed burst (a bot that handles one update at a time
has 1), never two in flight for one chat. Answers/s and p50/p99 round trips are printed for each run.
"""
from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from collections import defaultdict

import pytest

from briefs.replies import ReplyContext, Replies, parse_command
from conftest import build_seed_store
from e2e.botapi_front import BotApiFront
from e2e.fixtures import launch_bot, new_token

pytestmark = pytest.mark.timeout(300)

USERS = 2_500
PER_USER = 2
FLOOD_LIMIT = 5  # NEWSBRIEF_FLOOD_COMMANDS: above the 2 each user sends, far below the flooder's 100
FLOODER_SENDS = 100
FLOOD_WINDOW = 3_600  # longer than the test: "no more answers for the window"
SENDERS = 8
FLOODER = 990_000
SENTINEL = 990_001
FIRST_USER = 960_001
# each answered by exactly one message
COMMANDS = ["/latest 1", "/who gardner", "/start", "/search sanctions", "/article_1", "/claims Raffone", "/help"]
DELAY = 0.100  # seconds added to every Bot API answer in the delayed runs
BURST_USERS = 200
BACK_TO_BACK_USERS = 50
BACK_TO_BACK = ["/latest 1", "/who gardner", "/search sanctions"]  # three different answers, to check order


class TimedFront(BotApiFront):
    """The front, noting when each reply of one bot came back from the server (per chat, in order)."""

    def __init__(self, upstream: str, token: str):
        super().__init__(upstream)
        self.token = token
        self.replies: dict[int, list[tuple[float, str]]] = defaultdict(list)

    too_many = 0  # 429 answers given to the bot's messages

    def handle(self, token, method, params):
        status, body = super().handle(token, method, params)
        if token == self.token and method == "sendMessage" and status == 429:
            with self._lock:
                self.too_many += 1
        if token == self.token and method == "sendMessage" and status == 200:
            with self._lock:
                self.replies[int(params["chat_id"])].append((time.monotonic(), str(params.get("text", ""))))
        return status, body

    def reply_count(self) -> int:
        with self._lock:
            return sum(len(v) for v in self.replies.values())


def _command(token: str, user_id: int, text: str) -> bytes:
    first = text.split(None, 1)[0]
    return json.dumps({
        "botToken": token,
        "from": {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"},
        "chat": {"id": user_id, "type": "private", "first_name": f"U{user_id}"},
        "date": int(time.time()),
        "text": text,
        "entities": [{"offset": 0, "length": len(first.encode("utf-16-le")) // 2, "type": "bot_command"}],
    }).encode()


def _send_all(server_url: str, jobs: list[tuple[int, int, bytes]], sent_at: dict[tuple[int, int], float]) -> None:
    """POST each (user, k, body) to /sendCommand from SENDERS threads, each with a kept-alive connection;
    a user's commands stay in one thread, in order."""
    host, port = urllib.parse.urlsplit(server_url).netloc.split(":")
    lanes: list[list[tuple[int, int, bytes]]] = [[] for _ in range(SENDERS)]
    for job in jobs:
        lanes[job[0] % SENDERS].append(job)
    errors: list[str] = []

    def run(lane):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for user, k, body in lane:
            try:
                sent_at[(user, k)] = time.monotonic()
                conn.request("POST", "/sendCommand", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{user}: HTTP {response.status}")
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{user}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.close()

    threads = [threading.Thread(target=run, args=(lane,)) for lane in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:5]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _wait_for(front: TimedFront, total: int, bot, limit: float = 240) -> None:
    deadline = time.monotonic() + limit
    while front.reply_count() < total:
        assert bot.alive(), bot.log[-3000:]
        assert time.monotonic() < deadline, f"{front.reply_count()} of {total} answered\n{bot.log[-3000:]}"
        time.sleep(0.1)


def _expected(db, texts: list[str]) -> dict[str, str]:
    """Each command's real answer (one message each), from the same store the bot serves."""
    from briefs.store import Store

    store = Store(db)
    try:
        replies = Replies(store)
        out = {}
        for text in texts:
            command, args, _ = parse_command(text)
            [reply] = replies.answer(command, args, ReplyContext())
            out[text] = reply.text
        return out
    finally:
        store.close()


def _run(front: TimedFront, server_url: str, token: str, bot, plan: dict[int, list[str]], name: str,
         expected: dict[str, str]) -> dict:
    """Send each user's commands (in order, without waiting for answers); wait for every answer; check
    each is the real one, once, in order, never two sendMessage in flight for one chat; return figures."""
    before = front.reply_count()
    total = sum(len(texts) for texts in plan.values())
    front.reset_peaks()
    jobs = [(user, k, _command(token, user, texts[k])) for k in range(max(map(len, plan.values())))
            for user, texts in plan.items() if k < len(texts)]
    sent_at: dict[tuple[int, int], float] = {}
    began = time.monotonic()
    _send_all(server_url, jobs, sent_at)
    _wait_for(front, before + total, bot)
    elapsed = time.monotonic() - began
    time.sleep(0.3)  # an answer sent twice would arrive now
    with front._lock:
        replies = {user: list(front.replies.get(user, [])) for user in plan}
        per_chat_peak = max(front.peak_in_flight_per_chat.get(user, 0) for user in plan)
        peak = front.peak_in_flight
    wrong = {user: [text[:60] for _, text in replies[user]] for user, texts in plan.items()
             if [text for _, text in replies[user]] != [expected[t] for t in texts]}
    assert not wrong, (name, len(wrong), dict(list(wrong.items())[:3]))
    assert per_chat_peak == 1, (name, "two sendMessage calls in flight for one chat")
    rtt = [replies[user][k][0] - sent_at[(user, k)] for user, texts in plan.items() for k in range(len(texts))]
    return {"run": name, "commands": total, "elapsed_s": round(elapsed, 2),
            "answers_per_s": round(total / elapsed, 1), "p50_ms": round(_p(rtt, 0.5) * 1000),
            "p99_ms": round(_p(rtt, 0.99) * 1000), "peak_in_flight": peak}


def delayed_runs(front: TimedFront, server_url: str, token: str, bot, db, first_user: int) -> list[dict]:
    """The three runs with `DELAY` on every Bot API answer (see the module's docstring)."""
    expected = _expected(db, COMMANDS + BACK_TO_BACK)
    front.answer_delay = DELAY
    users = iter(range(first_user, first_user + 10_000))
    burst = {u: [COMMANDS[u % len(COMMANDS)]] for u in (next(users) for _ in range(BURST_USERS))}
    runs = [_run(front, server_url, token, bot, burst, "burst, 100 ms", expected)]
    back_to_back = {next(users): list(BACK_TO_BACK) for _ in range(BACK_TO_BACK_USERS)}
    runs.append(_run(front, server_url, token, bot, back_to_back, "50 users x3 back to back, 100 ms", expected))
    front.max_messages_per_second = 30
    try:
        burst = {u: [COMMANDS[u % len(COMMANDS)]] for u in (next(users) for _ in range(BURST_USERS))}
        runs.append(_run(front, server_url, token, bot, burst, "burst, 100 ms, 429 above 30/s", expected))
    finally:
        front.max_messages_per_second = None
        front.answer_delay = 0.0
    runs[-1]["answered_429"] = front.too_many
    return runs


def test_five_thousand_commands_from_2500_users_and_a_flooder(telegram_test_server, tmp_path):
    token = new_token()
    front = TimedFront(telegram_test_server.url, token).start()
    db = tmp_path / "load.db"
    build_seed_store(db).close()
    bot = launch_bot(front, db, token, tmp_path / "bot.log", flood_commands=str(FLOOD_LIMIT),
                     flood_window_seconds=str(FLOOD_WINDOW))
    try:
        users = list(range(FIRST_USER, FIRST_USER + USERS))
        sent_at: dict[tuple[int, int], float] = {}
        began = time.monotonic()
        # wave 1: every user's first command
        _send_all(telegram_test_server.url,
                  [(u, 0, _command(token, u, COMMANDS[u % len(COMMANDS)])) for u in users], sent_at)
        injected_first = time.monotonic() - began
        _wait_for(front, USERS, bot)
        began_second = time.monotonic()
        # wave 2: every user's second command, with the flooder's 100 spread through it
        wave2 = [(u, 1, _command(token, u, COMMANDS[(u + 3) % len(COMMANDS)])) for u in users]
        step = len(wave2) // FLOODER_SENDS
        for i in range(FLOODER_SENDS):
            wave2.insert(i * (step + 1), (FLOODER, i, _command(token, FLOODER, "/latest 1")))
        _send_all(telegram_test_server.url, wave2, sent_at)
        injected_second = time.monotonic() - began_second
        _wait_for(front, 2 * USERS + FLOOD_LIMIT + 1, bot)
        elapsed = time.monotonic() - began
        # updates are handled in order: once a last command sent after all others is answered,
        # every earlier one (the flooder's too) has been handled
        _send_all(telegram_test_server.url, [(SENTINEL, 0, _command(token, SENTINEL, "/start"))], sent_at)
        _wait_for(front, 2 * USERS + FLOOD_LIMIT + 2, bot)
        assert bot.alive() and not bot.errors(), bot.log[-3000:]
        replies = {chat: list(items) for chat, items in front.replies.items()}
        delayed = delayed_runs(front, telegram_test_server.url, token, bot, db, SENTINEL + 1)
        assert bot.alive() and not bot.errors(), bot.log[-3000:]
    finally:
        bot.stop()
        front.stop()

    # everybody answered, exactly once per command, in order
    missing = [u for u in users if len(replies.get(u, [])) != PER_USER]
    assert not missing, {u: len(replies.get(u, [])) for u in missing[:10]}
    assert not any("Too many requests" in text for u in users for _, text in replies[u])
    assert not any("Sorry, something went wrong" in text for u in users for _, text in replies[u])
    # the flooder: FLOOD_LIMIT answers, one notice, then silence for the window
    flood = [text for _, text in replies[FLOODER]]
    assert len(flood) == FLOOD_LIMIT + 1, flood
    assert len(replies[SENTINEL]) == 1
    assert all("Too many requests" not in text for text in flood[:FLOOD_LIMIT])
    assert "Too many requests" in flood[FLOOD_LIMIT]

    rtt = {wave: [replies[u][wave][0] - sent_at[(u, wave)] for u in users] for wave in (0, 1)}
    everyone = rtt[0] + rtt[1]
    figures = {
        "commands": PER_USER * USERS + FLOODER_SENDS, "users": USERS + 1, "answered": PER_USER * USERS,
        "elapsed_s": round(elapsed, 2), "injection_s": [round(injected_first, 2), round(injected_second, 2)], "throughput_per_s": round(PER_USER * USERS / elapsed, 1),
        "p50_ms": round(_p(everyone, 0.50) * 1000), "p99_ms": round(_p(everyone, 0.99) * 1000),
        "max_ms": round(max(everyone) * 1000),
        "others_p99_without_flooder_ms": round(_p(rtt[0], 0.99) * 1000),
        "others_p99_with_flooder_ms": round(_p(rtt[1], 0.99) * 1000),
        "flooder": {"sent": FLOODER_SENDS, "answered": FLOOD_LIMIT, "notices": 1},
    }
    figures["p99_ratio_with_to_without_flooder"] = round(
        figures["others_p99_with_flooder_ms"] / max(1, figures["others_p99_without_flooder_ms"]), 2)
    figures["delayed"] = delayed
    (tmp_path / "load.json").write_text(json.dumps(figures, indent=2))
    print(f"\nload: {json.dumps(figures)}\n(written to {tmp_path / 'load.json'})")
    for run in delayed:
        print(f"  {run['run']}: {run['answers_per_s']} answers/s, p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms, "
              f"peak {run['peak_in_flight']} sendMessage in flight")
    # a bot that handles one update at a time has one sendMessage in flight, whatever the round trip
    assert delayed[0]["peak_in_flight"] >= 10, delayed[0]
    assert delayed[2]["answered_429"] > 0, "the 429 run met no 429"
