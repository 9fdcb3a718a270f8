"""The seed's gold reading (../shared/seed/gold.json) and two invented articles read end to end.

Every paragraph below is written for this project (invented people and events); none
comes from the evaluation set.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from briefs.extract import extract
from briefs.parse import read_path
from extract_helpers import check_offsets, norm, speaker_of

SEED = Path(__file__).parent / "fixtures" / "000_b658156dfc43a267.txt"

SEED_DIRECT = {
    "Russian military territorial gains show the increasing weakness of the Ukrainian forces": "Paolo Raffone",
    "it was not unforeseeable": "Paolo Raffone",
    "Capturing Chasov Yar and advancing in the [Krasnoarmeysk] direction gives Putin battlefield momentum, "
    "which he can use to project strength in negotiations": "Hall Gardner",
    "It's very unlikely Putin will soften his conditions just because Trump is willing to meet, especially "
    "while Russian forces are advancing": "Hall Gardner",
    "They would likely focus on Ukraine primarily, but could easily expand into a wider dialogue about security "
    "architecture, arms control after New START and the collapse of the INF treaty, and even spheres of influence":
        "Hall Gardner",
    "But now with the undeniable territorial gains which even the Western newspapers are daily recording, of "
    "course this strengthens the Russian negotiating position": "Gilbert Doctorow",
    "The United States and its allies have no strategic 'cards' to play against Russia": "Gilbert Doctorow",
    "But the talks can be so arranged as to present the US in less humiliating terms": "Gilbert Doctorow",
}


SEED_INDIRECT = {
    "a meeting between Russian President Vladimir Putin and his American counterpart Donald Trump could happen soon":
        "the Kremlin",
    "Russia is unlikely to accept any ceasefire agreement until it has achieved its basic goals for the special "
    "military operation, including the complete liberation of Donbass, Zaporozhye and Kherson regions and ensuring "
    "Crimea's security": "Hall Gardner",
    "Russia was winning the Ukraine conflict on its own terms well before the recent sharp increase in territorial "
    "gains": "Gilbert Doctorow",
    "Russian leaders making any compromises on Ukraine at Thursday's Kremlin meeting with Steve Witkoff":
        "Gilbert Doctorow",
    "A tangible shift in US-Russia relations is possible": "Gilbert Doctorow",
    "Gradual lifting of sanctions and Russia's reintegration into trade": "Paolo Raffone",
    "Indefinite suspension of Ukraine's NATO membership bid": "Paolo Raffone",
    "Restart US-Russia relations to renew or replace expiring treaties": "Paolo Raffone",
    "Create a new strategic security framework for Europe": "Paolo Raffone",
}


SEED_OUTLET_CLAIMS = [
    "Russia Holds All Cards in Trump Talks",
    "On July 31, strategic Chasov Yar in the Donetsk People's Republic was liberated, opening the road to "
    "Kramatorsk and Slavyansk",
    "Krasnoarmeysk (Pokrovsk) is encircled",
    "Russia expands partnerships with BRICS, SCO and Eurasian groups and is far from isolated",
    "BRICS calls US tariff bluff, pledging closer ties with Russia",
    "Russia's economy remains resilient, dedollarizing and decoupling from the West",
    "The talks will center primarily on the broader dialogue of European security",
    "Only after there is agreement can there be detailed discussions of territorial and other aspects of a settlement",
]


@pytest.fixture(scope="module")
def seed():
    parsed = read_path(SEED)
    assert parsed.articles and not parsed.errors
    return extract(parsed.articles[0])


def test_seed_direct_quotes_once_with_speakers(seed):
    direct = [(norm(q.text), q.speaker) for q in seed.quotes if q.kind == "direct"]
    assert sorted(direct) == sorted((norm(t), s) for t, s in SEED_DIRECT.items())


def test_seed_indirect_quotes(seed):
    indirect = {norm(q.text): q.speaker for q in seed.quotes if q.kind == "indirect"}
    for text, speaker in SEED_INDIRECT.items():
        assert indirect.get(norm(text)) == speaker, text
    assert len(indirect) == len(SEED_INDIRECT)


def test_seed_quotes_come_from_the_full_copy_only(seed):
    full_copy = seed.blocks[0].start  # the title line of the full copy
    check_offsets(seed)
    assert all(q.start >= full_copy for q in seed.quotes)


def test_seed_speakers_and_descriptions(seed):
    speakers = {s.name: s for s in seed.speakers}
    assert set(speakers) == {"Paolo Raffone", "Hall Gardner", "Gilbert Doctorow", "the Kremlin"}
    assert speakers["Paolo Raffone"].description == "strategic analyst and director of the CIPI Foundation in Brussels"
    assert speakers["Hall Gardner"].description == (
        "Professor and Chair of the Department of International and Comparative Politics, American University of Paris")
    assert speakers["Gilbert Doctorow"].description == "international relations and Russian affairs analyst"
    assert speakers["the Kremlin"].kind == "org"
    assert "Raffone" in speakers["Paolo Raffone"].aliases


def test_seed_mentions_and_outlet(seed):
    for name in ("Vladimir Putin", "Donald Trump", "Steve Witkoff", "Paolo Raffone", "Hall Gardner", "Gilbert Doctorow"):
        assert name in seed.mentions
    assert seed.outlet == "Sputnik"
    assert "Sputnik" not in seed.mentions
    assert all(s.name != "Sputnik" for s in seed.speakers)


def test_seed_claims(seed):
    outlet = [norm(c.text) for c in seed.claims if c.source == "outlet"]
    for text in SEED_OUTLET_CLAIMS:
        assert norm(text) in outlet, text
    # the bullets Raffone lists are his, not the outlet's
    assert norm("Create a new strategic security framework for Europe") not in outlet
    by_speaker = [(norm(c.text), c.speaker) for c in seed.claims if c.source == "speaker"]
    assert len(by_speaker) == len(seed.quotes)
    assert all(0.0 <= c.score <= 1.0 for c in seed.claims)
    assert len({norm(c.text) for c in seed.claims}) == len(seed.claims)  # the flattened copy adds nothing


def test_seed_json_record(seed):
    record = seed.to_json()
    assert record["published"] == "2025-08-08T17:58:00+00:00"
    assert {"name": "the Kremlin", "description": None} in record["speakers"]
    for q in record["quotes"]:
        assert seed.text[q["start"]:q["end"]] == q["text"]


def test_invented_agency_article_in_the_scraper_layout():
    """An article written for this test, in the scraper's layout, with an outlet cue, an
    ORG-tagged person, a descriptive reference, an intro line and split quotes."""
    parsed = read_path(Path(__file__).parent / "fixtures" / "invented_grain_exports.txt")
    a = extract(parsed.articles[0])
    assert a.outlet == "Sputnik"
    check_offsets(a)
    assert speaker_of(a, "grain exports reached 4.1 million tonnes", "indirect") == "the Agriculture Ministry"
    assert speaker_of(a, "The ports are working at full capacity") == "Natalia Sorokina"
    assert speaker_of(a, "freight rates had fallen by a third", "indirect") == "Natalia Sorokina"  # "She added that"
    assert speaker_of(a, "the rouble's weakness made the grain cheaper", "indirect") == "Pavel Ignatov"
    assert speaker_of(a, "It is a currency story") == "Pavel Ignatov"  # "the economist noted"
    assert speaker_of(a, "If the rouble strengthens") == "Pavel Ignatov"
    assert speaker_of(a, "storage costs are rising", "indirect") == "the Grain Traders Union"
    assert speaker_of(a, "Lower rail tariffs for grain wagons", "indirect") == "Natalia Sorokina"
    assert speaker_of(a, "We will see a seasonal dip") == "Pavel Ignatov"
    assert speaker_of(a, "but nothing dramatic") == "Pavel Ignatov"
    speakers = {s.name: s for s in a.speakers}
    assert speakers["Natalia Sorokina"].description == "head of the Grain Traders Union"
    assert speakers["Pavel Ignatov"].description == "economist"
    assert speakers["Pavel Ignatov"].kind == "person"
    outlet_claims = [c.text for c in a.claims if c.source == "outlet"]
    assert "Grain Exports Hit Record as Ports Reopen" in outlet_claims
    assert "Exports are expected to slow in the spring" in outlet_claims
    assert "Lower rail tariffs for grain wagons" not in outlet_claims


def test_invented_local_news_article_in_plain_text():
    """An article written for this test (plain text, title line first): officials, a title
    before a name, "the mayor", a statement from an organisation, police, a sergeant."""
    parsed = read_path(Path(__file__).parent / "fixtures" / "invented_bridge_closure.txt")
    a = extract(parsed.articles[0])
    assert a.title == "Bridge Closure Leaves Commuters Stranded"
    check_offsets(a)
    assert speaker_of(a, "The Harbour Bridge will stay closed", "indirect") == "city officials"
    assert speaker_of(a, "the repairs would cost about $4 million", "indirect") == "Linda Carvalho"
    assert speaker_of(a, "Nobody wants to close a bridge") == "Linda Carvalho"  # "the mayor said"
    assert speaker_of(a, "We will not cut corners") == "Linda Carvalho"
    assert speaker_of(a, "it would add 30 buses", "indirect") == "MetroLink"
    assert speaker_of(a, "shops near the bridge lost half", "indirect") == "the Harbour Business Association"
    assert speaker_of(a, "People will simply go somewhere else") == "Kevin Tran"
    assert speaker_of(a, "drivers should expect long delays", "indirect") == "police"
    assert speaker_of(a, "If you can work from home") == "Omar Bakri"
    speakers = {s.name: s for s in a.speakers}
    assert speakers["Linda Carvalho"].description == "Mayor"
    assert speakers["Kevin Tran"].description == "Association president"
    assert {"Linda Carvalho", "Kevin Tran", "Omar Bakri", "MetroLink"} <= set(a.mentions)
    assert "city officials" not in a.mentions and "police" not in a.mentions
