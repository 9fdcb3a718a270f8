#!/usr/bin/env python3
"""Score briefs.extract on the annotated dev set (../shared/eval) with its score.py.

    python scripts/eval.py            # the scorer's table and summary
    python scripts/eval.py --loo      # + leave-one-outlet-out rows and articles/second
    python scripts/eval.py --dump F   # + the scorer's per-article error dump

The eval folder is `<repo>/../shared/eval`, or NEWSBRIEF_EVAL_DIR. When it is
absent the script says "skipped" and exits 0. Evaluation only: nothing from
the eval set is copied into the project.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefs.extract import extract  # noqa: E402
from briefs.parse import read_path  # noqa: E402


def eval_dir() -> Path:
    env = os.environ.get("NEWSBRIEF_EVAL_DIR")
    return Path(env) if env else (ROOT / ".." / "shared" / "eval").resolve()


def predict(articles_dir: Path) -> tuple[list[dict], float, int]:
    rows = []
    files = sorted(articles_dir.glob("*.txt"))
    # load the model before the clock starts: throughput is extraction, not start-up
    from briefs.extract import _nlp
    _nlp()
    started = time.perf_counter()
    for path in files:
        parsed = read_path(path)
        quotes = []
        for article in parsed.articles:
            extract(article)
            quotes += [{"text": q.text, "speaker": q.speaker, "kind": q.kind, "start": q.start, "end": q.end}
                       for q in article.quotes]
        rows.append({"id": path.stem, "quotes": quotes})
    return rows, time.perf_counter() - started, len(files)


def score(score_py: Path, gold: Path, rows: list[dict], extra: list[str] = ()) -> tuple[str, dict | None]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        pred = fh.name
    try:
        out = subprocess.run([sys.executable, str(score_py), "--gold", str(gold), "--pred", pred, "--json", *extra],
                             capture_output=True, text=True, check=False)
    finally:
        os.unlink(pred)
    figures = None
    lines = out.stdout.strip().splitlines()
    for line in lines:
        if line.startswith("{"):
            try:
                figures = json.loads(line)
            except json.JSONDecodeError:
                pass
    text = "\n".join(l for l in lines if not l.startswith("{"))
    return text + (("\n" + out.stderr.strip()) if out.returncode else ""), figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loo", action="store_true", help="leave-one-outlet-out rows and throughput")
    ap.add_argument("--dump", help="write the scorer's per-article dump here")
    ap.add_argument("--pred", help="also keep the predictions (JSON Lines) here")
    args = ap.parse_args(argv)
    base = eval_dir()
    gold = base / "ggt-dev" / "gold.jsonl"
    score_py = base / "score.py"
    if not (gold.is_file() and score_py.is_file() and (base / "ggt-dev" / "articles").is_dir()):
        print(f"skipped: {base} not found (set NEWSBRIEF_EVAL_DIR to the folder holding score.py)")
        return 0
    rows, seconds, n = predict(base / "ggt-dev" / "articles")
    if args.pred:
        Path(args.pred).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    extra = ["--dump", args.dump] if args.dump else []
    text, figures = score(score_py, gold, rows, extra)
    print(text)
    if args.loo:
        outlets: dict[str, set[str]] = {}
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                outlets.setdefault(rec.get("outlet") or "?", set()).add(rec["id"])
        print()
        print("leave-one-outlet-out: the extractor has no parameters tuned on this data (fixed rules and")
        print("lexicons), so training on two outlets changes nothing; each row scores the held-out outlet.")
        for outlet, ids in sorted(outlets.items()):
            held = [r for r in rows if r["id"] in ids]
            gold_lines = [l for l in gold.read_text(encoding="utf-8").splitlines() if l.strip() and json.loads(l)["id"] in ids]
            with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
                fh.write("\n".join(gold_lines) + "\n")
                held_gold = Path(fh.name)
            try:
                _, fig = score(score_py, held_gold, held)
            finally:
                os.unlink(held_gold)
            if fig:
                o = fig.get("overall", fig)
                print(f"  held out {outlet:<12} " + " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                                           for k, v in o.items() if not isinstance(v, (dict, list))))
        print(f"\nthroughput: {n} articles in {seconds:.1f} s = {n / seconds:.2f} articles/s (model loaded beforehand)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
