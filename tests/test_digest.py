"""What a digest holds: since the marker, filtered, newest first, budgeted, with a working "More" button."""
import re

import pytest

from briefs.digest import Filters, FilterError, compose, more, parse_callback, remember_filters
from briefs.text import tg_len
from briefs.store import Store
from digest_helpers import make_article


@pytest.fixture
def store():
    s = Store(None)
    yield s
    s.close()


def add(store, n, title, lede, **kw):
    return store.upsert_article(make_article(n, title, lede, **kw))


def test_digest_holds_only_what_came_after_the_marker_newest_first(store):
    add(store, 1, "Old news", "Before the marker.")
    marker = store.max_seq()
    add(store, 2, "Sanctions widen", "The EU adds names.", quotes=[("We will not back down", "Ursula Example", "direct")])
    add(store, 3, "Oil price falls", "Brent slips.", quotes=[("prices would recover", "Hall Gardner", "indirect")])
    message = compose(store, marker, store.max_seq())
    assert "Old news" not in message.text
    assert message.text.index("Oil price falls") < message.text.index("Sanctions widen")
    assert "2 new articles" in message.text
    assert message.shown == 2 and not message.buttons


def test_direct_quote_in_quotation_marks_reported_never(store):
    a = add(store, 1, "Sanctions widen", "The EU adds names.",
            quotes=[("We will not back down", "Ursula Example", "direct")])
    b = add(store, 2, "Oil price falls", "Brent slips.", quotes=[("prices would recover", "Hall Gardner", "indirect")])
    text = compose(store, 0, store.max_seq()).text
    assert "\u201cWe will not back down\u201d</i> \u2014 Ursula Example" in text
    assert "<i>reported:</i> prices would recover \u2014 Hall Gardner" in text
    assert "\u201cprices would recover" not in text and '"prices would recover' not in text
    assert f"/article_{a.article_id}" in text and f"/article_{b.article_id}" in text


def test_a_direct_quote_is_preferred_as_the_top_quote(store):
    add(store, 1, "Talks", "Talks resume.", quotes=[("talks were useful", "A Person", "indirect"),
                                                    ("We are close", "B Person", "direct")])
    text = compose(store, 0, 1).text
    assert "\u201cWe are close\u201d" in text and "talks were useful" not in text


def test_html_in_articles_is_escaped(store):
    add(store, 1, "Bread & <b>butter</b>", "x < y & z")
    text = compose(store, 0, 1).text
    assert "Bread &amp; &lt;b&gt;butter&lt;/b&gt;" in text and "x &lt; y &amp; z" in text


def test_nothing_new_is_marked_empty(store):
    add(store, 1, "Old", "old")
    message = compose(store, 1, 1)
    assert message.empty and message.total == 0 and "Nothing new" in message.text


def test_filters_who_and_topic_match_any(store):
    add(store, 1, "Doctorow on talks", "Talks.", quotes=[("Peace is possible", "Gilbert Doctorow", "direct")])
    add(store, 2, "New sanctions package", "The EU agrees on sanctions.")
    add(store, 3, "Football", "A match was played.")
    add(store, 4, "Gardner speaks", "Analysis.", quotes=[("It is late", "Hall Gardner", "direct")])
    message = compose(store, 0, 4, Filters.parse("who:doctorow topic:sanctions"))
    assert "Doctorow on talks" in message.text and "New sanctions package" in message.text
    assert "Football" not in message.text and "Gardner speaks" not in message.text
    assert message.total == 2
    only_gardner = compose(store, 0, 4, Filters.parse('who:"hall gardner"'))
    assert only_gardner.total == 1 and "Gardner speaks" in only_gardner.text
    accent = compose(store, 0, 4, Filters.parse("who:DOCTORÓW"))
    assert accent.total == 1
    part_of_a_word = compose(store, 0, 4, Filters.parse("who:doc"))  # whole name words only
    assert part_of_a_word.total == 0


