"""Who a description is ("the commissioner", "a spokeswoman for the mayor", "the official"), as pairs of a
case that must attribute and one that must not, in two phrasings ("X said" and "according to X").

Every paragraph below is written for this project (invented people, places and events); none
comes from the evaluation sets.
"""
from __future__ import annotations

import pytest

from extract_helpers import read, speaker_of

REPORT = "the new fees would pay for dredging the channel"
PHRASINGS = ["said", "according to"]


def reported(speaker: str, phrasing: str) -> str:
    """One sentence reporting REPORT in the given phrasing."""
    if phrasing == "said":
        return f"{speaker[0].upper() + speaker[1:]} said {REPORT}."
    return f"According to {speaker}, {REPORT}."


# -- a role that speaks before the text names who holds it (cataphora) -------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_role_that_speaks_first_is_the_one_named_with_that_role_just_after(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("the harbour commissioner", phrasing) + "\n\n"
             "\u201cWe will start in May,\u201d harbour commissioner Ana Ortiz said in a statement.")
    assert speaker_of(a, REPORT, "indirect") == "Ana Ortiz"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_role_is_not_someone_named_after_with_another_organisations_role(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("the harbour commissioner", phrasing) + "\n\n"
             "\u201cWe will watch the channel,\u201d fisheries commissioner Tom Reyes said in a statement.")
    assert speaker_of(a, REPORT, "indirect") != "Tom Reyes"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_role_two_people_hold_after_it_stays_unresolved(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("the harbour commissioner", phrasing) + "\n\n"
             "Former harbour commissioner Tom Reyes disagreed, and former harbour commissioner Ana Ortiz "
             "said the fees were too high.")
    assert speaker_of(a, REPORT, "indirect") not in ("Tom Reyes", "Ana Ortiz")


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_spokeswoman_is_the_person_who_speaks_next_with_no_role_of_their_own(phrasing):
    a = read(reported("a spokeswoman for the mayor", phrasing) + "\n\n"
             "\u201cWe will start in May,\u201d said Ana Ortiz.")
    assert speaker_of(a, REPORT, "indirect") == "Ana Ortiz"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_spokeswoman_is_not_the_next_speaker_who_has_another_role(phrasing):
    a = read(reported("a spokeswoman for the mayor", phrasing) + "\n\n"
             "\u201cWe will start in May,\u201d said Ana Ortiz, vice-president of the dredging firm.")
    assert speaker_of(a, REPORT, "indirect") == "spokeswoman for the mayor"


# -- "the official" after "an official who ..." spoke -----------------------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_the_unnamed_source_again_is_the_one_who_spoke_before(phrasing):
    a = read("A port official familiar with the budget said the dredging would start in May.\n\n"
             + reported("the official, who was not authorized to speak publicly", phrasing))
    assert speaker_of(a, REPORT, "indirect") == "port official familiar with the budget"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_another_unnamed_noun_is_not_the_source_who_spoke_before(phrasing):
    a = read("A person familiar with the budget said the dredging would start in May.\n\n"
             + reported("the official, who was not authorized to speak publicly", phrasing))
    assert speaker_of(a, REPORT, "indirect") != "person familiar with the budget"


# -- "a statement" in the paragraph where someone just spoke ------------------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_statement_after_an_organisation_speaks_in_the_paragraph_is_its_statement(phrasing):
    a = read("The Harbour Port Authority said the channel would close for a month. "
             + reported("a statement", phrasing))
    assert speaker_of(a, REPORT, "indirect") == "the Harbour Port Authority"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_statement_in_another_paragraph_is_not_the_last_speakers(phrasing):
    a = read("The Harbour Port Authority said the channel would close for a month.\n\n"
             + reported("a statement", phrasing))
    assert speaker_of(a, REPORT, "indirect") == "a statement"


# -- a described source keeps the participle that says which one ------------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_described_source_keeps_its_participle_phrase(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("most of the residents surveyed by the port board", phrasing))
    assert speaker_of(a, REPORT, "indirect") == "most of the residents surveyed by the port board"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_participle_with_a_quotation_in_it_is_not_part_of_the_source(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("residents dubbed \u201cthe dredgers\u201d by the port board", phrasing))
    assert speaker_of(a, REPORT, "indirect") == "residents"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_group_named_by_example_keeps_the_example(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("critics like the harbour pilots", phrasing))
    assert speaker_of(a, REPORT, "indirect") == "critics like the harbour pilots"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_comparison_set_off_by_commas_is_not_part_of_the_group(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("critics, like the harbour pilots before them,", phrasing).replace(",,", ","))
    assert speaker_of(a, REPORT, "indirect") == "critics"


# -- a listed group, and "many" of it ----------------------------------------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_listed_group_is_the_whole_list(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("pilots, dockers and shippers", phrasing))
    assert speaker_of(a, REPORT, "indirect") == "pilots, dockers and shippers"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_clause_after_the_comma_does_not_join_the_group(phrasing):
    a = read("Docking fees at the Norland harbour went up on Monday.\n\n"
             + reported("pilots, who met on Monday,", phrasing).replace(",,", ","))
    assert speaker_of(a, REPORT, "indirect") == "pilots"



@pytest.mark.parametrize("verb", ["saying", "arguing"])
def test_many_in_a_with_clause_are_of_the_group_the_sentence_is_about(verb):
    a = read(f"Dockers crowded the pier, with many {verb} {REPORT}.")
    assert speaker_of(a, REPORT, "indirect") == "dockers"


@pytest.mark.parametrize("verb", ["saying", "arguing"])
def test_many_are_not_an_organisation_the_sentence_is_about(verb):
    a = read(f"The union crowded the pier, with many {verb} {REPORT}.")
    assert speaker_of(a, REPORT, "indirect") == "many"
