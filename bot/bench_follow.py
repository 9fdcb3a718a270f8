"""The `follow` bench section (issue 14): `python -m bot run` as a real process against the loopback Bot API
(telegram-test-api behind the tests' front, 429 above 30 messages/s), on a small store of its own where N
chats (`--fanout-digests`, 1,000) follow one person. An article quoting that person is stored (as
`newsbrief ingest` into the served store does); measured: the latency from its commit to the first and the
last alert sent (the alert job runs every NEWSBRIEF_FOLLOW_ALERT_SECONDS, 30, as deployed), the send rate
of the alert fan-out against 30/s and the 429s, and command replies at 5/s before and during the fan-out.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

from briefs.bench import BenchContext, Figures, section
from briefs.models import Article, Quote, Speaker
from briefs.store import Store

from .bench import ROOT, TELEGRAM_LIMIT, _ms, _pct
from .bench_process import _NodeServer, _round, _timed_front, steady, wait_answers

PERSON = "Fiona Fanout"
FIRST_CHAT = 80_000_000


def _article(n: int) -> Article:
    title = f"Fan-out story {n}"
    said = f"We will publish the figures on Monday, story {n}"
    text = f"{title}\n\nA lede.\n\n\"{said},\" said {PERSON}, a statistician.\n"
    start = text.index(said)
    return Article(id=f"fan{n}", source=f"fan{n}.txt", text=text, title=title, lede="A lede.",
                   published=datetime.now(timezone.utc), url=f"https://bench.example/fan/{n}",
                   speakers=[Speaker(PERSON, "a statistician", [], "person")],
                   quotes=[Quote(said, PERSON, "direct", start, start + len(said))])


def _prepare(path, followers: int) -> None:
    store = Store(path)
    try:
        store.upsert_article(_article(0))
        person = store.db.execute("select person_id from quotes where speaker = ?", [PERSON]).fetchone()[0]
        since = store.db.execute("select coalesce(max(seq), 0) from sqlite_sequence where name = 'article_feed'"
                                 ).fetchone()[0]
        with store.db.atomic():
            store.db["follows"].insert_all(
                {"chat_id": FIRST_CHAT + i, "person_id": person, "name": PERSON, "norm": "fiona fanout",
                 "active": 1, "created_at": "2026-01-01T00:00:00+00:00", "since_feed": since}
                for i in range(followers))
    finally:
        store.close()


@section("follow")
def bench_follow(ctx: BenchContext) -> Figures:
    followers = int(ctx.option("fanout_digests", 1000))
    figures: Figures = {"follow_followers": followers, "follow_alerts_sent": None, "follow_commit_to_first_s": None,
                        "follow_commit_to_last_s": None, "follow_send_per_s": None, "follow_send_limit_ratio": None,
                        "follow_flood_errors": None, "follow_reply_p99_ms_no_fanout": None,
                        "follow_reply_p99_ms_during_fanout": None, "follow_reply_fanout_p99_ratio": None}
    try:
        server = _NodeServer()
    except RuntimeError as exc:
        figures["follow"] = f"unavailable: {exc}"
        return figures
    path = ctx.workdir / "follow.db"
    path.unlink(missing_ok=True)
    _prepare(path, followers)
    front = bot = None
    try:
        front = _timed_front(server.url)
        token = f"{int(time.time()) % 100000}:FOLLOW{os.getpid()}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
        env.update({"PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""), "PYTHONUNBUFFERED": "1",
                    "NEWSBRIEF_TELEGRAM_TOKEN": token, "NEWSBRIEF_TELEGRAM_API_URL": front.api_url,
                    "NEWSBRIEF_DB_PATH": str(path)})
        with open(ctx.workdir / "follow-bot.log", "wb") as out:
            bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ctx.workdir, env=env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        started = time.monotonic()
        while front.first_poll is None:
            if bot.poll() is not None or time.monotonic() - started > 60:
                raise RuntimeError("the bot did not start polling")
            time.sleep(0.01)
        users = iter(range(90_000_000, 99_000_000))
        commands = ["/help", f"/who {PERSON}", "/latest 3"]
        before = steady(server.url, token, users, commands, 5.0, keep_going=lambda: True, limit=4)
        rtt_before = wait_answers(front, before, limit=20)
        chats = set(range(FIRST_CHAT, FIRST_CHAT + followers))
        store = Store(path)
        store.upsert_article(_article(1))
        committed = time.monotonic()
        store.close()
        alerts = lambda: [t for t, chat, status in list(front.sends) if chat in chats and status == 200]  # noqa: E731
        while not alerts() and time.monotonic() - committed < 120 and bot.poll() is None:
            time.sleep(0.05)
        during = steady(server.url, token, users, commands, 5.0, keep_going=lambda: len(alerts()) < followers,
                        limit=followers / 10 + 60)
        rtt_during = wait_answers(front, during, limit=30)
        sent = alerts()
        if sent:
            span = sent[-1] - sent[0]
            rate = (len(sent) - 1) / span if span else None
            p99_before = _pct(list(rtt_before.values()), 99)
            p99_during = _pct(list(rtt_during.values()), 99)
            figures.update({
                "follow_alerts_sent": len(sent), "follow_commit_to_first_s": round(sent[0] - committed, 2),
                "follow_commit_to_last_s": round(sent[-1] - committed, 2),
                "follow_send_per_s": _round(rate, 2),
                "follow_send_limit_ratio": _round(rate / TELEGRAM_LIMIT, 3) if rate else None,
                "follow_flood_errors": sum(1 for _, _, status in list(front.sends) if status == 429),
                "follow_reply_p99_ms_no_fanout": _ms(p99_before), "follow_reply_p99_ms_during_fanout": _ms(p99_during),
                "follow_reply_fanout_p99_ratio": _round(p99_during / p99_before, 3) if p99_before and p99_during
                else None})
        ctx.log(f"bench: follow: {figures['follow_alerts_sent']} alerts, first {figures['follow_commit_to_first_s']} s "
                f"after the commit, {figures['follow_send_per_s']}/s, {figures['follow_flood_errors']} 429s")
    except Exception as exc:  # a figure missing is reported, the other sections still run
        figures["follow"] = f"failed: {exc}"[:300]
    finally:
        if bot is not None and bot.poll() is None:
            bot.send_signal(signal.SIGTERM)
            try:
                bot.wait(timeout=20)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait(timeout=5)
        if front is not None:
            front.stop()
        server.stop()
    return figures
