"""Who said what: the seed's gold reading and one invented paragraph per pattern.

Every fixture paragraph below is written for this project (invented people and
events); none comes from the evaluation set.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from briefs.extract import check_worthiness, extract, find_quote_spans
from briefs.parse import parse_text, read_path

SEED = Path(__file__).parent / "fixtures" / "000_b658156dfc43a267.txt"


def norm(s: str | None) -> str:
    """gold.json's comparison: quotation marks dropped, apostrophes equal, case folded, tokens."""
    s = unicodedata.normalize("NFKC", s or "").replace("’", "'").replace("‘", "'").casefold()
    return " ".join(re.findall(r"[\w']+", s))


def read(text: str):
    """A plain-text article (first line is the title) through parse + extract."""
    parsed = parse_text("A Test Story About Things\n\n" + text, stem="t", source="t")
    assert parsed.articles, parsed.errors
    return extract(parsed.articles[0])


def quotes_of(article, kind=None):
    return [(norm(q.text), q.speaker, q.kind) for q in article.quotes if kind in (None, q.kind)]


def speaker_of(article, fragment: str, kind: str | None = None) -> str | None:
    hits = [q for q in article.quotes if norm(fragment) in norm(q.text) and kind in (None, q.kind)]
    assert hits, f"no quote holds {fragment!r}: {quotes_of(article)}"
    return hits[0].speaker


def check_offsets(article) -> None:
    for q in article.quotes:
        assert article.text[q.start:q.end] == q.text
        assert q.text and q.text[0] not in "\"“”" and q.text[-1] not in "\"“”"


# -- the seed ---------------------------------------------------------------------------------

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


# -- patterns, on paragraphs written for these tests --------------------------------------------

def test_split_quote_around_attribution():
    a = read('"We will rebuild the bridge before the spring thaw," Mayor Ellen Vasquez said. '
             '"The money is already in this year\'s budget."')
    direct = quotes_of(a, "direct")
    assert [t for t, _, _ in direct] == [norm("We will rebuild the bridge before the spring thaw"),
                                        norm("The money is already in this year's budget.")]
    assert {s for _, s, _ in direct} == {"Ellen Vasquez"}


def test_multi_paragraph_quote_without_closing_mark():
    a = read('Coach Dana Whitfield did not hide her anger after the loss.\n\n'
             '"We did not skate tonight, not for a single shift, and that is on me," Whitfield said. '
             '"I told the group that the effort has to change before Saturday\n\n'
             '"Nobody in that room is happy with where we are right now."')
    assert speaker_of(a, "the effort has to change before Saturday") == "Dana Whitfield"
    assert speaker_of(a, "Nobody in that room is happy") == "Dana Whitfield"
    check_offsets(a)


def test_nested_single_quotes_stay_inside():
    a = read('"The landlord told us, \'Pack your bags tonight,\' and we had nowhere to go," said tenant Omar Haddad.')
    direct = quotes_of(a, "direct")
    assert len(direct) == 1
    assert "pack your bags tonight" in direct[0][0]
    assert direct[0][1] == "Omar Haddad"


def test_bracketed_insertion_is_part_of_the_quote():
    a = read('"The [transit] authority ignored every warning we gave them," said Councillor Priya Nair.')
    q = [q for q in a.quotes if q.kind == "direct"]
    assert len(q) == 1 and "[transit]" in q[0].text
    assert q[0].speaker == "Priya Nair"


def test_scare_quotes_are_not_quotes():
    a = read('The so-called "rescue plan" was debated for a third day in the legislature on Tuesday. '
             'Critics call the budget a "fairy tale" and the province\'s "fiscal anchor" a myth.')
    assert [q for q in a.quotes if q.kind == "direct"] == []


def test_said_that_is_indirect_speech():
    a = read("Finance Minister Laura Bennett said that the deficit would shrink by half next year.")
    assert speaker_of(a, "the deficit would shrink by half next year", "indirect") == "Laura Bennett"


def test_according_to():
    a = read("According to the fire department, the blaze started in a kitchen on the third floor.")
    speaker = speaker_of(a, "the blaze started in a kitchen on the third floor", "indirect")
    assert speaker and "fire department" in speaker


def test_clause_then_speaker_argues():
    a = read("The new levy will hurt small dairy farms the most, economist Victor Lam argues.")
    assert speaker_of(a, "The new levy will hurt small dairy farms the most", "indirect") == "Victor Lam"


def test_pronoun_resolution_skips_an_incompatible_person():
    a = read("Teacher Maria Lopez has taught at the school for 20 years.\n\n"
             "Her principal, Tom Fischer, approved the new reading program last month.\n\n"
             '"Every class I have taught is different from the one before," she said.')
    assert speaker_of(a, "Every class I have taught is different") == "Maria Lopez"


def test_pronoun_he_after_a_named_speaker():
    a = read('Fire Chief Gordon Blake said crews were on scene within six minutes.\n\n'
             '"The building was fully involved by the time we arrived," he said.')
    assert speaker_of(a, "The building was fully involved") == "Gordon Blake"


