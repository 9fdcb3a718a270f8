"""Building articles for digest tests without the parser or the extractor."""
from __future__ import annotations

from briefs.models import Article, Block, Quote, Speaker


def make_article(n: int, title: str, lede: str, body: str = "", quotes=(), speakers=(), outlet=None, url=None):
    """quotes: (text, speaker, kind); the text is placed in the body so offsets are real."""
    text = f"{title}\n\n{lede}\n"
    blocks = [Block("title", 0, len(title)), Block("lede", len(title) + 2, len(title) + 2 + len(lede))]
    made_quotes = []
    for quote_text, speaker, kind in quotes:
        start = len(text)
        text += quote_text + "\n"
        blocks.append(Block("paragraph", start, start + len(quote_text)))
        made_quotes.append(Quote(quote_text, speaker, kind, start, start + len(quote_text)))
    if body:
        start = len(text)
        text += body + "\n"
        blocks.append(Block("paragraph", start, start + len(body)))
    return Article(
        id=f"a{n}", source=f"a{n}.txt", text=text, blocks=blocks, title=title, lede=lede, outlet=outlet,
        url=url or f"https://example.org/{n}", quotes=made_quotes,
        speakers=[Speaker(s) for s in speakers] or [Speaker(q[1]) for q in quotes if q[1]],
    )
