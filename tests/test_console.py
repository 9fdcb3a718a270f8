"""bot.console: the same replies as a person reads them in a terminal."""
import io

from bot.console import Console, render, to_plain
from briefs.replies import Button, Reply, ReplyContext


def test_to_plain_strips_tags_and_unescapes():
    assert to_plain("<b>A &amp; B</b> &lt;x&gt; <i>“q”</i>") == "A & B <x> “q”"


def test_render_separates_messages_and_shows_buttons():
    text = render([Reply("<b>one</b>", ((Button("More", "more:x:1:y"),),)), Reply("two")])
    assert text == "one\n[More]\n---\ntwo"


def test_console_presses_buttons_by_label_or_number(seeded_store):
    console = Console(seeded_store, ReplyContext(is_admin=True))
    listed = render(console.ask("/who"))
    assert "[Hall Gardner]" in listed
    assert render(console.ask("hall gardner")).startswith("Hall Gardner")
    console.ask("/who")
    assert render(console.ask("1")).startswith("Gilbert Doctorow")
    assert "/help" in render(console.ask("something else"))


def test_chat_loop_reads_until_quit(seeded_store):
    lines = iter(["/who doctorow", "", "quit", "/never"])
    out = io.StringIO()
    Console(seeded_store, ReplyContext()).loop(read=lambda prompt: next(lines), out=out)
    assert "Gilbert Doctorow" in out.getvalue()


def test_chat_loop_ends_on_eof(seeded_store):
    def read(prompt):
        raise EOFError

    Console(seeded_store, ReplyContext()).loop(read=read, out=io.StringIO())
