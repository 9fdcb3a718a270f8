#!/usr/bin/env python3
"""Score briefs.extract on the annotated sets in ../shared/eval with their score.py.

    python scripts/eval.py                 # ggt-dev and polnear/dev: table, speaker accuracy by kind, articles/s
    python scripts/eval.py --set polnear/train --set ggt-dev   # the tuning sets instead
    python scripts/eval.py --dump DIR      # + the scorer's per-article error dump per set
    python scripts/eval.py --loo           # leave-one-outlet-out over the ten outlets (cached parses)
    python scripts/eval.py --cached ...    # rules over cached parses (fast; its articles/s is not extraction's)

The eval folder is `<repo>/../shared/eval`, or NEWSBRIEF_EVAL_DIR. When it is absent the script says
"skipped" and exits 0. Parses for --loo are cached in NEWSBRIEF_PARSE_CACHE (default
~/.cache/newsbrief/parses), never in the repository. Evaluation only: nothing from the eval sets is
copied into the project. polnear/dev is for reporting; tune on polnear/train and ggt-dev.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefs.extract import PARAMS, extract, load_model  # noqa: E402
from briefs.extract import parsing  # noqa: E402
from briefs.parse import read_path  # noqa: E402

REPORT_SETS = ["ggt-dev", "polnear/dev"]
LOO_SETS = ["ggt-dev", "polnear/train"]  # ten outlets: three Canadian, seven US (dev stays for reporting)
KINDS = ["name", "none", "pronoun", "description"]
# The numeric settings re-chosen in every fold of --loo (rules are the same in every fold).
GRID = {
    "scare_max_words": [1, 2],
    "fragment_max_words": [4, 6],
    "verb_window": [80, 160],
}


def eval_dir() -> Path:
    env = os.environ.get("NEWSBRIEF_EVAL_DIR")
    return Path(env) if env else (ROOT / ".." / "shared" / "eval").resolve()


def predict(articles_dir: Path) -> tuple[list[dict], float, int]:
    """The `newsbrief extract --format jsonl` record of each file, the seconds taken and the file count."""
    rows = []
    files = sorted(articles_dir.glob("*.txt"))
    load_model()  # before the clock starts: throughput is extraction, not start-up
    started = time.perf_counter()
    for path in files:
        parsed = read_path(path)
        if not parsed.articles:  # an unreadable file: no predictions (the scorer counts its quotes as missed)
            rows.append({"id": path.stem, "quotes": []})
        for article in parsed.articles:
            rows.append(extract(article).to_json())
    return rows, time.perf_counter() - started, len(files)


def score(score_py: Path, gold: Path, rows: list[dict], extra: list[str] = ()) -> tuple[str, dict | None]:
    """score.py's printed table (with --by-kind) and its JSON figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        pred = fh.name
    try:
        out = subprocess.run([sys.executable, str(score_py), "--gold", str(gold), "--pred", pred, "--json",
                              "--by-kind", *extra], capture_output=True, text=True, check=False)
    finally:
        os.unlink(pred)
    figures = None
    lines = out.stdout.strip().splitlines()
    for line in lines:
        if line.startswith("{"):
            figures = json.loads(line)
    text = "\n".join(line for line in lines if not line.startswith("{"))
    return text + (("\n" + out.stderr.strip()) if out.returncode else ""), figures


