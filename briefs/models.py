"""Plain records: what an article is made of once it has been read."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

BlockKind = Literal["title", "stamp", "lede", "paragraph", "heading", "bullet", "intro"]


@dataclass(slots=True)
class Block:
    """A line or paragraph of the article body, located in `Article.text`.

    `intro` is a sentence ending in ':' that introduces bullet items
    ("Raffone lists several options:"); it is prose, not a heading.
    """

    kind: BlockKind
    start: int
    end: int


@dataclass(slots=True)
class Speaker:
    name: str
    description: str | None = None
    aliases: list[str] = field(default_factory=list)
    kind: Literal["person", "org"] = "person"


@dataclass(slots=True)
class Quote:
    text: str
    speaker: str | None
    kind: Literal["direct", "indirect"]
    start: int
    end: int
    # a reported quote's negating verb ("rules out", "denies"): shown with it, so its meaning is kept
    lead: str | None = None


@dataclass(slots=True)
class Claim:
    text: str
    speaker: str | None
    source: Literal["speaker", "outlet"]
    score: float
    start: int | None = None
    end: int | None = None
    # a reported claim's verb ("rules out"): "X rules out Y" claims no Y, so it is shown with it
    lead: str | None = None


@dataclass(slots=True)
class Article:
    """One article. Offsets of blocks and quotes index into `text`."""

    id: str
    source: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    section: str | None = None
    published: datetime | None = None
    lede: str | None = None
    headings: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    speakers: list[Speaker] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    @property
    def body(self) -> str:
        """The readable body: the blocks of the full copy, one per line."""
        return "\n".join(self.block_text(b) for b in self.blocks if b.kind not in ("title", "stamp"))

    def to_json(self) -> dict:
        """The JSON Lines record of DESIGN.md's `extract` contract."""
        return {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "url": self.url,
            "title": self.title,
            "section": self.section,
            "published": self.published.isoformat() if self.published else None,
            "lede": self.lede,
            "headings": list(self.headings),
            "speakers": [{"name": s.name, "description": s.description} for s in self.speakers],
            "quotes": [
                {"text": q.text, "speaker": q.speaker, "kind": q.kind, "start": q.start, "end": q.end}
                for q in self.quotes
            ],
            "claims": [
                {"text": f"{c.lead} {c.text}" if c.lead else c.text, "speaker": c.speaker, "source": c.source,
                 "score": round(c.score, 3)}
                for c in self.claims
            ],
            "mentions": list(self.mentions),
        }


class ArticleError(ValueError):
    """A file or record that cannot be read as an article; the message is for users."""
