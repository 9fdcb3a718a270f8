"""The store: migrations, WAL, idempotent upserts, corrections that keep their id."""
import sqlite3
from datetime import datetime, timezone

from briefs.models import Article, Block, Quote, Speaker
from briefs.store import Store, fold


def make_article(body="Police said the road is closed.", **fields):
    article = Article(id="a", source="a.txt", text=body, blocks=[Block("lede", 0, len(body))], **fields)
    article.lede = body
    return article


def test_schema_has_the_contract_tables_and_wal(tmp_path):
    store = Store(tmp_path / "s.db")
    names = set(store.db.table_names())
    assert {"articles", "speakers", "quotes", "claims", "mentions"} <= names
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # migrations are recorded, and opening again applies nothing twice
    applied = store.db.execute("select count(*) from _sqlite_migrations").fetchone()[0]
    store.close()
    again = Store(tmp_path / "s.db")
    assert again.db.execute("select count(*) from _sqlite_migrations").fetchone()[0] == applied


def test_same_content_twice_stores_nothing_new(fresh_store):
    first = fresh_store.upsert_article(make_article(title="Road closed"))
    second = fresh_store.upsert_article(make_article(title="Road closed"))
    assert (first.action, second.action) == ("added", "unchanged")
    assert second.article_id == first.article_id
    assert fresh_store.counts()["articles"] == 1


def test_curly_and_straight_quotes_are_the_same_content(fresh_store):
    fresh_store.upsert_article(make_article("\u201cIt\u2019s closed,\u201d police said.", title="Road"))
    result = fresh_store.upsert_article(make_article('"It\'s closed," police said.', title="Road"))
    assert result.action == "unchanged"


def test_correction_with_same_url_keeps_id_and_replaces_parts(fresh_store):
    original = make_article(url="https://example.org/1", title="Road closed")
    original.speakers = [Speaker("police")]
    original.quotes = [Quote("the road is closed", "police", "indirect", 12, 30)]
    first = fresh_store.upsert_article(original)
    corrected = make_article("Police said the road is open again.", url="https://example.org/1", title="Road open")
    second = fresh_store.upsert_article(corrected)
    assert second.action == "replaced"
    assert (second.article_id, second.seq) == (first.article_id, first.seq)
    row = fresh_store.db["articles"].get(first.article_id)
    assert row["title"] == "Road open"
    assert fresh_store.counts()["quotes"] == 0  # the old reading's quotes are gone


def test_correction_with_same_title_and_date(fresh_store):
    when = datetime(2025, 8, 8, 17, 58, tzinfo=timezone.utc)
    first = fresh_store.upsert_article(make_article(title="Talks", published=when))
    second = fresh_store.upsert_article(make_article("Other text.", title="Talks", published=when))
    assert second.action == "replaced" and second.article_id == first.article_id


def test_ingest_sequence_only_grows(fresh_store):
    seqs = [fresh_store.upsert_article(make_article(f"Text number {i}.", title=f"T{i}")).seq for i in range(3)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3


def test_a_failed_article_leaves_nothing_half_written(fresh_store, monkeypatch):
    article = make_article(title="Half")
    article.quotes = [Quote("x", "police", "direct", 0, 1)]

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(fresh_store, "_insert_parts", broken)
    try:
        fresh_store.upsert_article(article)
    except sqlite3.OperationalError:
        pass
    assert fresh_store.counts()["articles"] == 0


def test_fold_ignores_case_accents_and_quote_style():
    assert fold("Zoë  O\u2019Brien") == fold("zoe o'brien") == "zoe o'brien"