def report(base: Path, name: str, dump_dir: str | None, cached: bool = False) -> None:
    folder = base / name
    parsing.PARSE_CACHE = cached_parses(base, name) if cached else None
    try:
        rows, seconds, n = predict(folder / "articles")
    finally:
        parsing.PARSE_CACHE = None
    extra = []
    if dump_dir:  # the scorer's dump and the predictions beside it
        stem = Path(dump_dir) / name.replace("/", "-")
        extra = ["--dump", f"{stem}.jsonl"]
        Path(f"{stem}.pred.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                              encoding="utf-8")
    text, _ = score(base / "score.py", folder / "gold.jsonl", rows, extra)
    print(f"== {name}")
    print(text)
    what = "rules over cached parses" if cached else "one process, model loaded beforehand; parse + rules"
    print(f"throughput: {n} articles in {seconds:.1f} s = {n / seconds:.2f} articles/s ({what})\n")


# -- leave-one-outlet-out ---------------------------------------------------------------------------

def _scorer(score_py: Path):
    """score.py as a module: its own matching and same-person rules."""
    spec = importlib.util.spec_from_file_location("eval_score", score_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cache_file(name: str) -> Path:
    import spacy

    nlp = load_model()
    folder = Path(os.environ.get("NEWSBRIEF_PARSE_CACHE") or Path.home() / ".cache" / "newsbrief" / "parses")
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"{nlp.meta['name']}-{nlp.meta['version']}-spacy{spacy.__version__}-rev{parsing.PIPELINE_REV}"
    return folder / f"{name.replace('/', '-')}-{tag}.spacy"


class _Recorder(dict):
    """A parse cache that keeps nothing in memory and records every parse into a DocBin."""

    def __init__(self, docbin):
        super().__init__()
        self.docbin = docbin

    def __setitem__(self, text, doc):
        self.docbin.add(doc)


def cached_parses(base: Path, name: str) -> dict:
    """paragraph text -> Doc for every block of the set that the extractor parses (built once, then read)."""
    from spacy.tokens import DocBin

    path = _cache_file(name)
    if not path.is_file():
        docbin = DocBin(store_user_data=False)
        parsing.PARSE_CACHE = _Recorder(docbin)
        try:
            predict(base / name / "articles")
        finally:
            parsing.PARSE_CACHE = None
        path.write_bytes(docbin.to_bytes())
    docs = DocBin().from_bytes(path.read_bytes()).get_docs(load_model().vocab)
    return {doc.text: doc for doc in docs}


def _counts(scorer, gold: dict, rows: list[dict]) -> dict:
    """score.py's counts (required quotes only) per outlet, with speaker accuracy by kind."""
    per: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    preds = {r["id"]: [scorer.norm_pred_quote(q) for q in r["quotes"]] for r in rows}
    for aid, rec in gold.items():
        gq, pq = rec.get("quotes") or [], preds.get(aid, [])
        rec_m, prec_m, _ = scorer.match_article(gq, pq, 0.3)
        required = [q for q in gq if not q.get("optional")]
        c = per[rec.get("outlet") or "?"]
        c.update(n_gold=len(required), n_pred=len(pq), tp_gold=len(rec_m), tp_pred=len(prec_m),
                 ref_n=sum(1 for q in required if q.get("reference")))
        for gi, pi in rec_m:
            ref = gq[gi].get("reference")
            if ref:
                ok = bool(pq[pi]["speaker"]) and scorer.same_person(pq[pi]["speaker"], ref)
                kind = scorer.span_kind(gq[gi].get("speaker_span"))
                c.update({"spk_n": 1, "spk_ok": ok, f"n_{kind}": 1, f"ok_{kind}": ok})
    return per


def _figures(c: collections.Counter) -> dict:
    p = c["tp_pred"] / c["n_pred"] if c["n_pred"] else 0.0
    r = c["tp_gold"] / c["n_gold"] if c["n_gold"] else 0.0
    out = {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0,
           "spk": c["spk_ok"] / c["spk_n"] if c["spk_n"] else 0.0,
           "e2e": c["spk_ok"] / c["ref_n"] if c["ref_n"] else 0.0}
    for kind in KINDS:
        out[kind] = (c[f"ok_{kind}"] / c[f"n_{kind}"], c[f"n_{kind}"]) if c[f"n_{kind}"] else None
    return out


def leave_one_outlet_out(base: Path) -> None:
    """Per fold: the grid's settings chosen on nine outlets (quote F1 + speaker accuracy), the tenth scored."""
    scorer = _scorer(base / "score.py")
    sets = []  # (articles folder, gold rows, parse cache)
    for name in LOO_SETS:
        gold = {}
        for line in (base / name / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                gold[rec["id"]] = rec
        sets.append((base / name / "articles", gold, cached_parses(base, name)))
    defaults = dict(PARAMS)
    keys = list(GRID)
    runs = []  # (settings, {outlet: counts})
    started = time.perf_counter()
    try:
        for values in itertools.product(*(GRID[k] for k in keys)):
            PARAMS.update(zip(keys, values))
            per: dict = {}
            for folder, gold, cache in sets:
                parsing.PARSE_CACHE = cache
                rows, _, _ = predict(folder)
                per.update(_counts(scorer, gold, rows))
            runs.append((dict(zip(keys, values)), per))
    finally:
        PARAMS.clear()
        PARAMS.update(defaults)
        parsing.PARSE_CACHE = None

    def pooled(per: dict, outlets) -> collections.Counter:
        total = collections.Counter()
        for outlet in outlets:
            total.update(per[outlet])
        return total

    def objective(run, outlets) -> float:
        f = _figures(pooled(run[1], outlets))
        return f["F1"] + f["spk"]

    outlets = sorted(runs[0][1])
    print(f"leave-one-outlet-out over {len(outlets)} outlets ({' + '.join(LOO_SETS)}; {len(runs)}-point grid over "
          f"{', '.join(keys)}, chosen on the other nine by quote F1 + speaker accuracy; required quotes only)")
    print(f"{'held out':<14}{'P':>7}{'R':>7}{'F1':>7}{'spk':>7}{'e2e':>7}  " +
          "".join(f"{k:>16}" for k in KINDS) + "  chosen")
    worst = None
    for held in outlets:
        rest = [o for o in outlets if o != held]
        best = max(runs, key=lambda run: objective(run, rest))
        f = _figures(best[1][held])
        kinds = "".join(f"{f[k][0]:>10.3f} ({f[k][1]:>3})" if f[k] else f"{'-':>16}" for k in KINDS)
        changed = {k: v for k, v in best[0].items() if v != defaults[k]} or "= defaults"
        print(f"{held:<14}{f['P']:>7.3f}{f['R']:>7.3f}{f['F1']:>7.3f}{f['spk']:>7.3f}{f['e2e']:>7.3f}  {kinds}  {changed}")
        if worst is None or f["spk"] < worst[1]:
            worst = (held, f["spk"])
    print(f"worst held-out speaker accuracy: {worst[0]} {worst[1]:.3f}; "
          f"{len(runs)} grid points over {sum(len(s[1]) for s in sets)} articles in {time.perf_counter() - started:.0f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", help="a set under the eval folder (default: ggt-dev, polnear/dev)")
    ap.add_argument("--loo", action="store_true", help="leave-one-outlet-out over the ten outlets instead")
    ap.add_argument("--dump", help="write the scorer's per-article dumps and the predictions into this folder")
    ap.add_argument("--cached", action="store_true", help="read the sets' parses from the cache (for tuning)")
    args = ap.parse_args(argv)
    base = eval_dir()
    if not (base / "score.py").is_file():
        print(f"skipped: {base} not found (set NEWSBRIEF_EVAL_DIR to the folder holding score.py)")
        return 0
    if args.loo:
        leave_one_outlet_out(base)
        return 0
    if args.dump:
        Path(args.dump).mkdir(parents=True, exist_ok=True)
    for name in args.set or REPORT_SETS:
        if (base / name / "gold.jsonl").is_file():
            report(base, name, args.dump, args.cached)
        else:
            print(f"== {name}: skipped (not found under {base})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