def test_descriptive_reference_to_a_person():
    a = read("Jonas Petrov scored his first NHL goal late in the third period.\n\n"
             '"I will remember this one for the rest of my life," said the rookie defenceman.')
    assert speaker_of(a, "I will remember this one") == "Jonas Petrov"


def test_descriptive_reference_to_an_organisation():
    a = read("The Transit Workers Union represents 4,000 bus drivers across the region.\n\n"
             "The union said the new schedule leaves drivers without a proper break.")
    speaker = speaker_of(a, "the new schedule leaves drivers without a proper break", "indirect")
    assert speaker and speaker.endswith("Transit Workers Union")


def test_surname_resolves_to_full_name():
    a = read("Premier Alan Hughes announced the plan on Monday in Halifax.\n\n"
             '"This is a good day for every family in the province," Hughes said.')
    assert speaker_of(a, "This is a good day for every family") == "Alan Hughes"
    assert "Alan Hughes" in a.mentions


def test_organisation_as_speaker():
    a = read('"A man in his 40s was taken to hospital with serious injuries," police said.')
    assert speaker_of(a, "A man in his 40s was taken to hospital") == "police"


def test_name_description_tells_outlet():
    a = read('"Prices will keep rising through the whole winter," Sofia Marchetti, an energy economist at the '
             'University of Turin, tells Sputnik.\n\n'
             '"Storage is already low," Marchetti tells Sputnik.')
    assert speaker_of(a, "Prices will keep rising") == "Sofia Marchetti"
    assert speaker_of(a, "Storage is already low") == "Sofia Marchetti"
    speakers = {s.name: s for s in a.speakers}
    assert speakers["Sofia Marchetti"].description == "energy economist at the University of Turin"
    assert "Sputnik" not in speakers and "Sputnik" not in a.mentions


def test_rules_out_and_lists():
    a = read("Analyst Irene Kovacs rules out a snap election before the autumn budget.\n\n"
             "Kovacs lists several risks:\n"
             "Rising interest rates on household debt\n"
             "A weaker export market")
    assert speaker_of(a, "a snap election before the autumn budget", "indirect") == "Irene Kovacs"
    assert speaker_of(a, "Rising interest rates on household debt", "indirect") == "Irene Kovacs"
    assert speaker_of(a, "A weaker export market", "indirect") == "Irene Kovacs"


def test_mentioned_but_not_quoted():
    a = read('Senator Ruth Okafor met Prime Minister Daniel Kerr on Friday. '
             '"We agreed on the timeline," Okafor said.')
    assert "Daniel Kerr" in a.mentions
    assert all(s.name != "Daniel Kerr" for s in a.speakers)


def test_claim_scores_rank_substance_higher():
    assert check_worthiness("Unemployment rose to 7.2 per cent in March, the highest since 2016.") > \
        check_worthiness("We are very happy.")
    for text in ("", "?", "Sales fell 40% because of the strike."):
        assert 0.0 <= check_worthiness(text) <= 1.0


# -- hostile input ---------------------------------------------------------------------------------

def test_quote_spans_are_linear_and_valid():
    text = '"' * 5001
    spans, open_end = find_quote_spans(text)
    assert all(0 <= s <= e <= len(text) for s, e in spans)


