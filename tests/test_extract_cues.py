"""Step 4, cues and indirect speech: speech verbs, "according to", and what each reports.

Every paragraph below is written for this project (invented people and events); none
comes from the evaluation set.
"""
from __future__ import annotations

from extract_helpers import article_of, read, speaker_of


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


def test_rules_out_and_lists():
    a = read("Analyst Irene Kovacs rules out a snap election before the autumn budget.\n\n"
             "Kovacs lists several risks:\n"
             "Rising interest rates on household debt\n"
             "A weaker export market")
    assert speaker_of(a, "a snap election before the autumn budget", "indirect") == "Irene Kovacs"
    assert speaker_of(a, "Rising interest rates on household debt", "indirect") == "Irene Kovacs"
    assert speaker_of(a, "A weaker export market", "indirect") == "Irene Kovacs"


def test_report_goes_on_after_a_parenthetical_attribution():
    a = read("Manager Tom Reyes was at the front desk when the alarm went off.\n\n"
             "Staff and guests hid under the desks, he said, but one guard ran to the roof and was hurt there.")
    assert speaker_of(a, "Staff and guests hid under the desks", "indirect") == "Tom Reyes"
    assert speaker_of(a, "one guard ran to the roof", "indirect") == "Tom Reyes"


def test_said_with_a_gerund_clause():
    a = read("Coach Anna Lindqvist said having her top scorer back in the lineup was a huge relief.")
    assert speaker_of(a, "having her top scorer back in the lineup", "indirect") == "Anna Lindqvist"


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


def test_the_step_returns_each_cue_and_what_it_reports():
    from briefs.extract.cues import find_cues
    from briefs.extract.parsing import parse_paragraphs
    from briefs.extract.quotations import find_quotations

    article = article_of("Fire Chief Ray Dunn said the blaze began in the kitchen of the second unit.\n\n"
                         "According to neighbours, the alarm never sounded that night.")
    paras = parse_paragraphs(find_quotations(article))
    said, according = find_cues(paras)
    assert [v.lemma_ for v in said.verbs] == ["say"]
    assert [paras[0].text[slice(*r.span)] for r in said.reports] == ["the blaze began in the kitchen of the second unit"]
    assert [paras[1].text[slice(*r.span)] for r in according.according_reports] == ["the alarm never sounded that night"]
    assert according.according_reports[0].source.text == "neighbours"
