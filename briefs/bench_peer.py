"""The peer's quote extraction, timed: run by `briefs.bench` under the peer's interpreter.

Standalone on purpose (imports nothing from newsbrief): the peer may live in its own
virtual environment (`make bench` builds `.venv-peer` with textacy). Usage:

    python briefs/bench_peer.py TEXTS.json MODEL  ->  one JSON object on stdout

TEXTS.json is a list of strings. For each text: spaCy parse with MODEL, then
textacy's `extract.triples.direct_quotations`. textacy refuses texts with an odd
number of quotation marks (ValueError); those count as failures, not quotes.
"""
from __future__ import annotations

import json
import sys
import time


def main(texts_path: str, model: str) -> dict:
    try:
        import spacy
        import textacy
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        return {"available": False, "reason": f"cannot import the peer ({exc})"}
    texts = json.load(open(texts_path, encoding="utf-8"))
    started = time.perf_counter()
    nlp = spacy.load(model)
    load_seconds = time.perf_counter() - started
    quotes = failures = words = 0
    if texts:
        list(direct_quotations(nlp(texts[0])))  # warm-up, as ours gets one
    started = time.perf_counter()
    for text in texts:
        doc = nlp(text)
        words += len(doc)
        try:
            quotes += sum(1 for _ in direct_quotations(doc))
        except ValueError:  # "unclosed quotation": textacy bails out on the whole text
            failures += 1
    seconds = time.perf_counter() - started
    return {
        "available": True,
        "name": f"textacy {textacy.__version__} extract.triples.direct_quotations, spaCy {spacy.__version__} {model}",
        "articles": len(texts), "seconds": seconds, "load_seconds": load_seconds,
        "quotes": quotes, "failures": failures, "tokens": words,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
