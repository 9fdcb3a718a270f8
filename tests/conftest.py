"""Shared fixtures: stores (fresh, seeded), a hand-made article factory, and the Bot API test server.

Unit tests use the seed's hand-made reading (`build_gold_store`, `seeded_store`).
The acceptance-level tests (`newsbrief ask`, the end-to-end bot) use
`build_seed_store` alone: the seed file through the real parser and extractor.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from briefs.models import Article, Claim, Quote, Speaker  # noqa: E402
from briefs.store import Store  # noqa: E402

from seed_reading import seed_article  # noqa: E402

pytest_plugins = ["e2e.fixtures"]

FIXTURES = TESTS / "fixtures"
SEED = FIXTURES / "000_b658156dfc43a267.txt"


def build_gold_store(path: Path | str | None) -> Store:
    """A store holding the seed article's expected reading (gold.json, hand-made): stable, for unit tests."""
    store = Store(path)
    store.upsert_article(seed_article())
    return store


_seed_cache: dict[str, Path] = {}


def build_seed_store(path: Path | str) -> Store:
    """The store the acceptance-level tests serve (`newsbrief ask`, the end-to-end bot): the seed file
    ingested by the real parser and extractor, as `newsbrief ingest` does. The one place to change.

    The extraction runs once per test session; later calls copy that store file.
    (`build_gold_store` gives the hand-made reading instead.)
    """
    import shutil
    import tempfile

    from briefs.ingest import ingest_paths

    if "file" not in _seed_cache:
        folder = Path(tempfile.mkdtemp(prefix="newsbrief-seed-"))
        store = Store(folder / "seed.db")
        report = ingest_paths(store, [SEED])
        assert report.added == 1 and not report.failed, report.summary()
        store.close()
        _seed_cache["file"] = folder / "seed.db"
    shutil.copyfile(_seed_cache["file"], path)
    return Store(path)


@pytest.fixture
def fresh_store(tmp_path) -> Store:
    """An empty store in a file of its own (migrations applied)."""
    store = Store(tmp_path / "fresh.db")
    yield store
    store.close()


@pytest.fixture
def seeded_store(tmp_path) -> Store:
    """The seed's hand-made reading (exact figures, scores and order can be relied on)."""
    store = build_gold_store(tmp_path / "seeded.db")
    yield store
    store.close()


@pytest.fixture
def seeded_db_path(tmp_path) -> Path:
    """The path of a closed store file holding the seed as `build_seed_store` puts it in (for subprocesses)."""
    path = tmp_path / "seeded.db"
    build_seed_store(path).close()
    return path


def make_article(
    title: str = "A title",
    *,
    ident: str = "hand",
    published: datetime | None = datetime(2025, 8, 8, 12, 0, tzinfo=timezone.utc),
    text: str | None = None,
    speakers: list[Speaker] | None = None,
    quotes: list[tuple[str | None, str, str]] | None = None,  # (speaker, kind, text)
    claims: list[tuple[str | None, str, float]] | None = None,  # (speaker or None for the outlet, text, score)
    mentions: list[str] | None = None,
    outlet: str | None = "Sputnik",
    section: str | None = "World",
    lede: str | None = "A lede sentence. A second one.",
    headings: list[str] | None = None,
    url: str | None = None,
) -> Article:
    """A hand-made article; quote and claim texts are appended to the text so offsets are real."""
    body = text if text is not None else f"{title}\n{lede or ''}\n"
    quote_objs: list[Quote] = []
    for speaker, kind, quote_text in quotes or []:
        start = len(body)
        body += quote_text + "\n"
        quote_objs.append(Quote(quote_text, speaker, kind, start, start + len(quote_text)))
    claim_objs = [
        Claim(claim_text, speaker, "speaker" if speaker else "outlet", score) for speaker, claim_text, score in claims or []
    ]
    return Article(
        id=ident, source=f"{ident}.txt", text=body, title=title, section=section, published=published,
        lede=lede, headings=list(headings or []), outlet=outlet, url=url,
        speakers=list(speakers or []), quotes=quote_objs, claims=claim_objs, mentions=list(mentions or []),
    )


@pytest.fixture
def article_factory():
    return make_article
