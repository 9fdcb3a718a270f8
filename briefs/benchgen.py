"""Generated news for benchmarks and load tests, deterministic by seed.

Two generators:

- `scraper_article(seed, index)` / `write_corpus(folder, n)`: realistic files in the
  scraper's layout (header, title twice, the flattened copy, the full copy with its
  stamp, lede, paragraphs, headings, bullets under headings and under "X lists several
  options:"), with speakers introduced by appositives ("Ana Ruiz, an economist at ...,
  tells Sputnik") and pre-modifiers ("energy analyst Ana Ruiz says"), direct quotes
  (some split around the attribution), indirect quotes ("Ruiz argues that ...",
  "the pundit notes that ..."), of varied sizes. Article i is the same whatever N is.
  Each comes with its truth (`GeneratedArticle.speakers`, `.quotes`) for checks.
- `records(n)`: ready-made `Article` objects (speakers, quotes with valid offsets,
  claims, mentions) to fill a large store fast through `Store.bulk_insert`
  (`build_store(path, 100_000)` gives ~1M quotes).
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .models import Article, Block, Claim, Quote, Speaker

FIRST = ["Paolo", "Hall", "Gilbert", "Ana", "Marta", "Jonas", "Priya", "Kwame", "Li", "Sofia", "Omar", "Elena",
         "Tomas", "Amara", "Yuki", "Diego", "Ingrid", "Rahul", "Fatima", "Pierre", "Nadia", "Viktor", "Grace", "Hugo",
         "Leila", "Mateo", "Olga", "Samir", "Chen", "Aisha", "Lars", "Beatriz", "Tariq", "Hannah", "Ivan", "Noor"]
LAST = ["Raffone", "Gardner", "Doctorow", "Ruiz", "Olsen", "Weber", "Raman", "Mensah", "Wei", "Costa", "Haddad",
        "Petrova", "Novak", "Okafor", "Tanaka", "Alvarez", "Lund", "Mehta", "Rahman", "Dubois", "Karimi", "Sokolov",
        "Achebe", "Moreau", "Farouk", "Silva", "Ivanova", "Nasser", "Zhang", "Bello", "Nilsson", "Santos", "Aziz",
        "Fischer", "Orlov", "Hassan", "Lindqvist", "Moretti", "Kowalski", "Brennan"]
ROLES = ["strategic analyst", "economist", "professor of international relations", "senior fellow", "political scientist",
         "energy analyst", "former diplomat", "military expert", "researcher", "director", "historian", "trade lawyer"]
PLACES = ["the CIPI Foundation in Brussels", "the University of Geneva", "the Institute for Global Studies",
          "American University of Paris", "the Centre for Energy Policy", "the Baltic Research Council",
          "the Asia Trade Forum", "King's College London", "the Institute of World Economy",
          "the Mediterranean Policy Institute"]
PREMODS = ["international relations and Russian affairs analyst", "veteran energy analyst", "military expert",
           "political commentator", "economist", "geopolitical analyst", "former ambassador", "security researcher"]
ORGS = ["the Kremlin", "the White House", "the European Commission", "the Foreign Ministry", "the central bank",
        "NATO", "the United Nations", "the finance ministry", "the Pentagon", "OPEC"]
OUTLETS = ["Sputnik", "Reuters", "the Wire", "Radio Baltic"]
SECTIONS = ["International", "World", "Economy", "Politics", "Energy", "Science", "Military", "Business"]
SUBJECTS = ["Russia", "the United States", "the European Union", "China", "India", "Brazil", "Turkey", "Germany",
            "the Ukrainian army", "Western sanctions", "the BRICS group", "oil prices", "the new trade deal",
            "the ceasefire plan", "the gas pipeline", "defence spending", "the central bank", "the summit"]
VERBS = ["is unlikely to change", "will shape", "has weakened", "could strengthen", "undermines", "depends on",
         "is driving", "will not survive", "has already reshaped", "may accelerate", "cannot ignore", "reflects"]
OBJECTS = ["the balance of power in Europe", "the negotiating position", "energy markets", "the global economy",
           "security architecture", "arms control", "regional stability", "the talks", "public opinion",
           "long-term investment", "the alliance", "the domestic agenda", "the rules of trade"]
TAILS = ["in the coming months", "whatever Washington decides", "before the end of the year", "on its own terms",
         "especially while prices keep rising", "despite the pressure", "as the West hesitates", "for a generation"]
TITLE_WORDS = ["Talks", "Sanctions", "Summit", "Pipeline", "Markets", "Ceasefire", "Alliance", "Budget", "Trade",
               "Tariffs", "Security", "Elections", "Reforms", "Energy", "Grain", "Borders", "Currency", "Debt"]
TITLE_TEMPLATES = ["{s} Holds All Cards in {w} Talks", "Why {w} Will Not Save {s}", "{s} and the Future of {w}",
                   "What the {w} Deal Means for {s}", "{s} Bets on {w} as Pressure Grows", "{w} Shift Tests {s}"]
HEADINGS = ["US Has No Cards to Play", "What Comes Next", "On the global stage:", "What would be the focus of the talks?",
            "A Shift in the Balance", "Who Gains From the Deal?", "Markets React", "The View From Brussels",
            "Front line advances:", "What could change?", "Energy Is the Key", "The Long Game"]
SAY = ["says", "tells {outlet}", "notes", "argues", "stresses", "explains", "suggests", "adds", "insists"]
REPORT = ["argues that", "notes that", "believes that", "warns that", "says", "points out that", "suggests that"]


@dataclass
class GeneratedArticle:
    name: str
    text: str
    speakers: list[tuple[str, str | None]] = field(default_factory=list)  # (full name, description)
    quotes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, speaker, text) as written


def _clause(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"


def _sentence(rng: random.Random) -> str:
    text = _clause(rng)
    return text[0].upper() + text[1:] + "."


def _quote_text(rng: random.Random, clauses: int) -> str:
    parts = [_clause(rng) for _ in range(clauses)]
    text = ", and ".join(parts) if clauses < 3 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    return text[0].upper() + text[1:]


def scraper_article(seed: int, index: int) -> GeneratedArticle:
    """Article `index` of corpus `seed`, in the scraper's layout."""
    rng = random.Random(f"{seed}:{index}")
    curly = rng.random() < 0.7
    oq, cq = ("\u201c", "\u201d") if curly else ('"', '"')
    outlet = rng.choice(OUTLETS)
    size = rng.choice([1, 1, 2, 2, 3, 4, 6])  # paragraphs per speaker: varied sizes
    people = []
    for first, last in zip(rng.sample(FIRST, 4), rng.sample(LAST, 4)):
        people.append((f"{first} {last}", last))
    people = people[: rng.randint(1, 4)]
    org = rng.choice(ORGS)
    generated = GeneratedArticle(name=f"{seed:03d}_{index:06d}", text="")
    subject, word = rng.choice(SUBJECTS[:8]), rng.choice(TITLE_WORDS)
    title = rng.choice(TITLE_TEMPLATES).format(s=subject[0].upper() + subject[1:], w=word) + f" {index}"
    when = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
    section = rng.choice(SECTIONS)

    lede = f"{org[0].upper() + org[1:]} says {_clause(rng)}. {rng.choice(['Why', 'How', 'What if'])} does {subject} matter?"
    generated.quotes.append(("indirect", org, lede.split(" says ", 1)[1].split(". ")[0]))
    generated.speakers.append((org, None))
    body: list[tuple[str, str]] = []  # (kind, line); kinds: p, h, b (bullet), i (intro)

    for number, (full, last) in enumerate(people):
        if number and rng.random() < 0.6:
            body.append(("h", rng.choice(HEADINGS)))
        style = rng.choice(["appositive", "premod", "split", "according"])
        q = _quote_text(rng, rng.randint(1, 3))
        say = rng.choice(SAY).format(outlet=outlet)
        if style == "appositive":
            description = f"{rng.choice(ROLES)} at {rng.choice(PLACES)}"
            article_ = "an" if description[0] in "aeiou" else "a"
            body.append(("p", f"{oq}{q},{cq} {full}, {article_} {description}, {say}."))
            generated.quotes.append(("direct", full, q))
        elif style == "premod":
            description = rng.choice(PREMODS)
            clause = _clause(rng)
            clause = clause[0].upper() + clause[1:]
            body.append(("p", f"{clause}, {description} {full} tells {outlet}."))
            generated.quotes.append(("indirect", full, clause))
        elif style == "split":
            description = f"{rng.choice(ROLES)} at {rng.choice(PLACES)}"
            q2 = _quote_text(rng, 1)
            body.append(("p", f"{full}, {'an' if description[0] in 'aeiou' else 'a'} {description}, spoke to {outlet}."))
            body.append(("p", f"{oq}{q},{cq} {last} {say}. {oq}{q2}.{cq}"))
            generated.quotes += [("direct", full, q), ("direct", full, q2)]
        else:
            description = None
            clause = _clause(rng)
            body.append(("p", f"According to {full}, {clause}."))
            generated.quotes.append(("indirect", full, clause))
        generated.speakers.append((full, description))
        for _ in range(size):
            roll = rng.random()
            if roll < 0.35:
                q = _quote_text(rng, rng.randint(1, 3))
                who = rng.choice(["the pundit", last, "the analyst"]) if rng.random() < 0.8 else "he"
                body.append(("p", f"{oq}{q},{cq} {who} {rng.choice(SAY).format(outlet=outlet)}."))
                generated.quotes.append(("direct", full, q))
            elif roll < 0.55:
                clause = _clause(rng)
                who = rng.choice(["The pundit", last])
                body.append(("p", f"{who} {rng.choice(REPORT)} {clause}."))
                generated.quotes.append(("indirect", full, clause))
            elif roll < 0.7:
                body.append(("i", f"{last} lists several options:"))
                body += [("b", _sentence(rng)[:-1]) for _ in range(rng.randint(2, 5))]
            elif roll < 0.8:
                body.append(("h", rng.choice(HEADINGS)))
                body += [("b", _sentence(rng)[:-1]) for _ in range(rng.randint(2, 4))]
            else:
                body.append(("p", " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))))
    mentioned = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    body.append(("p", f"{people[-1][1]} also mentions a meeting with {mentioned} on {rng.choice(OBJECTS)}."))

    if not curly:
        body = [(k, line.replace("\u2019", "'")) for k, line in body]
    flat = " ".join(line for kind, line in body if kind != "b")
    full_copy = []
    previous = None
    for kind, line in body:
        full_copy.append(line)
        if kind == "h" and (previous == "b" or rng.random() < 0.3):
            full_copy.append("")  # as the scraper writes it: a heading right after bullets has a blank line below
        previous = kind
    header = f"{' ' if rng.random() < 0.3 else ''}date {when:%Y-%m-%d} {section}"
    stamp = f"{when:%H:%M} GMT {when:%d.%m.%Y}"
    generated.text = "\n".join([header, title, title, lede, flat, title, "", stamp, lede, *full_copy]) + "\n"
    return generated


def write_corpus(folder: str | Path, n: int, *, seed: int = 0) -> list[Path]:
    """Write articles 0..n-1 of corpus `seed` as `.txt` files; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(n):
        article = scraper_article(seed, index)
        path = folder / f"{article.name}.txt"
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths


# -- bulk records: a big store, fast ------------------------------------------------------------


FEMALE_FIRST = frozenset({"Ana", "Marta", "Priya", "Sofia", "Elena", "Amara", "Yuki", "Ingrid", "Fatima", "Nadia",
                          "Grace", "Leila", "Olga", "Aisha", "Beatriz", "Hannah", "Noor"})
TITLES = ["Dr.", "Prof.", "President", "Minister", "Senator"]


def written_name(rng: random.Random, full: str) -> str:
    """How one article writes a person, as outlets do: mostly the full name, else with a middle initial
    (the same one for a person), a title, or the surname alone (with or without Mr./Ms.)."""
    first, last = full.split(" ", 1)
    roll = rng.random()
    if roll < 0.6:
        return full
    if roll < 0.7:
        return f"{first} {'ABCDEFGHJKLMNPRSTW'[sum(map(ord, full)) % 18]}. {last}"
    if roll < 0.8:
        return f"{rng.choice(TITLES)} {full}"
    if roll < 0.9:
        return f"{'Ms.' if first in FEMALE_FIRST else 'Mr.'} {last}"
    return last


def records(n: int, *, seed: int = 0, quotes_per_article: int = 10, start: int = 0) -> Iterator[Article]:
    """`n` extracted articles with speakers, quotes (offsets valid), claims and mentions.

    Cheaper than generating and extracting text: for filling a store of 100k articles
    (~`quotes_per_article` quotes each) to benchmark replies and digests. Speakers are
    written with realistic variants (`written_name`): initials, titles, surname only.
    """
    rng = random.Random(seed)
    people = [(f"{f} {l}", f"{rng.choice(ROLES)} at {rng.choice(PLACES)}") for f in FIRST for l in LAST]
    weights = [1.0 / (rank + 1) for rank in range(len(people))]  # a few people are quoted a lot
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for index in range(start, start + n):
        chosen = {p[0]: p for p in rng.choices(people, weights, k=rng.randint(1, 4))}
        speakers = {}
        for full, description in chosen.values():
            name = written_name(rng, full)
            speakers.setdefault(name, (name, description))
        names = list(speakers)
        parts: list[str] = []
        quotes: list[Quote] = []
        blocks: list[Block] = []
        pos = 0
        lede = _sentence(rng)
        parts.append(lede)
        blocks.append(Block("lede", 0, len(lede)))
        pos = len(lede) + 1
        count = max(1, int(rng.gauss(quotes_per_article, quotes_per_article / 4)))
        for number in range(count):
            who = names[number % len(names)]
            text = _quote_text(rng, rng.randint(1, 2))
            direct = rng.random() < 0.7
            line = f"\u201c{text},\u201d {who} says." if direct else f"{who} argues that {text}."
            offset = line.index(text)
            quotes.append(Quote(text, who, "direct" if direct else "indirect", pos + offset, pos + offset + len(text)))
            blocks.append(Block("paragraph", pos, pos + len(line)))
            parts.append(line)
            pos += len(line) + 1
        body = "\n".join(parts)
        article = Article(
            id=f"bulk_{seed}_{index}", source=f"bench:{seed}:{index}", text=body, blocks=blocks,
            title=rng.choice(TITLE_TEMPLATES).format(s=rng.choice(SUBJECTS[:8]).title(), w=rng.choice(TITLE_WORDS)) + f" {index}",
            section=rng.choice(SECTIONS), published=base + timedelta(minutes=7 * index + rng.randrange(7)),
            lede=lede, headings=[], outlet=rng.choice(OUTLETS + [None]), url=f"https://news.example/{seed}/{index}",
            speakers=[Speaker(name, description) for name, description in speakers.values()],
            quotes=quotes,
            claims=[Claim(q.text, q.speaker, "speaker", round(rng.random(), 3)) for q in quotes[:3]]
            + [Claim(_sentence(rng), None, "outlet", round(rng.random(), 3))],
            mentions=names + [f"{rng.choice(FIRST)} {rng.choice(LAST)}"],
        )
        yield article


def build_store(store, n: int = 100_000, *, seed: int = 0, quotes_per_article: int = 10, batch: int = 2000) -> int:
    """Fill `store` (a `briefs.store.Store`) with `n` generated articles; returns the number added."""
    return store.bulk_insert(records(n, seed=seed, quotes_per_article=quotes_per_article), batch_size=batch)
