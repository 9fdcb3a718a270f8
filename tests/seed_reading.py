"""The seed article as the extractor should read it (../shared/seed/gold.json), written as Python.

Until the real extractor lands, tests and the end-to-end run build their store
from this: the real parser reads the fixture file (title, date, lede, headings,
blocks) and the speakers, quotes, claims and mentions below are attached with
offsets found in the article text. `seed_article()` is the one entry point.
"""
from __future__ import annotations

from pathlib import Path

from briefs.models import Article, Claim, Quote, Speaker
from briefs.parse import read_path

SEED_FILE = Path(__file__).parent / "fixtures" / "000_b658156dfc43a267.txt"

SPEAKERS = [
    Speaker("Paolo Raffone", "strategic analyst and director of the CIPI Foundation in Brussels", ["Raffone"]),
    Speaker("Hall Gardner", "Professor and Chair of the Department of International and Comparative Politics, "
            "American University of Paris", ["Gardner"]),
    Speaker("Gilbert Doctorow", "international relations and Russian affairs analyst", ["Doctorow"]),
    Speaker("the Kremlin", None, ["Kremlin"], kind="org"),
]

# (speaker, kind, text as in gold.json: straight apostrophes; the real text may use curly ones)
QUOTES = [
    ("the Kremlin", "indirect",
     "a meeting between Russian President Vladimir Putin and his American counterpart Donald Trump could happen soon"),
    ("Paolo Raffone", "direct",
     "Russian military territorial gains show the increasing weakness of the Ukrainian forces"),
    ("Paolo Raffone", "direct", "it was not unforeseeable"),
    ("Paolo Raffone", "indirect", "Gradual lifting of sanctions and Russia's reintegration into trade"),
    ("Paolo Raffone", "indirect", "Indefinite suspension of Ukraine's NATO membership bid"),
    ("Paolo Raffone", "indirect", "Restart US-Russia relations to renew or replace expiring treaties"),
    ("Paolo Raffone", "indirect", "Create a new strategic security framework for Europe"),
    ("Hall Gardner", "direct",
     "Capturing Chasov Yar and advancing in the [Krasnoarmeysk] direction gives Putin battlefield momentum, "
     "which he can use to project strength in negotiations"),
    ("Hall Gardner", "indirect",
     "Russia is unlikely to accept any ceasefire agreement until it has achieved its basic goals for the special "
     "military operation, including the complete liberation of Donbass, Zaporozhye and Kherson regions and "
     "ensuring Crimea's security"),
    ("Hall Gardner", "direct",
     "It's very unlikely Putin will soften his conditions just because Trump is willing to meet, especially while "
     "Russian forces are advancing"),
    ("Hall Gardner", "direct",
     "They would likely focus on Ukraine primarily, but could easily expand into a wider dialogue about security "
     "architecture, arms control after New START and the collapse of the INF treaty, and even spheres of influence"),
    ("Gilbert Doctorow", "indirect",
     "Russia was winning the Ukraine conflict on its own terms well before the recent sharp increase in territorial gains"),
    ("Gilbert Doctorow", "direct",
     "But now with the undeniable territorial gains which even the Western newspapers are daily recording, of course "
     "this strengthens the Russian negotiating position"),
    ("Gilbert Doctorow", "indirect",
     "Russian leaders making any compromises on Ukraine at Thursday's Kremlin meeting with Steve Witkoff"),
    ("Gilbert Doctorow", "direct", "The United States and its allies have no strategic 'cards' to play against Russia"),
    ("Gilbert Doctorow", "direct", "But the talks can be so arranged as to present the US in less humiliating terms"),
    ("Gilbert Doctorow", "indirect", "A tangible shift in US-Russia relations is possible"),
]

# Outlet-voice claims with a check-worthiness score.
OUTLET_CLAIMS = [
    ("Russia Holds All Cards in Trump Talks", 0.55),
    ("On July 31, strategic Chasov Yar in the Donetsk People's Republic was liberated, opening the road to "
     "Kramatorsk and Slavyansk", 0.9),
    ("Krasnoarmeysk (Pokrovsk) is encircled", 0.85),
    ("Russia expands partnerships with BRICS, SCO and Eurasian groups and is far from isolated", 0.7),
    ("BRICS calls US tariff bluff, pledging closer ties with Russia", 0.65),
    ("Russia's economy remains resilient, dedollarizing and decoupling from the West", 0.75),
    ("The talks will center primarily on the broader dialogue of European security", 0.4),
    ("Only after there is agreement can there be detailed discussions of territorial and other aspects of a "
     "settlement", 0.35),
    ("But battlefield shifts aren't the only factor shaping talks", 0.1),
]

# Speaker claims: every quote is a claim by its speaker; these scores stand out.
SPEAKER_CLAIM_SCORES = {
    "Russian military territorial gains show": 0.8,
    "Capturing Chasov Yar": 0.78,
    "Russia is unlikely to accept": 0.6,
    "The United States and its allies": 0.5,
    "But now with the undeniable": 0.72,
    "Russia was winning": 0.68,
}

MENTIONS = ["Vladimir Putin", "Donald Trump", "Steve Witkoff", "Paolo Raffone", "Hall Gardner",
            "Gilbert Doctorow", "the Kremlin", "Sputnik"]

_MARKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def locate(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """Offsets of `needle` in `text`, straight and curly marks being equal (a 1:1 mapping keeps offsets)."""
    at = text.translate(_MARKS).find(needle.translate(_MARKS), start)
    if at < 0:
        raise ValueError(f"not in the seed text: {needle!r}")
    return at, at + len(needle)


def seed_article(path: Path = SEED_FILE) -> Article:
    """The seed article read by the real parser, with the gold reading attached."""
    parsed = read_path(Path(path))
    assert not parsed.errors, parsed.errors
    article = parsed.articles[0]
    full_copy = article.blocks[0].start if article.blocks else 0
    article.speakers = [Speaker(s.name, s.description, list(s.aliases), s.kind) for s in SPEAKERS]
    quotes = []
    for speaker, kind, text in QUOTES:
        start, end = locate(article.text, text, full_copy)
        quotes.append(Quote(article.text[start:end], speaker, kind, start, end))
    quotes.sort(key=lambda quote: quote.start)
    article.quotes = quotes
    claims = []
    for quote in quotes:
        score = next((v for k, v in SPEAKER_CLAIM_SCORES.items() if quote.text.translate(_MARKS).startswith(k)), 0.3)
        claims.append(Claim(quote.text, quote.speaker, "speaker", score, quote.start, quote.end))
    for text, score in OUTLET_CLAIMS:
        start, end = locate(article.text, text, full_copy)
        claims.append(Claim(article.text[start:end], None, "outlet", score, start, end))
    article.claims = claims
    article.mentions = list(MENTIONS)
    if not article.outlet:
        article.outlet = "Sputnik"
    return article
