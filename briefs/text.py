"""Text helpers shared by every answer: Telegram HTML escaping and Telegram's length."""
from __future__ import annotations

import html


def esc(text: object) -> str:
    """Text for Telegram HTML: &, < and > escaped (quotes need no escaping outside attributes)."""
    return html.escape(str(text), quote=False)


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2
