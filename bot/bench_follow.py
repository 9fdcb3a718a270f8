"""The `follow` bench section (issue 14): `python -m bot run` as a real process against the loopback Bot API
(telegram-test-api behind the tests' front, 429 above 30 messages/s), on a small store of its own where N
chats (`--fanout-digests`, 1,000) follow one person and N others another. An article quoting the first is
stored (as `newsbrief ingest` into the served store does); measured: the latency from its commit to the
first and the last alert sent (the alert job runs every NEWSBRIEF_FOLLOW_ALERT_SECONDS, 30, as deployed; the
commit lands a few seconds after a pass, so the latency is near its worst case),
the send rate of that fan-out against 30/s and the 429s. Then an article quoting the second: command
replies at 5/s during that fan-out against before it (as for digests: replies take their share of the
pace, so the rate is taken without them).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timezone

from briefs.bench import BenchContext, Figures, section
from briefs.models import Article, Quote, Speaker
from briefs.store import Store

from .bench import ROOT, TELEGRAM_LIMIT, _ms, _pct
from .bench_process import _NodeServer, _round, _timed_front, steady, stop_bot, wait_answers

PEOPLE = ("Fiona Fanout", "Gary Fanout")
FIRST_CHAT = 80_000_000


def _article(n: int, person: str) -> Article:
    title = f"Fan-out story {n}"
    said = f"We will publish the figures on Monday, story {n}"
    text = f"{title}\n\nA lede.\n\n\"{said},\" said {person}, a statistician.\n"
    start = text.index(said)
    return Article(id=f"fan{n}", source=f"fan{n}.txt", text=text, title=title, lede="A lede.",
                   published=datetime.now(timezone.utc), url=f"https://bench.example/fan/{n}",
                   speakers=[Speaker(person, "a statistician", [], "person")],
                   quotes=[Quote(said, person, "direct", start, start + len(said))])


def _prepare(path, followers: int) -> list[set[int]]:
    """Each of PEOPLE quoted once, and followed by `followers` chats of its own; returns their chat ids."""
    store = Store(path)
    groups = []
    try:
        for number, person in enumerate(PEOPLE):
            store.upsert_article(_article(number, person))
            person_id = store.db.execute("select person_id from quotes where speaker = ?", [person]).fetchone()[0]
            since = store.db.execute("select seq from sqlite_sequence where name = 'article_feed'").fetchone()[0]
            chats = range(FIRST_CHAT + number * followers, FIRST_CHAT + (number + 1) * followers)
            with store.db.atomic():
                store.db["follows"].insert_all(
                    {"chat_id": chat, "person_id": person_id, "name": person, "norm": person.lower(), "active": 1,
                     "created_at": "2026-01-01T00:00:00+00:00", "since_feed": since} for chat in chats)
            groups.append(set(chats))
    finally:
        store.close()
    return groups


def _ingest(path, n: int, person: str) -> float:
    """Store an article quoting `person`; returns when it was committed."""
    store = Store(path)
    try:
        store.upsert_article(_article(n, person))
        return time.monotonic()
    finally:
        store.close()


def _alerts(front, chats: set[int]) -> list[float]:
    return [t for t, chat, status in list(front.sends) if chat in chats and status == 200]


def _wait_first(front, chats: set[int], committed: float, bot) -> None:
    while not _alerts(front, chats) and time.monotonic() - committed < 120 and bot.poll() is None:
        time.sleep(0.05)


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
    groups = _prepare(path, followers)
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
        fanout, beside = groups
        # the alert job's first pass is 1 s after start: committing 4 s after polling began lands mid-interval,
        # near the worst case (the next pass, ~26 s later), not just before a pass
        time.sleep(max(0.0, front.first_poll + 4.0 - time.monotonic()))
        committed = _ingest(path, 2, PEOPLE[0])
        _wait_first(front, fanout, committed, bot)
        deadline = time.monotonic() + followers / 10 + 60
        while len(_alerts(front, fanout)) < followers and time.monotonic() < deadline and bot.poll() is None:
            time.sleep(0.2)
        sent = _alerts(front, fanout)
        if sent:
            span = sent[-1] - sent[0]
            rate = (len(sent) - 1) / span if span else None
            figures.update({
                "follow_alerts_sent": len(sent), "follow_commit_to_first_s": round(sent[0] - committed, 2),
                "follow_commit_to_last_s": round(sent[-1] - committed, 2), "follow_send_per_s": _round(rate, 2),
                "follow_send_limit_ratio": _round(rate / TELEGRAM_LIMIT, 3) if rate else None,
                "follow_flood_errors": sum(1 for _, _, status in list(front.sends) if status == 429)})
            ctx.log("bench: follow: 429s at " + ", ".join(f"{t - sent[0]:.2f} s" for t, _, status in list(front.sends)
                                                           if status == 429) + " after the first alert")
        users = iter(range(90_000_000, 99_000_000))
        commands = ["/help", f"/who {PEOPLE[1]}", "/latest 3"]
        before = steady(server.url, token, users, commands, 5.0, keep_going=lambda: True, limit=4)
        rtt_before = wait_answers(front, before, limit=20)
        committed = _ingest(path, 3, PEOPLE[1])
        _wait_first(front, beside, committed, bot)
        during = steady(server.url, token, users, commands, 5.0,
                        keep_going=lambda: len(_alerts(front, beside)) < followers, limit=followers / 10 + 60)
        rtt_during = wait_answers(front, during, limit=30)
        p99_before, p99_during = _pct(list(rtt_before.values()), 99), _pct(list(rtt_during.values()), 99)
        figures.update({
            "follow_reply_p99_ms_no_fanout": _ms(p99_before), "follow_reply_p99_ms_during_fanout": _ms(p99_during),
            "follow_reply_fanout_p99_ratio": _round(p99_during / p99_before, 3) if p99_before and p99_during else None})
        ctx.log(f"bench: follow: {figures['follow_alerts_sent']} alerts, first {figures['follow_commit_to_first_s']} s "
                f"after the commit, {figures['follow_send_per_s']}/s, {figures['follow_flood_errors']} 429s")
    except Exception as exc:  # a figure missing is reported, the other sections still run
        figures["follow"] = f"failed: {exc}"[:300]
    finally:
        stop_bot(bot)
        if front is not None:
            front.stop()
        server.stop()
    return figures
