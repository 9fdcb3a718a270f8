"""The benchmark corpus: deterministic, parseable as the scraper layout, and bulk-insertable."""
from __future__ import annotations

from briefs import benchgen
from briefs.parse import parse_text
from briefs.store import Store


def test_article_i_is_the_same_whatever_the_corpus_size(tmp_path):
    small = benchgen.write_corpus(tmp_path / "small", 5, seed=3)
    large = benchgen.write_corpus(tmp_path / "large", 12, seed=3)
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in large[:5]]
    assert benchgen.scraper_article(4, 0).text != benchgen.scraper_article(3, 0).text


def test_generated_articles_read_as_one_article_each():
    for index in range(60):
        generated = benchgen.scraper_article(1, index)
        parsed = parse_text(generated.text, stem=generated.name, source="gen")
        (article,) = parsed.articles
        title = generated.text.split("\n")[1]
        assert article.title == title and article.published is not None
        stamp = next(b for b in article.blocks if b.kind == "stamp")
        assert all(b.start >= stamp.end for b in article.blocks if b.kind not in ("title", "stamp"))  # the full copy
        written = [line for line in generated.text.split("\n")[8:] if line in benchgen.HEADINGS]
        assert article.headings == written
        body = article.body
        for kind, _, quote in generated.quotes:
            assert quote in body  # the truth is written as it stands in the full copy


def test_the_corpus_has_what_extraction_needs():
    quotes = [q for i in range(200) for q in benchgen.scraper_article(0, i).quotes]
    kinds = {kind for kind, _, _ in quotes}
    assert kinds == {"direct", "indirect"}
    texts = [benchgen.scraper_article(0, i).text for i in range(200)]
    assert any("lists several options:" in t for t in texts)
    assert any("the pundit" in t for t in texts)
    assert any("\u201c" in t for t in texts) and any('"' in t for t in texts)
    sizes = sorted(len(t) for t in texts)
    assert sizes[-1] > 3 * sizes[0]


def test_records_quotes_point_into_their_text():
    for article in benchgen.records(200, seed=5):
        assert article.quotes
        for quote in article.quotes:
            assert article.text[quote.start:quote.end] == quote.text


def _rows(store: Store) -> dict:
    out = {}
    for table in ("articles", "speakers", "quotes", "claims", "mentions"):
        columns = [c.name for c in store.db[table].columns if not c.name.endswith("ingested_at")]
        out[table] = store.db.execute(f"select {', '.join(f'[{c}]' for c in columns)} from {table} order by 1, 2").fetchall()
    return out


def test_bulk_insert_stores_what_upsert_stores(tmp_path):
    articles = list(benchgen.records(120, seed=9))
    one_by_one = Store(tmp_path / "a.db")
    for article in articles:
        one_by_one.upsert_article(article)
    bulk = Store(tmp_path / "b.db")
    assert bulk.bulk_insert(articles, batch_size=50) == 120
    assert _rows(bulk) == _rows(one_by_one)
    assert bulk.bulk_insert(articles[:10]) == 0  # already there: skipped
    word = articles[0].quotes[0].text.split()[-1]
    query = "select count(*) from quotes_fts where quotes_fts match ?"
    assert bulk.db.execute(query, [f'"{word}"']).fetchone() == one_by_one.db.execute(query, [f'"{word}"']).fetchone()
    assert bulk.db.execute(query, [f'"{word}"']).fetchone()[0] > 0
