"""Plain-text rendering of an extracted article, for `newsbrief extract --format text`."""
from __future__ import annotations

from .models import Article


def article_as_text(article: Article) -> str:
    lines = [f"== {article.title or '(untitled)'}  [{article.id}]"]
    meta = [article.outlet, article.section, article.published.isoformat() if article.published else None, article.url]
    lines.append("   " + " | ".join(m for m in meta if m))
    if article.lede:
        lines.append(f"lede: {article.lede}")
    for heading in article.headings:
        lines.append(f"heading: {heading}")
    for speaker in article.speakers:
        lines.append(f"speaker: {speaker.name}" + (f" ({speaker.description})" if speaker.description else ""))
    for quote in article.quotes:
        shown = f"\u201c{quote.text}\u201d" if quote.kind == "direct" else quote.text
        lines.append(f"quote [{quote.kind}] {quote.speaker or '?'}: {shown}")
    for claim in article.claims:
        who = claim.speaker if claim.source == "speaker" else "outlet"
        said = f" {claim.lead} {claim.text}" if claim.lead else f": {claim.text}"
        lines.append(f"claim {claim.score:.2f} {who}{said}")
    if article.mentions:
        lines.append("mentions: " + ", ".join(article.mentions))
    return "\n".join(lines) + "\n"
