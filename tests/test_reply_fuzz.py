"""Command fuzzing: 10,000 random and adversarial arguments to every command through `briefs.replies`,
plus hypothesis-drawn arguments and callback data, over a store holding the ingested seed and hand-made
articles with hostile names and quotes. No answer may raise; every reply must be what Telegram accepts
(tests/telegram_html.py: allowed tags only, balanced and nested, entities escaped, under 4096 UTF-16
code units; callback data at most 64 bytes)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefs.models import Speaker
from briefs.replies import COMMANDS, ReplyContext, answer, press
from conftest import build_seed_store, make_article
from telegram_html import check_replies

pytestmark = pytest.mark.timeout(300)

FUZZ_COUNT = 10_000

# every command answered by briefs.replies, the tappable /article_<id> form, and unknown ones
COMMAND_NAMES = sorted({info.name for info in COMMANDS} | {"start", "article_1", "article_2", "article_999999999999",
                                                          "nope", "WHO", "Search"})

# pieces the arguments are made of
HOSTILE = [
    # FTS5 syntax
    "AND", "OR", "NOT", "NEAR", "NEAR(a b, 3)", "*", "-", "^", '"', "(", ")", ":", "a:b", "title:x", "{a b}:c",
    '"unbalanced', 'bal"anced"', "x*", "^start", "-minus", "a + b", "NOT NOT", "(((", ")))", "''", "'", "`",
    # SQL
    "' OR 1=1 --", "'; DROP TABLE articles; --", "\" OR \"\"=\"", "1; select * from sqlite_master", "%", "_", "\\",
    "union select null", "/*", "*/", "?", "?1", ":name", "@x", "$x",
    # HTML and script
    "<script>alert(1)</script>", "<b>", "</b>", "<i", "&amp;", "&", "&lt;", "&#0;", "&#x110000;", "&nbsp;", "<>",
    "<a href=\"javascript:x\">y</a>", "]]>", "<!--", "-->", "<tg-spoiler>", ">",
    # unusual Unicode
    "\u200f", "\u200e", "\u202e", "\u2066", "\u200d", "\u200b", "\ufeff", "\u2028", "\u2029",
    "👨\u200d👩\u200d👧", "🏳️\u200d🌈", "\U0001F680", "\U0001D54F", "\U00020000", "e\u0301\u0301\u0301", "Z\u0336\u0335\u0334",
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "Дорогой", "東京", "ǅ", "ß", "İ", "ﬁ",
    # NUL and control characters
    "\x00", "\x01", "\x07", "\x08", "\x1b[31m", "\x7f", "\x85", "\t", "\n", "\r\n", "\x0b", "\x0c",
    # numbers and names
    "0", "-1", "+5", "20", "21", "999999999999", "99999999999999999999999", "1e9", "0x10", "٣", "１２", "#1",
    "Doctorow", "doctorow", "Gilbert", "Gardner", "Raffone", "Hall Gardner", "Sputnik", "sanctions", "Russia",
    "O'Brien", "Zoë", "Ní Bhriain", "07:30", "25:00", "Europe/Berlin", "Mars/Base", "+05:30", "who:", "topic:", "all",
    "more:latest:0:5", "who:abc",
]

# hand-made articles whose names, quotes and titles are themselves hostile
HOSTILE_NAMES = [
    'Ann "Q" <b>Bold</b> & Co', "O'Brien AND Smith", "NOT Near*", "\u202eevil\u202c Name", "Zoë\u200d Ørsted",
    "名前 東京", "Bob'); DROP TABLE quotes;--", "Ünï\u0301cödé Person", "Emoji 🚀 Person", "x" * 300,
]


def _hostile_articles():
    base = datetime(2025, 8, 9, 9, 0, tzinfo=timezone.utc)
    out = []
    for i, name in enumerate(HOSTILE_NAMES):
        quote = f'"{HOSTILE[i * 7 % len(HOSTILE)]}" <script>x</script> & {name} says AND OR NOT "unbalanced'
        out.append(make_article(
            f"<i>Title {i}</i> & \"{name}\" NEAR(a b) -x ^y",
            ident=f"hostile{i}", published=base + timedelta(minutes=i),
            speakers=[Speaker(name, f"a <b>description</b> & {name}")],
            quotes=[(name, "direct", quote), (name, "indirect", "that " + quote * 3),
                    (None, "direct", "\u202e" + quote)],
            claims=[(name, quote + " 42% rise in 2025", 0.9), (None, "Outlet & <claims> " + name, 0.4)],
            mentions=[name, "Doctorow"], outlet=f"Out<let> & {i}", section="Wörld & <News>",
            lede=f"Lede with <tags> & {name}. Second.", headings=[f"<h1>{name}</h1>", "AND OR"],
            url="https://example.com/?a=1&b=<2>\"" if i % 2 else "javascript:alert(1)",
        ))
    # one long article: paging and clipping
    long_quote = ("A very long quote with & and <tags> " * 200).strip()
    out.append(make_article("Long one & <more>", ident="long", published=base + timedelta(hours=1),
                            speakers=[Speaker("Long Talker", "x" * 2000)],
                            quotes=[("Long Talker", "direct", long_quote)] * 40,
                            claims=[("Long Talker", long_quote, 0.5)] * 30,
                            headings=["Heading & <b>" * 30] * 40))
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = build_seed_store(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    for article in _hostile_articles():
        store.upsert_article(article)
    yield store
    store.close()


CONTEXTS = [ReplyContext(), ReplyContext(is_admin=True), ReplyContext(tz=ZoneInfo("Asia/Kathmandu")),
            ReplyContext(tz=ZoneInfo("Pacific/Kiritimati"), is_admin=True)]


def random_argument(rng: random.Random) -> str:
    """Adversarial pieces, random code points and sizes up to 10 kB, joined with random separators."""
    roll = rng.random()
    if roll < 0.05:
        return ""
    if roll < 0.10:  # a 10 kB argument
        piece = rng.choice(HOSTILE + ["x", "word ", "é", "😀", '"', "AND "])
        return (piece * (10_240 // max(1, len(piece)) + 1))[:10_240]
    if roll < 0.20:  # random code points of every plane (no surrogates: they cannot come from Telegram)
        return "".join(chr(rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0, 0xD800),
                                      rng.randrange(0xE000, 0x110000)])) for _ in range(rng.randrange(1, 80)))
    parts = [rng.choice(HOSTILE) for _ in range(rng.randrange(1, 9))]
    return rng.choice([" ", "", "  ", "\t", "\n", '"', "*"]).join(parts)


def test_ten_thousand_arguments_to_every_command(store):
    rng = random.Random(20251128)
    failures, kinds = [], set()
    for i in range(FUZZ_COUNT):
        command = COMMAND_NAMES[i % len(COMMAND_NAMES)]
        args = random_argument(rng)
        context = CONTEXTS[i % len(CONTEXTS)]
        try:
            replies = answer(store, command, args, context=context)
            check_replies(replies)
            kinds.add(replies[0].text[:12])
        except Exception as exc:  # noqa: BLE001 -- collect, then report a few
            failures.append((command, args[:200], f"{type(exc).__name__}: {str(exc)[:500]}"))
            if len(failures) >= 10:
                break
    assert not failures, "\n".join(map(repr, failures))
    assert len(kinds) > 30, kinds  # the arguments reached real answers, not only usage lines


def test_every_button_of_every_answer_works(store):
    """Buttons the fuzzed answers carry, pressed: the pages they lead to are valid too."""
    rng = random.Random(5)
    seen: set[str] = set()
    for i in range(600):
        command = COMMAND_NAMES[i % len(COMMAND_NAMES)]
        for reply in answer(store, command, random_argument(rng) if i % 3 else rng.choice(HOSTILE_NAMES + [""])):
            seen.update(button.data for row in reply.buttons for button in row)
    assert any(data.startswith("more:") for data in seen) and any(data.startswith("who:") for data in seen), seen
    for data in sorted(seen):
        replies = press(store, data, context=ReplyContext(is_admin=True))
        check_replies(replies)
        for reply in replies:  # one page further
            for row in reply.buttons:
                for button in row:
                    check_replies(press(store, button.data))


def test_random_callback_data(store):
    rng = random.Random(64)
    prefixes = ["more:latest:", "more:who:", "more:cl:", "more:cl:0:p:", "more:cl:0:t:", "more:sa:", "more:sq:",
                "more:sc:", "more:art:", "who:", "dg:", "dg:1:", "more:", "", ":", "more:art:0:"]
    for _ in range(2000):
        data = rng.choice(prefixes) + random_argument(rng)
        data = data.encode("utf-8")[:64].decode("utf-8", "ignore")  # Telegram hands back at most 64 bytes
        check_replies(press(store, data, context=rng.choice(CONTEXTS)))


# hypothesis: arguments drawn from the hostile pieces and from any text Telegram can carry
_telegram_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
_argument = st.one_of(
    _telegram_text,
    st.lists(st.one_of(st.sampled_from(HOSTILE), _telegram_text), max_size=12).map(" ".join),
    st.tuples(st.sampled_from(HOSTILE), st.integers(1, 2000)).map(lambda t: (t[0] * t[1])[:10_240]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(command=st.sampled_from(COMMAND_NAMES), args=_argument, context=st.sampled_from(CONTEXTS))
@example(command="search", args='"AND* (-', context=CONTEXTS[0])
@example(command="who", args="\x00", context=CONTEXTS[0])
@example(command="claims", args="NEAR(" * 2000, context=CONTEXTS[0])
def test_any_argument_gives_valid_replies(store, command, args, context):
    check_replies(answer(store, command, args, context=context))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=64),
    st.tuples(st.sampled_from(["more:latest", "more:who", "more:cl", "more:sa", "more:sq", "more:sc", "more:art",
                               "who", "dg"]),
              st.one_of(st.integers(-5, 10**10).map(str), st.text(max_size=12)), _argument).map(":".join),
).map(lambda d: d.encode("utf-8")[:64].decode("utf-8", "ignore")))
def test_any_callback_data_gives_valid_replies(store, data):
    check_replies(press(store, data))


def test_the_validator_catches_what_telegram_refuses():
    """The checker itself can fail: each of these is refused."""
    from briefs.replies import Button, Reply

    from telegram_html import problems

    for bad in ["a < b", "a & b", "&nbsp;", "<script>x</script>", "<b>x", "<b><i>x</b></i>", "<code><b>x</b></code>",
                "x" * 4096, "😀" * 2048, "\ud800", "   ", '<a href="">x</a>', '<span class="x">y</span>']:
        assert problems(bad), bad
    for good in ["<b>x</b> &amp; &lt;&gt; &quot; &#128512;", '<a href="https://a.b/?x=1&amp;y=2">s</a>',
                 '<span class="tg-spoiler">s</span>', "<blockquote expandable>q</blockquote>", "😀" * 2047]:
        assert not problems(good), (good, problems(good))
    with pytest.raises(AssertionError):
        check_replies([Reply("ok", ((Button("", "x"),),))])
