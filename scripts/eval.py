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
    from briefs.extract import load_model
    load_model()
    started = time.perf_counter()
    for path in files:
        parsed = read_path(path)
        if not parsed.articles:  # an unreadable file: no predictions (the scorer counts its quotes as missed)
            rows.append({"id": path.stem, "quotes": []})
        for article in parsed.articles:
            # the `newsbrief extract --format jsonl` record of DESIGN.md; a text file's id is its stem
            rows.append(extract(article).to_json())
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


GRID = {
    "scare_max_words": [1, 2, 3],
    "fragment_max_words": [3, 4, 6],
    "gender_window": [0, 1200],
    "nested_filter": [True, False],
    "verb_window": [80, 160],
}


def _load_scorer(score_py: Path):
    """score.py as a module (its own matching and same-person rules), for the parameter grid."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("ggt_score", score_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _counts(scorer, gold_rows: dict, rows: list[dict], ids: set[str]) -> dict:
    c = {"n_gold": 0, "n_pred": 0, "tp_gold": 0, "tp_pred": 0, "spk_ok": 0, "spk_n": 0, "ref_n": 0}
    preds = {r["id"]: [scorer.norm_pred_quote(q) for q in r["quotes"]] for r in rows}
    for aid in ids:
        gq, pq = gold_rows[aid].get("quotes") or [], preds.get(aid, [])
        rec_m, prec_m, _ = scorer.match_article(gq, pq, 0.3)
        c["n_gold"] += len(gq)
        c["n_pred"] += len(pq)
        c["tp_gold"] += len(rec_m)
        c["tp_pred"] += len(prec_m)
        c["ref_n"] += sum(1 for q in gq if q.get("reference"))
        for gi, pi in rec_m:
            ref = gq[gi].get("reference")
            if ref:
                c["spk_n"] += 1
                c["spk_ok"] += bool(pq[pi]["speaker"]) and scorer.same_person(pq[pi]["speaker"], ref)
    return c


def _figures(c: dict) -> dict:
    p = c["tp_pred"] / c["n_pred"] if c["n_pred"] else 0.0
    r = c["tp_gold"] / c["n_gold"] if c["n_gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f1, "spk": c["spk_ok"] / c["spk_n"] if c["spk_n"] else 0.0,
            "e2e": c["spk_ok"] / c["ref_n"] if c["ref_n"] else 0.0}


def leave_one_outlet_out(base: Path, gold: Path, score_py: Path) -> None:
    """Choose briefs.extract.PARAMS on two outlets (grid, objective F1 + e2e), score the third."""
    import itertools

    import briefs.extract as ex
    import briefs.extract.parsing as parsing

    scorer = _load_scorer(score_py)
    gold_rows = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            gold_rows[rec["id"]] = rec
    outlets: dict[str, set[str]] = {}
    for aid, rec in gold_rows.items():
        outlets.setdefault(rec.get("outlet") or "?", set()).add(aid)
    defaults = dict(ex.PARAMS)
    parsing.PARSE_CACHE = {}
    keys = list(GRID)
    runs = []  # (params, {outlet: counts})
    try:
        for values in itertools.product(*(GRID[k] for k in keys)):
            params = dict(zip(keys, values))
            if params["fragment_max_words"] < params["scare_max_words"]:
                continue
            ex.PARAMS.update(params)
            rows, _, _ = predict(base / "ggt-dev" / "articles")
            runs.append((params, {o: _counts(scorer, gold_rows, rows, ids) for o, ids in outlets.items()}))
    finally:
        ex.PARAMS.clear()
        ex.PARAMS.update(defaults)
        parsing.PARSE_CACHE = None

    def merged(per: dict, names) -> dict:
        total: dict = {}
        for name in names:
            for k, v in per[name].items():
                total[k] = total.get(k, 0) + v
        return total

    print(f"leave-one-outlet-out: the {len(runs)}-point grid over briefs.extract.PARAMS is searched on two")
    print("outlets (objective: quote F1 + end-to-end speaker accuracy); the third is scored with the choice.")
    print("(The rules and lexicons themselves were written looking at errors on all three outlets.)")
    hdr = f"{'held out':<14}{'P':>7}{'R':>7}{'F1':>7}{'spk':>7}{'e2e':>7}  {'| same outlet, shipped defaults':<34}  chosen"
    print(hdr)
    for held in sorted(outlets):
        train = [o for o in outlets if o != held]
        best = max(runs, key=lambda run: (lambda f: f["F1"] + f["e2e"])(_figures(merged(run[1], train))))
        f = _figures(best[1][held])
        d = next(_figures(per[held]) for params, per in runs if params == {k: defaults[k] for k in keys}) \
            if any(params == {k: defaults[k] for k in keys} for params, _ in runs) else None
        dtxt = f"| F1 {d['F1']:.3f} spk {d['spk']:.3f} e2e {d['e2e']:.3f}" if d else ""
        changed = {k: v for k, v in best[0].items() if v != defaults[k]} or "= defaults"
        print(f"{held:<14}{f['P']:>7.3f}{f['R']:>7.3f}{f['F1']:>7.3f}{f['spk']:>7.3f}{f['e2e']:>7.3f}  {dtxt:<34}  {changed}")
    everything = max(runs, key=lambda run: (lambda f: f["F1"] + f["e2e"])(_figures(merged(run[1], list(outlets)))))
    changed = {k: v for k, v in everything[0].items() if v != defaults[k]} or "= defaults"
    print(f"best on all three outlets: {changed}")


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
        print()
        leave_one_outlet_out(base, gold, score_py)
        print(f"\nthroughput: {n} articles in {seconds:.1f} s = {n / seconds:.2f} articles/s "
              f"(one process, model loaded beforehand; parse + rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