HOSTILE = [
    '"unbalanced quote that never ends, said nobody at all',
    'closing only” marks ” everywhere ” here, he said.',
    '"' * 3000,
    ('“' * 1500) + ('”' * 1500),
    ('"a" ' * 2000) + "he said.",
    "x" * 1_000_000,
    ('word "quoted words here" ' * 20_000),
    "😀 “Emoji 🎉 quote with flags 🇨🇦 inside,” said Zoë Ångström. 👍",
    "«مرحبا بكم في الأخبار» قال المتحدث. \u202eRTL override text\u202c “done,” she said.",
    "\u200b\u200d\ufeff" * 1000,
    "'single' 'quotes' 'only' " * 500,
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("body", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_finishes_with_valid_offsets(body):
    parsed = parse_text("Hostile Input Story\n\n" + body + "\n", stem="h", source="h")
    for article in parsed.articles:
        extract(article)
        check_offsets(article)
        for c in article.claims:
            assert 0.0 <= c.score <= 1.0


@pytest.mark.timeout(60)
def test_hostile_scraper_layout_line():
    text = (" date 2025-01-02 World\nA Title Here\nA Title Here\nsummary\nbody\nA Title Here\n\n"
            "10:00 GMT 02.01.2025\n" + ('"' + "y" * 50 + " ") * 20_000 + "\n")
    for article in parse_text(text, stem="s", source="s").articles:
        extract(article)
        check_offsets(article)


def test_importing_briefs_does_not_load_spacy():
    import subprocess
    import sys

    code = "import sys, briefs, briefs.extract, briefs.parse; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False", out.stderr


def test_short_quotes_need_a_speaker_next_to_them():
    a = read('"I am here," she said, after Mayor Joan Pike arrived at the hall.\n\n'
             'Banners reading "Save our library," hung from the fence on Tuesday.')
    direct = quotes_of(a, "direct")
    assert [t for t, _, _ in direct] == ["i am here"]


def test_quote_continued_after_a_paragraph_break_takes_the_later_speaker():
    a = read('Analyst Martin Oyelaran wrote a long note to clients on Friday.\n\n'
             '"The central bank has more room than markets think, and it will use that room before the summer\n\n'
             'if inflation keeps falling at this pace," said Oyelaran in the note.')
    quotes = [q for q in a.quotes if q.kind == "direct"]
    assert len(quotes) == 2
    assert {q.speaker for q in quotes} == {"Martin Oyelaran"}
    check_offsets(a)


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


def test_descriptive_reference_with_a_party_label():
    a = read("Senator Mark Ellison voted against the spending bill on Friday.\n\n"
             '"This bill spends money we simply do not have," said the Ohio Republican.')
    assert speaker_of(a, "This bill spends money") == "Mark Ellison"


def test_they_refers_to_a_group_that_spoke():
    a = read("Striking nurses rallied outside the legislature on Monday.\n\n"
             "Organizers said more than 2,000 people took part in the march.\n\n"
             '"We are not going back until the staffing ratios are fixed," they said.')
    assert speaker_of(a, "We are not going back") == "organizers"
    assert "organizers" not in a.mentions


def test_report_goes_on_after_a_parenthetical_attribution():
    a = read("Manager Tom Reyes was at the front desk when the alarm went off.\n\n"
             "Staff and guests hid under the desks, he said, but one guard ran to the roof and was hurt there.")
    assert speaker_of(a, "Staff and guests hid under the desks", "indirect") == "Tom Reyes"
    assert speaker_of(a, "one guard ran to the roof", "indirect") == "Tom Reyes"


def test_said_with_a_gerund_clause():
    a = read("Coach Anna Lindqvist said having her top scorer back in the lineup was a huge relief.")
    assert speaker_of(a, "having her top scorer back in the lineup", "indirect") == "Anna Lindqvist"


def test_floating_quote_goes_to_the_person_in_focus():
    a = read('"The roads were empty by nine," said shop owner Paul Winter.\n\n'
             "Dr. Amara Singh has run the walk-in clinic on Main Street for a decade.\n\n"
             '"We see more patients every winter, and fewer doctors want the night shifts."')
    assert speaker_of(a, "The roads were empty by nine") == "Paul Winter"
    assert speaker_of(a, "We see more patients every winter") == "Amara Singh"


def test_pronoun_is_not_someone_the_report_names():
    a = read("Ken Odhiambo, the hotel manager, said he called police at noon.\n\n"
             "Guard Peter Omondi ran to the gate.\n\n"
             "Omondi and two colleagues later hid in a storeroom, he said.")
    assert speaker_of(a, "Omondi and two colleagues later hid in a storeroom", "indirect") == "Ken Odhiambo"


def test_indefinite_speaker_keeps_its_of_phrase():
    a = read('Another member of the public, whose name was withheld, wrote: "This decision is wrong and '
             'it should be reversed before the summer."')
    assert speaker_of(a, "This decision is wrong") == "member of the public"


def test_two_named_people_speak_together():
    a = read("Store owners Lena Fischer and Marco Bianchi said they would reopen the bakery in March.\n\n"
             '"We owe it to our regulars," they said.')
    assert speaker_of(a, "they would reopen the bakery in March", "indirect") == "Lena Fischer and Marco Bianchi"
    assert speaker_of(a, "We owe it to our regulars") == "Lena Fischer and Marco Bianchi"
    assert "Lena Fischer and Marco Bianchi" not in a.mentions


def test_reporting_variants():
    a = read("Critics argue that the plan is far too expensive for a town of this size.\n\n"
             "Transport Minister Helen Obi said in a statement that the line would open in 2027.\n\n"
             "According to Obi, the federal government will cover half of the cost.\n\n"
             "The company, Northline Rail, said the trains would be built in Quebec.\n\n"
             '"We are ready to start tomorrow," a company spokesperson said.\n\n'
             "The minister also told reporters she expects the first trains to run on time.")
    assert speaker_of(a, "the plan is far too expensive", "indirect") == "critics"
    assert speaker_of(a, "the line would open in 2027", "indirect") == "Helen Obi"
    assert speaker_of(a, "the federal government will cover half", "indirect") == "Helen Obi"
    assert speaker_of(a, "the trains would be built in Quebec", "indirect") == "Northline Rail"
    assert speaker_of(a, "We are ready to start tomorrow") == "company spokesperson"
    assert speaker_of(a, "she expects the first trains to run on time", "indirect") == "Helen Obi"
    assert {s.name: s.description for s in a.speakers}["Helen Obi"] == "Transport Minister"


def test_titles_of_works_are_not_quotes():
    a = read('The documentary "The Long Road Home From The North" opens at the Roxy cinema on Friday.')
    assert [q for q in a.quotes if q.kind == "direct"] == []
