"""briefs.replies: what a user reads for each command, over the seed reading and hostile hand-made articles."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from briefs.models import Speaker
from briefs.replies import (
    COMMANDS, MAX_CALLBACK_BYTES, MAX_MESSAGE, Reply, ReplyContext, Replies, answer, parse_command, replies_for, tg_len,
)
from conftest import make_article

from seed_reading import QUOTES


def plain(replies: list[Reply]) -> str:
    return "\n---\n".join(html.unescape(re.sub(r"<[^>]*>", "", r.text)) for r in replies)


def buttons(replies: list[Reply]):
    return [b for r in replies for row in r.buttons for b in row]


_ALLOWED_TAGS = {"b", "i", "code", "a", "u", "s", "pre"}


def assert_valid(replies: list[Reply]) -> None:
    """Every message: under 4096, only Telegram tags and balanced, no raw '<' or '&' of the data, buttons fit."""
    assert replies
    for reply in replies:
        assert reply.text.strip()
        assert tg_len(reply.text) < MAX_MESSAGE
        stack = []
        for closing, tag in re.findall(r"<(/?)([a-z]+)[^>]*>", reply.text):
            assert tag in _ALLOWED_TAGS, reply.text
            if closing:
                assert stack and stack.pop() == tag, reply.text
            else:
                stack.append(tag)
        assert not stack, reply.text
        no_tags = re.sub(r"</?(?:b|i|code|a|u|s|pre)(?: href=\"[^\"]*\")?>", "", reply.text)
        assert "<" not in no_tags and ">" not in no_tags, reply.text
        assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;)", no_tags), reply.text
        for row in reply.buttons:
            for button in row:
                assert 0 < len(button.data.encode("utf-8")) <= MAX_CALLBACK_BYTES
                assert button.label


@pytest.fixture
def replies(seeded_store) -> Replies:
    return Replies(seeded_store)


def ask(replies: Replies, text: str, ctx: ReplyContext | None = None) -> list[Reply]:
    out = replies.answer_text(text, ctx)
    assert_valid(out)
    return out


# -- /start, /help, unknown --------------------------------------------------------

def test_help_lists_each_command_with_an_example(replies):
    text = plain(ask(replies, "/help"))
    for info in COMMANDS:
        if info.admin:
            continue
        assert f"/{info.name}" in text
        assert info.example_for(replies.examples()) in text
    assert "/stats" not in text
    assert "/stats" in plain(ask(replies, "/help", ReplyContext(is_admin=True)))


def test_start_greets_and_points_to_help(replies):
    text = plain(ask(replies, "/start"))
    assert "/help" in text and "/who" in text


def test_unknown_command_and_plain_text_get_a_short_hint(replies):
    assert "/help" in plain(ask(replies, "/frobnicate now"))
    assert "/help" in plain(ask(replies, "hello there"))
    hostile = plain(ask(replies, "/<b>x"))
    assert "/help" in hostile


def test_parse_command_handles_bot_mentions():
    assert parse_command("/who@NewsBot  Doctorow ") == ("who", "Doctorow", "NewsBot")
    assert parse_command("/LATEST") == ("latest", "", None)
    assert parse_command("just text") == (None, "just text", None)
    assert parse_command("/article_12") == ("article_12", "", None)


# -- /who -------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["doctorow", "Gilbert", "DOCTOROW", "Gilbert Doctorow", "Dóctorow", "gilbert doktorow"])
def test_who_finds_doctorow(replies, typed):
    text = plain(ask(replies, f"/who {typed}"))
    assert text.startswith("Gilbert Doctorow")
    assert "international relations and Russian affairs analyst" in text
    assert "“The United States and its allies have no strategic 'cards' to play against Russia”" in text
    assert "Russia Holds All Cards in Trump Talks" in text and "8 Aug 2025" in text


@pytest.mark.parametrize("typed,name", [("raffone", "Paolo Raffone"), ("Gardener", "Hall Gardner"),
                                        ("gardner", "Hall Gardner"), ("kremlin", "the Kremlin")])
def test_who_fuzzy_and_accent_insensitive(replies, typed, name):
    assert plain(ask(replies, f"/who {typed}")).startswith(name)


def test_who_gardner_direct_quotes_in_marks_reported_without(replies):
    text = plain(ask(replies, "/who gardner"))
    assert "Professor and Chair of the Department of International and Comparative Politics" in text
    direct = [t for s, k, t in QUOTES if s == "Hall Gardner" and k == "direct"]
    reported = [t for s, k, t in QUOTES if s == "Hall Gardner" and k == "indirect"]
    assert len(direct) == 3 and len(reported) == 1
    folded = text.replace("’", "'")
    for quote in direct:
        assert f"“{quote}”" in folded
    for quote in reported:
        assert quote in folded
        line = next(line for line in folded.splitlines() if quote in line)
        assert "“" not in line and "”" not in line and '"' not in line
    assert "Quoted in 1 article (4 quotes)" in text


def test_who_orders_quotes_newest_first(fresh_store):
    old = make_article("Old talks", ident="old", published=datetime(2024, 1, 1, tzinfo=timezone.utc),
                       speakers=[Speaker("Ann Example", "an economist")], quotes=[("Ann Example", "direct", "Old words")])
    new = make_article("New talks", ident="new", published=datetime(2025, 1, 1, tzinfo=timezone.utc),
                       speakers=[Speaker("Ann Example", "a senior economist")], quotes=[("Ann Example", "direct", "New words")])
    fresh_store.upsert_article(old)
    fresh_store.upsert_article(new)
    text = plain(ask(Replies(fresh_store), "/who ann"))
    assert text.index("New words") < text.index("Old words")
    assert "a senior economist" in text  # the newest description
    assert "Quoted in 2 articles (2 quotes)" in text


def test_bare_who_lists_most_quoted_with_buttons(replies):
    out = ask(replies, "/who")
    text = plain(out)
    assert text.index("Gilbert Doctorow") < text.index("Hall Gardner") < text.index("the Kremlin")
    labels = [b.label for b in buttons(out)]
    assert "Hall Gardner" in labels
    pressed = replies.press(next(b.data for b in buttons(out) if b.label == "Hall Gardner"))
    assert_valid(pressed)
    assert plain(pressed).startswith("Hall Gardner")


def test_who_several_matches_offers_buttons(fresh_store):
    for i, name in enumerate(["Anna Smith", "John Smith"]):
        fresh_store.upsert_article(make_article(f"T{i}", ident=f"a{i}", speakers=[Speaker(name)],
                                                quotes=[(name, "direct", f"words {i}")]))
    replies = Replies(fresh_store)
    out = ask(replies, "/who smith")
    assert "Several people" in plain(out)
    labels = sorted(b.label for b in buttons(out))
    assert labels == ["Anna Smith", "John Smith"]
    chosen = replies.press(next(b.data for b in buttons(out) if b.label == "John Smith"))
    assert plain(chosen).startswith("John Smith") and "“words 1”" in plain(chosen)


def test_who_unknown_offers_closest_names(replies):
    out = ask(replies, "/who Gardenr Hal")
    assert plain(out).startswith("Hall Gardner")  # still close enough to be one match
    out = ask(replies, "/who Doctor Who")
    assert "Gilbert Doctorow" in plain(out)
    nothing = plain(ask(replies, "/who Zzyzx"))
    assert "No one called “Zzyzx”" in nothing


def test_who_mentioned_but_never_quoted_says_so_and_where(replies):
    text = plain(ask(replies, "/who putin"))
    assert "Vladimir Putin is mentioned in 1 article but never quoted" in text
    assert "Russia Holds All Cards in Trump Talks" in text and "/article_1" in text


def test_who_pages_with_more_button_that_survives_a_restart(fresh_store):
    quotes = [("Bo Talker", "direct" if i % 2 else "indirect", f"Statement number {i} " + "blah " * 60) for i in range(40)]
    fresh_store.upsert_article(make_article("Many words", speakers=[Speaker("Bo Talker", "talks")], quotes=quotes))
    first = ask(Replies(fresh_store), "/who talker")
    more = [b for b in buttons(first) if b.label == "More"]
    assert more
    seen = plain(first)
    data = more[0].data
    pages = 1
    while data:
        page = Replies(fresh_store).press(data)  # a new Replies: nothing kept in memory between presses
        assert_valid(page)
        seen += plain(page)
        pages += 1
        data = next((b.data for b in buttons(page) if b.label == "More"), None)
        assert pages < 20
    for i in range(40):
        assert f"Statement number {i} " in seen
    assert pages > 2


# -- hostile names and texts ---------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & Co <b>bold</b> &amp; ' + "😀" * 3


def test_hostile_names_and_texts_are_escaped(fresh_store):
    name = "Zed <Evil> & \"Sons\""
    article = make_article(
        HOSTILE, speakers=[Speaker(name, HOSTILE)], quotes=[(name, "direct", HOSTILE), (name, "indirect", HOSTILE)],
        claims=[(name, HOSTILE, 0.9), (None, HOSTILE, 0.8)], mentions=[name], outlet="<Out&let>", section="<s>",
        lede=HOSTILE, headings=[HOSTILE], url='https://x.test/?a=1&b="2"',
    )
    fresh_store.upsert_article(article)
    replies = Replies(fresh_store)
    for command in ["/who zed", "/who sons", "/latest", "/claims", "/claims script", "/search script alert",
                    "/article 1", f"/who {HOSTILE}", f"/search {HOSTILE}", f"/claims {HOSTILE}", "/who"]:
        out = ask(replies, command)
        assert "<script>" not in "".join(r.text for r in out)
    assert "<Out&let>’s own voice" in plain(ask(replies, "/claims"))
    assert "Zed <Evil>" in plain(ask(replies, "/who zed"))


def test_long_texts_stay_under_the_limit(fresh_store):
    huge = "word " * 5000
    speakers = [Speaker(f"Person{i} Longname", huge) for i in range(30)]
    quotes = [(f"Person{i} Longname", "direct", huge) for i in range(30)]
    for i in range(25):
        fresh_store.upsert_article(make_article(f"Title {i} " + huge[:900], ident=f"h{i}", lede=huge, headings=[huge] * 40,
                                                speakers=speakers, quotes=quotes,
                                                claims=[(None, huge, 0.5)] * 30, mentions=[huge[:300]]))
    replies = Replies(fresh_store)
    for command in ["/latest 20", "/who person1", "/claims", "/search word", "/article 3", "/who", "/who longname"]:
        ask(replies, command)


def test_long_person_names_get_short_callback_data(fresh_store):
    name = "Ñandú " + "Very-Long-Name " * 12
    fresh_store.upsert_article(make_article("T", speakers=[Speaker(name)], quotes=[(name, "direct", "x " * 3000)] * 30))
    replies = Replies(fresh_store)
    out = ask(replies, "/who ñandu")
    assert buttons(out)
    for button in buttons(out) + buttons(ask(replies, "/who")):
        assert len(button.data.encode()) <= 64
        assert_valid(replies.press(button.data))


# -- /latest -------------------------------------------------------------------------

def test_latest_shows_title_date_section_lede_quoted_and_link(replies):
    text = plain(ask(replies, "/latest"))
    assert "Russia Holds All Cards in Trump Talks" in text
    assert "8 Aug 2025, 17:58 UTC" in text
    assert "International" in text and "Sputnik" in text
    assert "The Kremlin says a meeting between" in text and "upper hand" not in text  # one sentence
    assert "Paolo Raffone" in text and "Gilbert Doctorow" in text
    assert "/article_1" in text


def test_latest_dates_in_the_chat_time_zone(replies):
    text = plain(ask(replies, "/latest", ReplyContext(tz=ZoneInfo("Asia/Kolkata"))))
    assert "8 Aug 2025, 23:28 IST" in text
    text = plain(ask(replies, "/latest", ReplyContext(tz=timezone(timedelta(hours=5, minutes=45)))))
    assert "23:43" in text


def test_latest_n_bounds_and_paging(fresh_store):
    for i in range(30):
        fresh_store.upsert_article(make_article(f"Story {i:02d}", ident=f"s{i}",
                                                published=datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(days=i)))
    replies = Replies(fresh_store)
    assert plain(ask(replies, "/latest")).count("Story") == 5
    assert plain(ask(replies, "/latest 500")).count("Story") == 20
    assert plain(ask(replies, "/latest 0")).count("Story") == 1
    assert "Usage" in plain(ask(replies, "/latest lots"))
    first = ask(replies, "/latest 3")
    assert [line for line in plain(first).splitlines() if "Story" in line][0].endswith("Story 29")
    older = replies.press(buttons(first)[0].data)
    assert_valid(older)
    assert "Story 26" in plain(older) and "Story 29" not in plain(older)


def test_latest_on_an_empty_store(fresh_store):
    assert "No articles yet" in plain(ask(Replies(fresh_store), "/latest"))


# -- /claims -------------------------------------------------------------------------

def test_claims_names_who_claims_what(replies):
    out = ask(replies, "/claims")
    text = plain(out)
    assert "Sputnik’s own voice: On July 31, strategic Chasov Yar" in text
    assert "Paolo Raffone claims: “Russian military territorial gains" in text
    assert text.index("Chasov Yar in the Donetsk") < text.index("Krasnoarmeysk (Pokrovsk) is encircled")  # by score
    assert "Russia Holds All Cards in Trump Talks" in text
    more = [b for b in buttons(out) if b.label == "More"]
    assert more
    data, rest = more[0].data, ""
    for _ in range(10):
        page = replies.press(data)
        assert_valid(page)
        rest += plain(page)
        data = next((b.data for b in buttons(page) if b.label == "More"), None)
        if data is None:
            break
    assert "aren’t the only factor" in rest  # the least check-worthy claim comes last
    assert "On July 31" not in rest


def test_claims_by_speaker_and_topic(replies):
    text = plain(ask(replies, "/claims Doctorow"))
    assert "Claims by Gilbert Doctorow" in text and "Sputnik’s own voice" not in text
    text = plain(ask(replies, "/claims sanctions"))
    assert "Gradual lifting of sanctions" in text and "Paolo Raffone" in text
    assert "No claims about" in plain(ask(replies, "/claims zzzqqq"))


def test_claims_outlet_unknown(fresh_store):
    fresh_store.upsert_article(make_article("T", outlet=None, claims=[(None, "The sky is green", 0.9)]))
    assert "the outlet’s own voice: The sky is green" in plain(ask(Replies(fresh_store), "/claims"))


# -- /search -------------------------------------------------------------------------

def test_search_covers_articles_quotes_and_claims(replies):
    text = plain(ask(replies, "/search Chasov Yar"))
    assert "Articles" in text and "Quotes" in text and "Claims" in text
    assert "Hall Gardner" in text and "/article_1" in text


@pytest.mark.parametrize("hostile", ['"', '"unbalanced', "AND", "OR NOT", "*", "-", "(", ")", "a AND (b OR", "NEAR(a b)",
                                     "col:val", "^start", "'; drop table articles; --", "\\", "\x00", "🙂", "a" * 5000,
                                     "sanctions*", "-sanctions", "\"sanctions\" AND trade"])
def test_search_never_fails_on_fts_syntax(replies, hostile):
    text = plain(ask(replies, f"/search {hostile}"))
    assert text
    assert replies.store.counts()["articles"] == 1


def test_search_without_words_gives_usage(replies):
    assert "Usage" in plain(ask(replies, "/search"))
    assert "Usage" in plain(ask(replies, "/search ()*"))


def test_search_paging(fresh_store):
    for i in range(12):
        fresh_store.upsert_article(make_article(f"Sanctions story {i}", ident=f"x{i}",
                                                quotes=[("Q Person", "direct", f"sanctions quote {i}")]))
    replies = Replies(fresh_store)
    out = ask(replies, "/search sanctions")
    labels = {b.label: b.data for b in buttons(out)}
    assert "More articles" in labels and "More quotes" in labels
    page = replies.press(labels["More quotes"])
    assert_valid(page)
    assert "sanctions quote 7" in plain(page)


# -- /article ------------------------------------------------------------------------

def test_article_brief(replies):
    text = plain(ask(replies, "/article 1"))
    assert text.startswith("Russia Holds All Cards in Trump Talks")
    assert "Sputnik · International · 8 Aug 2025" in text
    assert "Why does Russia have the upper hand?" in text
    assert "US Has No Cards to Play" in text
    assert "Hall Gardner, Professor and Chair" in text
    assert "“it was not unforeseeable”" in text
    assert plain(ask(replies, "/article_1")) == text


def test_article_pages_carry_the_rest(replies):
    out = ask(replies, "/article 1")
    seen = plain(out)
    data = next((b.data for b in buttons(out) if b.label == "More"), None)
    while data:
        page = replies.press(data)
        assert_valid(page)
        seen += plain(page)
        data = next((b.data for b in buttons(page) if b.label == "More"), None)
    assert "Only after there is agreement" in seen  # the last claim
    assert "A tangible shift in US-Russia relations is possible" in seen


@pytest.mark.parametrize("arg", ["", "abc", "99", "-1", "1; drop", "99999999999999999999"])
def test_article_bad_ids(replies, arg):
    text = plain(ask(replies, f"/article {arg}"))
    assert "Usage" in text or "no article" in text


# -- /stats, buttons -------------------------------------------------------------------

def test_stats_is_for_admins_only(replies):
    assert "admins" in plain(ask(replies, "/stats"))
    text = plain(ask(replies, "/stats", ReplyContext(is_admin=True)))
    assert "articles: 1" in text and "quotes: 17" in text


@pytest.mark.parametrize("data", ["", "more", "more:who", "more:who:x:y", "who:", "who:nope", "more:nope:1:x",
                                  "more:art:5:999", "more:cl:0:p:zzz", "more:latest:0:abc", "more:sq:0:", "x" * 64,
                                  "more:art:0:" + "9" * 50, "more:latest:" + "9" * 40 + ":5", "more:who:²:x",
                                  "more:latest:0:" + "9" * 40, "more:art:0:²", "more:sa:99999999999:x"])
def test_stale_or_forged_buttons_get_an_answer(replies, data):
    assert_valid(replies.press(data))


def test_module_level_answer(seeded_store):
    assert "Gilbert Doctorow" in plain(answer(seeded_store, "who", "doctorow"))


def test_name_index_follows_new_and_corrected_articles(fresh_store, tmp_path):
    from briefs.store import Store

    replies = Replies(fresh_store)
    assert "No one called" in plain(ask(replies, "/who newcomer"))
    fresh_store.upsert_article(make_article("First", ident="f", url="https://x.test/1",
                                            speakers=[Speaker("Old Name")], quotes=[("Old Name", "direct", "v1")]))
    assert plain(ask(replies, "/who old name")).startswith("Old Name")
    # a correction (same URL) replaces the speakers; their rowids may be reused
    fresh_store.upsert_article(make_article("First, corrected", ident="f", url="https://x.test/1",
                                            speakers=[Speaker("Nia Newcomer")], quotes=[("Nia Newcomer", "direct", "v2")]))
    assert plain(ask(replies, "/who newcomer")).startswith("Nia Newcomer")
    # written by another connection (an ingest process)
    other = Store(fresh_store.db.conn.execute("pragma database_list").fetchone()[2])
    other.upsert_article(make_article("Second", ident="s", speakers=[Speaker("Ola Outsider")],
                                      quotes=[("Ola Outsider", "indirect", "v3")]))
    other.close()
    assert plain(ask(replies, "/who outsider")).startswith("Ola Outsider")


def test_claims_restating_quotes_keep_the_quote_marks_rule(replies):
    """A claim that restates a direct quote is shown in quotation marks; one restating reported speech never."""
    for command in ["/claims", "/claims gardner", "/who gardner", "/article 1", "/search Chasov Yar"]:
        seen = ""
        out = ask(replies, command)
        seen += plain(out)
        for b in buttons(out):
            if b.label.startswith("More"):
                seen += plain(replies.press(b.data))
        seen = seen.replace("’", "'")
        for speaker, kind, text in QUOTES:
            for line in (line for line in seen.splitlines() if text in line):
                if kind == "direct":
                    assert f"“{text}”" in line, (command, line)
                else:
                    assert "“" not in line and "”" not in line, (command, line)


def test_who_lists_claims_that_are_not_just_quotes(fresh_store):
    fresh_store.upsert_article(make_article(
        "T", speakers=[Speaker("Cy Claimer", "a pundit")], quotes=[("Cy Claimer", "direct", "We will win")],
        claims=[("Cy Claimer", "We will win", 0.4), ("Cy Claimer", "Exports doubled in 2024", 0.9)]))
    text = plain(ask(Replies(fresh_store), "/who claimer"))
    assert "Claims: 2, most check-worthy first: /claims Cy Claimer" in text
    assert "• Exports doubled in 2024 [0.90]" in text
    assert text.count("We will win") == 1
    assert "Cy Claimer claims: Exports doubled" in plain(ask(Replies(fresh_store), "/claims Cy Claimer"))


def test_cached_answers_follow_the_store(fresh_store):
    replies = Replies(fresh_store)
    assert "No one is quoted yet" in plain(ask(replies, "/who"))
    assert "No claims yet" in plain(ask(replies, "/claims"))
    fresh_store.upsert_article(make_article("T", speakers=[Speaker("Di Fresh")], quotes=[("Di Fresh", "direct", "hi")],
                                            claims=[("Di Fresh", "Prices fell", 0.5)]))
    assert "Di Fresh" in plain(ask(replies, "/who"))
    assert "Prices fell" in plain(ask(replies, "/claims"))


@pytest.mark.parametrize("command", ["/start", "/help", "/latest", "/who", "/who x", "/claims", "/claims x",
                                     "/search x", "/search", "/article 1", "/article", "/stats", "/nope", "text"])
def test_every_command_on_an_empty_store(fresh_store, command):
    ask(Replies(fresh_store), command, ReplyContext(is_admin=True))


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_texts.filter(lambda s: s.strip()), quote=_texts, typed=_texts, page=st.integers(0, 10**6))
def test_any_text_gives_valid_replies(name, quote, typed, page):
    from briefs.store import Store

    store = Store(None)
    store.upsert_article(make_article(name, speakers=[Speaker(name, quote)], quotes=[(name, "direct", quote)],
                                      claims=[(name, quote, 0.5), (None, quote, 0.7)], mentions=[name], outlet=name,
                                      lede=quote, headings=[quote]))
    replies = Replies(store)
    for command in (f"/who {name}", f"/who {typed}", f"/search {typed}", f"/claims {typed}", f"/claims {name}",
                    "/latest", "/article 1", "/who", typed):
        ask(replies, command)
    for data in (f"more:who:{page}:{typed}", f"more:art:{page}:1", f"more:sq:{page}:{typed}", f"who:{typed}"):
        if len(data.encode()) <= 64:
            assert_valid(replies.press(data))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.text(max_size=64),
    st.tuples(st.sampled_from(["more:latest", "more:who", "more:cl", "more:sa", "more:sq", "more:sc", "more:art", "who"]),
              st.text(max_size=30), st.text(max_size=30)).map(":".join),
).filter(lambda d: len(d.encode("utf-8", "surrogatepass")) <= 64))
def test_any_callback_data_gets_an_answer(seeded_store, data):
    assert_valid(replies_for(seeded_store).press(data))
