"""What a report spans: quoted words inside someone's reported clause, and quotes that stand alone.

Every sentence below is written for this project (invented people and events); none comes
from the evaluation sets.
"""
from __future__ import annotations

import pytest

from extract_helpers import check_offsets, norm, read


def _quotes(article):
    return [(q.kind, norm(q.text), q.speaker) for q in article.quotes]


@pytest.mark.parametrize("sentence, said, speaker", [
    ('Coach Lena Ortiz said that despite injuries to three starters and a long road trip through the northern '
     'towns, the team had trained "harder than ever this season."',
     'despite injuries to three starters and a long road trip through the northern towns, the team had trained '
     '"harder than ever this season', "Lena Ortiz"),
    ('Despite injuries to three starters and a long road trip through the northern towns, the team had trained '
     '"harder than ever this season," coach Lena Ortiz said.',
     'Despite injuries to three starters and a long road trip through the northern towns, the team had trained '
     '"harder than ever this season', "Lena Ortiz"),
    ('Mayor Dana Whitfield warned that the ferry service, which has lost money for six straight years, would be '
     '"gone by the end of the decade" without help.',
     'the ferry service, which has lost money for six straight years, would be "gone by the end of the decade" '
     'without help', "Dana Whitfield"),
])
def test_quoted_words_inside_a_report_are_part_of_it_not_a_second_quote(sentence, said, speaker):
    a = read(sentence)
    check_offsets(a)
    # one quote: the report a reader can follow, with the speaker's own words inside it
    assert _quotes(a) == [("indirect", norm(said), speaker)]


@pytest.mark.parametrize("sentence, report, quote, speakers", [
    ('Analyst Irene Kovacs told the paper that, despite the crowds, she did not think the new mall would last '
     'long: "Once the winter comes, the shops will close one by one."',
     "despite the crowds, she did not think the new mall would last long",
     "Once the winter comes, the shops will close one by one.", ("Irene Kovacs", "Irene Kovacs")),
    ('Mayor Dana Whitfield said that residents were angry after Councillor Omar Haddad told a crowd: '
     '"The ferry will be gone by the end of the decade."',
     "residents were angry after Councillor Omar Haddad told a crowd",
     "The ferry will be gone by the end of the decade.", ("Dana Whitfield", "Omar Haddad")),
])
def test_a_quote_that_a_colon_introduces_stands_on_its_own(sentence, report, quote, speakers):
    a = read(sentence)
    found = _quotes(a)
    assert ("direct", norm(quote), speakers[1]) in found  # its own quote, with its own speaker
    assert [s for k, t, s in found if k == "indirect" and norm(report) in t] == [speakers[0]]


@pytest.mark.parametrize("sentence, said, speaker", [
    ("Mayor Dana Whitfield denied the reports of a budget shortfall at the ferry office.",
     "the reports of a budget shortfall at the ferry office", "Dana Whitfield"),
    ("The harbour board denied any wrongdoing in the awarding of the ferry contract.",
     "any wrongdoing in the awarding of the ferry contract", "the harbour board"),
])
def test_denying_a_claim_reports_what_was_denied(sentence, said, speaker):
    assert _quotes(read(sentence)) == [("indirect", norm(said), speaker)]


@pytest.mark.parametrize("sentence", [
    "Mayor Dana Whitfield denied councillors a vote on the new marina plan last week.",  # withheld from someone
    "The council denied the request by Omar Haddad for a new marina on the east shore.",  # a request refused
    # a team the tagger reads as a common noun: a goalie withheld goals from it
    "Goalie Omar Haddad stopped 31 shots and denied the Storm on several prime chances.",
])
def test_denying_someone_something_or_refusing_a_request_says_nothing(sentence):
    assert _quotes(read(sentence)) == []


@pytest.mark.parametrize("sentence, said, speaker", [
    ("Mayor Dana Whitfield told residents to stay away from the flooded pier until Friday.",
     "residents to stay away from the flooded pier until Friday", "Dana Whitfield"),
    ("The harbour board told its ferry crews to skip the island stop during the storm.",
     "its ferry crews to skip the island stop during the storm", "the harbour board"),
])
def test_telling_someone_to_do_something_reports_the_instruction(sentence, said, speaker):
    assert _quotes(read(sentence)) == [("indirect", norm(said), speaker)]


@pytest.mark.parametrize("sentence", [
    "Councillor Omar Haddad was told to leave the chamber after the vote on the pier.",  # told, not telling
    "Mayor Dana Whitfield told residents about the flooded pier at a meeting on Friday.",  # no instruction
])
def test_being_told_or_telling_about_something_reports_no_instruction(sentence):
    assert _quotes(read(sentence)) == []


@pytest.mark.parametrize("text, said", [
    ("Moss said the pier would stay shut, and", "the pier would stay shut"),
    ("Moss said she had met the mayor twice but", "she had met the mayor twice"),
    ("Moss said the fees were fair or", "the fees were fair"),
])
def test_a_report_never_ends_on_a_conjunction_the_parse_cut_off(text, said):
    """When the parse cuts a report before the clause after "and" / "or" / "but", the report ends before the
    conjunction: a claim reading "she had met the mayor twice but" is a scrap."""
    from briefs.extract.paragraph import Para, content_span

    p = Para(index=0, kind="prose", start=0, text=text)
    cs = text.index(said)
    span = content_span(p, cs, len(text))
    assert span is not None and text[span[0]:span[1]] == said


def test_a_conjunction_inside_quotation_marks_stays():
    from briefs.extract.paragraph import Para, content_span

    text = 'Moss said the fees were "fair and"'
    p = Para(index=0, kind="prose", start=0, text=text, quotes=[(25, 33)], qstarts=[25])
    span = content_span(p, 10, len(text))
    assert span is not None and text[span[0]:span[1]].endswith("fair and")
