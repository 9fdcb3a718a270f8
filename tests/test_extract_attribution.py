"""Step 5, attribution: which mention is the source of a quote.

Every paragraph below is written for this project (invented people and events); none
comes from the evaluation set.
"""
from __future__ import annotations

from extract_helpers import article_of, read, speaker_of


def test_organisation_as_speaker():
    a = read('"A man in his 40s was taken to hospital with serious injuries," police said.')
    assert speaker_of(a, "A man in his 40s was taken to hospital") == "police"


def test_floating_quote_goes_to_the_person_in_focus():
    a = read('"The roads were empty by nine," said shop owner Paul Winter.\n\n'
             "Dr. Amara Singh has run the walk-in clinic on Main Street for a decade.\n\n"
             '"We see more patients every winter, and fewer doctors want the night shifts."')
    assert speaker_of(a, "The roads were empty by nine") == "Paul Winter"
    assert speaker_of(a, "We see more patients every winter") == "Amara Singh"


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


def test_the_step_returns_found_quotes_that_say_whether_the_speaker_was_named_or_carried():
    from briefs.extract.attribution import attribute
    from briefs.extract.cues import find_cues
    from briefs.extract.entities import find_entities
    from briefs.extract.parsing import parse_paragraphs
    from briefs.extract.quotations import find_quotations

    article = article_of('"The ice is too thin this year," Tomas Berg said.\n\n'
                         '"Nobody should walk out past the point."')
    paras = parse_paragraphs(find_quotations(article))
    result = attribute(paras, find_cues(paras), find_entities(paras, None))
    assert [(f.speaker, f.explicit) for f in result.found] == [("Tomas Berg", True), ("Tomas Berg", False)]