def test_filter_syntax():
    f = Filters.parse('topic:sanctions who:"Hall Gardner" who:Doctorow')
    assert f.who == ("doctorow", "hall gardner") and f.topics == ("sanctions",)
    assert Filters.parse(f.canonical()) == f
    assert Filters.parse("who:hall_gardner").who == ("hall gardner",)
    assert Filters.parse("who:\u201cHall Gardner\u201d").who == ("hall gardner",)
    assert len(f.key) == 8 and Filters().key == "-"
    # quotation marks inside a value are dropped, so the stored form always reads back
    odd = Filters.parse('who:\u201ca"b c\u201d')
    assert Filters.parse(odd.canonical()) == odd
    for bad in ("where:x", "who:", "sanctions"):
        with pytest.raises(FilterError):
            Filters.parse(bad)


def test_fts_syntax_in_a_topic_cannot_break_the_digest(store):
    add(store, 1, "A title", "A lede about (oil) and gas")
    for topic in ['topic:"oil AND"', "topic:oil*", "topic:-oil", 'topic:"(oil"', "topic:AND(oil", "topic:oil)\"gas"]:
        message = compose(store, 0, 1, Filters.parse(topic))
        assert message.total == 1, topic


def many(store, count, lede_words=30):
    for n in range(1, count + 1):
        add(store, n, f"Headline number {n}", " ".join(["word"] * lede_words) + f" {n}",
            quotes=[(f"Quote {n} " + "x" * 200, f"Speaker {n}", "direct")])


def delivered(store, chat_id, seq_from, seq_to):
    """As the dispatcher records a sent digest: its "More" presses are served to that chat."""
    store.db["deliveries"].insert({"chat_id": chat_id, "local_date": "2026-01-15", "seq_from": seq_from,
                                   "seq_to": seq_to, "articles": seq_to - seq_from, "sent_at": "2026-01-15T08:00:00Z"})


def test_long_digest_stays_under_4096_and_more_pages_through_the_rest(store):
    many(store, 60)
    delivered(store, 1, 0, 60)
    first = compose(store, 0, 60)
    assert tg_len(first.text) <= 4096 and first.buttons
    label, data = first.buttons[0][0]
    assert len(data.encode()) < 64 and label.startswith("More")
    seen = set(re.findall(r"/article_(\d+)", first.text))
    pages = 1
    while first.buttons:
        first = more(store, first.buttons[0][0][1], chat_id=1)
        assert tg_len(first.text) <= 4096
        page_ids = set(re.findall(r"/article_(\d+)", first.text))
        assert not page_ids & seen  # nothing twice
        seen |= page_ids
        pages += 1
    assert seen == {str(i) for i in range(1, 61)} and pages > 2


def test_more_button_keeps_filters_after_a_restart(tmp_path):
    path = tmp_path / "s.db"
    store = Store(path)
    for n in range(1, 40):
        add(store, n, f"Sanctions story {n}" if n % 2 else f"Other story {n}", "word " * 60,
            quotes=[("q" * 250, "Some One", "direct")])
    filters = Filters.parse("topic:sanctions")
    remember_filters(store, filters)
    first = compose(store, 0, store.max_seq(), filters)
    delivered(store, 5, 0, store.max_seq())
    data = first.buttons[0][0][1]
    assert parse_callback(data)[3] == filters.key
    store.close()
    reopened = Store(path)
    page = more(reopened, data, chat_id=5)
    assert "Sanctions story" in page.text and "Other story" not in page.text
    reopened.close()


def test_unknown_callback_data_is_not_a_digest(store):
    assert more(store, "who:1:2") is None
    assert more(store, "dg:" + "9" * 40 + ":1:0:-") is None  # forged: no SQLite overflow
    assert more(store, "dg:\u0661:1:0:-") is None  # a non-ASCII digit
    assert "no longer available" in more(store, "dg:0:5:3:abcdef12").text


def test_console_digest_preview_and_its_more_button(store):
    from briefs.replies import Replies

    many(store, 40)
    replies = Replies(store)
    [first] = replies.answer("digest")
    assert "Headline number 40" in first.text and "Headline number 30" not in first.text  # the latest ten
    assert "/subscribe" in first.text
    [button] = first.buttons[0]
    [page] = replies.press(button.data)
    assert "Headline number 31" in page.text and "expired" not in page.text
    assert "in Telegram" in replies.answer("subscribe", "08:00")[0].text
