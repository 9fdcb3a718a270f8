"""The pieces every reply is made of: Reply, Button, the context, and the small HTML helpers.

Split from briefs/replies.py so that the answers about people (briefs/who.py) share them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from .store import fold
from .text import esc, tg_len

MAX_MESSAGE = 4096
PAGE_BUDGET = 3800  # leaves room for a closing line under MAX_MESSAGE
MAX_CALLBACK_BYTES = 64
ITEM_CLIP = 900  # one quote or claim is cut here, so that at least one always fits a page
LATEST_DEFAULT, LATEST_MAX = 5, 20


# -- what a reply is ----------------------------------------------------------

@dataclass(frozen=True)
class Button:
    label: str
    data: str  # callback data, under 64 bytes

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    text: str  # Telegram HTML
    buttons: tuple[tuple[Button, ...], ...] = ()  # rows of buttons


@dataclass(frozen=True)
class ReplyContext:
    """Who asked, as far as the answers care."""

    tz: tzinfo = timezone.utc  # the chat's time zone (or the default one)
    is_admin: bool = False


# -- small helpers ------------------------------------------------------------

def clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'‘A-Z0-9])")


def first_sentence(text: str | None, limit: int = 220) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return clip(_SENTENCE_END.split(text, maxsplit=1)[0], limit)


def quote_html(text: str, kind: str, limit: int = ITEM_CLIP, lead: str | None = None) -> str:
    """A direct quote in quotation marks; a reported one never, with its negating verb if it has one."""
    body = esc(clip(text.strip().strip("\"“”"), limit))
    if kind == "direct":
        return f"“{body}”"
    return f"<i>reported:</i> {esc(lead) + ' ' if lead else ''}{body}"


def claim_html(claim, limit: int = 600) -> str:
    """A claim's text; in quotation marks when it restates a direct quote (a direct quote is always marked)."""
    body = esc(clip(claim.text.strip(), limit))
    return f"“{body}”" if getattr(claim, "kind", None) == "direct" else body


def claimed_html(who: str, claim, limit: int = 600) -> str:
    """"<b>X</b> rules out Y" for a reported claim with its verb, else "<b>X</b>: Y" (who is HTML)."""
    lead = getattr(claim, "lead", None)
    return f"{who} {esc(lead)} {claim_html(claim, limit)}" if lead else f"{who}: {claim_html(claim, limit)}"


def when(published: str | None, tz: tzinfo, *, with_time: bool = True) -> str:
    if not published:
        return "undated"
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return esc(published)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(tz)
    text = f"{local.day} {local:%b %Y}"
    if with_time:
        text += f", {local:%H:%M} {local.tzname() or ''}".rstrip()
    return text


def outlet_voice(outlet: str | None) -> str:
    return f"{outlet}’s own voice" if outlet else "the outlet’s own voice"


def parse_command(text: str) -> tuple[str | None, str, str | None]:
    """"/who@NewsBot  Doctorow" -> ("who", "Doctorow", "NewsBot"); plain text -> (None, text, None)."""
    text = (text or "").strip()
    match = re.match(r"^/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+|$)", text)
    if not match:
        return None, text, None
    return match[1].lower(), text[match.end():].strip(), match[2]


def _is_number(text: str, max_digits: int) -> bool:
    """ASCII digits only, and few enough to stay a small SQLite integer."""
    return text.isascii() and text.isdigit() and len(text) <= max_digits


def _fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES


def _more(data: str, label: str = "More") -> tuple[tuple[Button, ...], ...]:
    """A "More" button row; none when the data cannot fit (a very long search: the text says so)."""
    return ((Button(label, data),),) if _fits(data) else ()


def _paged(text: str, data: str | None, label: str = "More") -> Reply:
    if data is None:
        return Reply(text)
    if _fits(data):
        return Reply(text, ((Button(label, data),),))
    return Reply(text + "\n\n<i>There is more: use fewer words to page through it.</i>")


def _words_arg(text: str) -> str:
    """User words as carried in callback data: folded, plain words only, space-separated."""
    return " ".join(re.findall(r"\w+", fold(text))[:12])


def _pack(head: str, items: list[str], budget: int = PAGE_BUDGET) -> tuple[str, int]:
    """`head` then as many items as fit; always at least one item (items are clipped to fit)."""
    text, used = head, 0
    for item in items:
        candidate = f"{text}\n\n{item}" if text else item
        if tg_len(candidate) > budget and used:
            break
        text, used = candidate, used + 1
    return text, used


def _article_ref(title: str | None, published: str | None, article_id: int, tz: tzinfo) -> str:
    return f"<i>{esc(clip(title or 'Untitled', 120))}</i>, {when(published, tz, with_time=False)} · /article_{article_id}"


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
