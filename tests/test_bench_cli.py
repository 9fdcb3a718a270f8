"""`newsbrief bench --articles N --json`: runs end to end and ends with one JSON object of figures."""
from __future__ import annotations

import json
import stat

from cli_helper import run_cli


def _bench(tmp_path, *args, **env):
    return run_cli("bench", *args, cwd=tmp_path, timeout=300, **env)


SMALL = ("--store-articles", "300", "--subscribers", "80", "--fanout-digests", "40", "--reply-runs", "5")
NEW_NUMBERS = (
    [f"reply_{case}_{figure}" for case in ("latest", "who_hit", "who_miss", "claims_topic", "search", "article")
     for figure in ("p50_ms", "p99_ms", "floor_p50_ms", "floor_p99_ms", "floor_ratio")]
    + ["reply_worst_p99_ms", "fanout_who_p50_ms", "fanout_who_p99_ms", "fanout_inprocess_limit_ratio",
       "digest_compose_s", "digest_distinct", "startup_s", "digest_send_limit_ratio", "digest_flood_errors",
       "bot_peak_rss_mb", "reply_burst_per_s_latency", "reply_burst_per_s_no_latency", "reply_burst_latency_ratio",
       "reply_p99_ms_no_fanout", "reply_p99_ms_during_fanout", "reply_fanout_p99_ratio", "api_latency_ms",
       "ingest_linking_ms_per_article", "ingest_linking_share_ratio",
       "full_store_linking_ms_per_article", "full_store_linking_share_ratio"]
)


def test_bench_json_has_the_ingest_figures(tmp_path):
    done = _bench(tmp_path, "--articles", "20", "--json", *SMALL, "--cache-dir", str(tmp_path / "cache"),
                  NEWSBRIEF_BENCH_PEER_PYTHON="")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("articles", "parse_articles_per_s", "extract_articles_per_s", "ingest_articles_per_s",
                "peer", "peer_articles_per_s", "extract_peer_ratio", "ingest_peer_ratio"):
        assert key in figures, key
    assert figures["articles"] == 20 and figures["ingest_files"] == 20 and figures["ingest_failed_files"] == 0
    assert figures["ingest_articles_per_s"] > 0 and figures["parse_articles_per_s"] > 0
    assert figures["corpus_direct_quotes"] > 20
    assert figures["peer"].startswith("unavailable: ")
    assert figures["extract_peer_ratio"] is None and figures["ingest_peer_ratio"] is None
    ratios = [k for k in figures if k.endswith("_ratio")]
    assert ratios and all(figures[k] is None or figures[k] > 0 for k in ratios)
    assert any(line.startswith("ingest_articles_per_s ") for line in done.stdout.splitlines()[:-1])  # the table too
    # the replies, fan-out, digest and bot-process sections, on a small store (numbers, never timed here)
    for key in NEW_NUMBERS:
        assert isinstance(figures.get(key), (int, float)) and not isinstance(figures[key], bool), (key, figures.get(key))
    assert figures["full_store_articles"] == 300 and figures["digest_distinct"] >= 1
    assert figures["api_latency_ms"] == 100 and figures["reply_burst_answered_latency"] == 500
    assert list((tmp_path / "cache").glob("full-300-*.db"))  # built once, kept for the next run


def test_bench_computes_the_peer_ratio_from_the_peer_pass(tmp_path):
    """A stand-in peer interpreter that reports 20 articles in 4 s (5 articles/s)."""
    fake = tmp_path / "fake-python"
    fake.write_text('#!/bin/sh\necho \'{"available": true, "name": "fake peer", "articles": 20, "seconds": 4.0, '
                    '"quotes": 7, "failures": 1}\'\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    done = _bench(tmp_path, "--articles", "20", "--json", "--peer-python", str(fake), "--sections", "ingest")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["peer"] == "fake peer" and figures["peer_articles_per_s"] == 5.0
    assert figures["peer_direct_quotes"] == 7 and figures["peer_failed_articles"] == 1
    assert abs(figures["ingest_peer_ratio"] - figures["ingest_articles_per_s"] / 5.0) < 0.01


def test_bench_refuses_an_unknown_section(tmp_path):
    done = _bench(tmp_path, "--articles", "5", "--sections", "ingest,nope")
    assert done.returncode == 2
    assert "nope" in done.stderr and "Traceback" not in done.stderr
