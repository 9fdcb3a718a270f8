"""Who said it, on any outlet: each rule of issue 11's "What must be right", as pairs of a case that
must attribute and one that must not, in two phrasings ("X said" and "according to X").

Every paragraph below is written for this project (invented people, places and events); none
comes from the evaluation sets.
"""
from __future__ import annotations

import pytest

from extract_helpers import read, speaker_of

REPORT = "the new fees would pay for dredging the channel"


def spoken(intro: str, phrasing: str, speaker: str) -> str:
    """One paragraph of context, then a report in the given phrasing."""
    if phrasing == "said":
        return f"{intro}\n\n{speaker[0].upper() + speaker[1:]} said {REPORT}."
    return f"{intro}\n\nAccording to {speaker}, {REPORT}."


PHRASINGS = ["said", "according to"]


# -- a description as the speaker ---------------------------------------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_description_of_a_named_organisation_is_that_organisation(phrasing):
    a = read(spoken("The Harbour Port Authority raised docking fees on Monday.", phrasing, "the agency"))
    assert speaker_of(a, REPORT, "indirect") == "the Harbour Port Authority"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_an_unnamed_source_is_the_whole_description_never_a_nearby_name(phrasing):
    a = read(spoken("Mayor Tom Reyes opened the new channel on Monday.", phrasing,
                    "an official who asked not to be named"))
    assert speaker_of(a, REPORT, "indirect") == "official who asked not to be named"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_role_with_nobody_named_stays_a_description(phrasing):
    a = read(spoken("OTTAWA — Docking fees went up on Monday.", phrasing, "the finance minister"))
    assert speaker_of(a, REPORT, "indirect") == "finance minister"  # never the dateline's place


# -- documents --------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_document_speaks_for_whoever_the_text_says_issued_it(phrasing):
    a = read(spoken("The Riverside Port Institute released a report on Tuesday.", phrasing, "the report"))
    assert speaker_of(a, REPORT, "indirect") == "the Riverside Port Institute"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_document_with_no_issuer_named_is_the_document_not_a_person_nearby(phrasing):
    a = read(spoken("Nurse Ana Ortiz has worked at the harbour clinic for a decade.", phrasing, "the report"))
    assert speaker_of(a, REPORT, "indirect") == "the report"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_study_by_an_organisation_is_the_organisation(phrasing):
    a = read(spoken("Fees have risen three times since 2020.", phrasing, "a study by the Coastal Trade Council"))
    assert speaker_of(a, REPORT, "indirect") == "the Coastal Trade Council"


# -- "his office", "her campaign" ----------------------------------------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_his_office_is_that_persons_office(phrasing):
    a = read(spoken("Senator Mark Ellison voted against the harbour bill on Friday.", phrasing, "his office"))
    assert speaker_of(a, REPORT, "indirect") == "Mark Ellison's office"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_named_office_is_the_organisation_not_a_person(phrasing):
    a = read(spoken("Docking fees went up on Monday.", phrasing, "the Mayor's Office"))
    assert speaker_of(a, REPORT, "indirect") == "the Mayor's Office"


# -- carried speakers ----------------------------------------------------------------------------------

FLOATING = '"Every family will have a place for their children."'


@pytest.mark.parametrize("first", [
    '"We will rebuild the school before winter," said principal Joan Pike.',
    "According to principal Joan Pike, the school will be rebuilt before winter.",
])
def test_a_floating_quote_continues_the_previous_speaker_when_nothing_intervenes(first):
    a = read(f"{first}\n\n{FLOATING}")
    assert speaker_of(a, "Every family will have a place") == "Joan Pike"


@pytest.mark.parametrize("between", [
    "Parent Omar Haddad said the delay had already cost the families a year.",
    '"It is far too late," said parent Omar Haddad.',
])
def test_a_floating_quote_is_not_carried_over_another_quoted_person(between):
    a = read('"We will rebuild the school before winter," said principal Joan Pike.\n\n'
             f"{between}\n\n{FLOATING}")
    assert speaker_of(a, "Every family will have a place") != "Joan Pike"


# -- pronouns by role ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Coach Tom Ruiz spoke after the loss to Peter Lang's team on Friday.\n\n"
    '"We were not ready for their speed," he said.',
    "According to coach Tom Ruiz, the loss to Peter Lang's team was deserved.\n\n"
    '"We were not ready for their speed," he said.',
])
def test_he_is_the_subject_of_the_last_attribution_not_the_latest_name(text):
    assert speaker_of(read(text), "We were not ready for their speed") == "Tom Ruiz"


@pytest.mark.parametrize("text", [
    "Coach Tom Ruiz spoke after the loss to Peter Lang's team on Friday.\n\n"
    '"We were not ready for their speed," she said.',
    "The Coastal Trade Council met on Friday.\n\nShe said the fees would rise again.",
])
def test_she_is_never_a_man_or_an_organisation(text):
    a = read(text)
    assert all(q.speaker not in ("Tom Ruiz", "Peter Lang", "the Coastal Trade Council") for q in a.quotes)


# -- what a speaker is never -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    '"The vote was rigged from the start," Dana Whitcombe wrote on Twitter.',
    "On Twitter, Dana Whitcombe said the vote had been rigged from the start.",
])
def test_a_platform_is_never_the_speaker(text):
    assert speaker_of(read(text), "rigged from the start") == "Dana Whitcombe"


@pytest.mark.parametrize("figure", ["Nineteen percent", "19 percent"])
def test_a_figure_is_never_the_speaker(figure):
    a = read(f"A poll of 900 harbour workers was released on Monday.\n\n{figure} said they would vote to strike.")
    assert all(q.speaker is None or "percent" not in q.speaker.lower() or " of " in q.speaker for q in a.quotes)


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_place_speaks_only_as_the_subject_of_a_speech_verb(phrasing):
    a = read(spoken("Fees went up on Monday.", phrasing, "Norland"))
    assert speaker_of(a, REPORT, "indirect") == "Norland"


@pytest.mark.parametrize("text", [
    f"OTTAWA — Officials at the port said {REPORT}.",
    f"HALIFAX — According to officials at the port, {REPORT}.",
])
def test_a_dateline_place_is_never_the_speaker(text):
    speaker = speaker_of(read(text), REPORT, "indirect")
    assert speaker and "OTTAWA" not in speaker and "HALIFAX" not in speaker


@pytest.mark.parametrize("caption", [
    "[Video: FULL SPEECH: President Dana Cole Speech at Harbour Rally] Watch on YouTube.",
    "WATCH: Senator Dana Cole Speaks To Harbour Workers At Night Rally",
])
def test_title_case_captions_never_yield_a_speaker_name(caption):
    a = read(f'{caption}\n\n"We will win this state," she said.')
    assert all(q.speaker is None or "Cole" not in q.speaker for q in a.quotes)


# -- descriptions ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    f"Republican presidential nominee Dana Whitcombe said {REPORT}.",
    f"According to Republican presidential nominee Dana Whitcombe, {REPORT}.",
])
def test_a_role_before_a_name_is_the_description(text):
    a = read(text)
    assert {s.name: s.description for s in a.speakers}["Dana Whitcombe"] == "Republican presidential nominee"


@pytest.mark.parametrize("text", [
    f"Governor Ray Holt and Republican presidential nominee Dana Whitcombe met on Monday. Whitcombe said {REPORT}.",
    f"In a Bloomberg interview Dana Whitcombe said {REPORT}.",
])
def test_a_description_never_holds_another_persons_name_or_a_non_role(text):
    description = {s.name: s.description for s in read(text).speakers}["Dana Whitcombe"]
    assert description in (None, "Republican presidential nominee")


# -- which earlier name a description points back to --------------------------------------------------

@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_description_naming_its_own_country_is_not_the_latest_organisation(phrasing):
    a = read(spoken("The Harbour Port Authority raised docking fees on Monday.", phrasing, "the Canadian government"))
    assert speaker_of(a, REPORT, "indirect") == "the Canadian government"


FILLER = "Tugs and barges moved cargo along the channel all week, and the weather held until Friday. " * 8


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_the_company_is_the_organisation_that_just_spoke(phrasing):
    intro = "Baltic Lines said it would add two ships.\n\nHarbour Freight has cut three routes since May."
    a = read(spoken(intro, phrasing, "the company"))
    assert speaker_of(a, REPORT, "indirect") == "Baltic Lines"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_the_company_long_after_an_organisation_spoke_is_the_one_in_focus_now(phrasing):
    intro = (f"Baltic Lines said it would add two ships.\n\n{FILLER}\n\n{FILLER}\n\n"
             "Northway Logistics has cut three routes since May.")
    a = read(spoken(intro, phrasing, "the company"))
    assert speaker_of(a, REPORT, "indirect") == "Northway Logistics"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_bare_role_is_the_person_in_focus(phrasing):
    a = read(spoken("Tom Reyes was sworn in as mayor on Monday.", phrasing, "the mayor"))
    assert speaker_of(a, REPORT, "indirect") == "Tom Reyes"


@pytest.mark.parametrize("speaker", ["the father", "the person familiar with the talks"])
@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_relative_or_a_source_placed_by_its_own_words_is_not_the_person_in_focus(phrasing, speaker):
    a = read(spoken("Mayor Tom Reyes visited the harbour clinic on Monday.", phrasing, speaker))
    assert speaker_of(a, REPORT, "indirect") == speaker[4:]


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_an_organisation_name_runs_over_on_and_of(phrasing):
    a = read(spoken("Fees rose on Monday.", phrasing, "the National Institute on Ocean Safety"))
    assert speaker_of(a, REPORT, "indirect") == "the National Institute on Ocean Safety"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_person_of_an_organisation_is_the_person_not_the_organisation(phrasing):
    a = read(spoken("Fees rose on Monday.", phrasing, "Dana Moss of the Federal Institute for Ports"))
    assert speaker_of(a, REPORT, "indirect") == "Dana Moss"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_description_that_an_organisation_name_holds_is_that_organisation(phrasing):
    a = read(spoken("Mayor Tom Reyes wrote to the Anglican Diocese of Bayview on Monday.", phrasing, "the diocese"))
    assert speaker_of(a, REPORT, "indirect") == "the Anglican Diocese of Bayview"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_role_stays_the_person_even_beside_an_organisation_name(phrasing):
    a = read(spoken("Tom Reyes has chaired the Bayview Harbour Trust since 2019.", phrasing, "the chairman"))
    assert speaker_of(a, REPORT, "indirect") == "Tom Reyes"


# -- a quotation inside someone's sentence -------------------------------------------------------------

GAMBLE = "a reckless gamble with money the harbour does not have"
REYES_SPOKE = '"We will pass it this spring," Mayor Tom Reyes said.'


@pytest.mark.parametrize("sentence", [f'Councillor Dana Moss called the plan "{GAMBLE}" on Monday.',
                                      f'Councillor Dana Moss thanked the crews for "{GAMBLE}."'])
def test_a_quotation_inside_a_clause_is_its_subjects_not_the_previous_speakers(sentence):
    a = read(f"{REYES_SPOKE}\n\n{sentence}")
    assert speaker_of(a, GAMBLE) == "Dana Moss"


@pytest.mark.parametrize("sentence", [f'Councillor Dana Moss said Ben Ortiz was wrong to call the plan "{GAMBLE}."',
                                      f'According to Councillor Dana Moss, Ben Ortiz was wrong to call the plan "{GAMBLE}."'])
def test_a_quotation_inside_a_reported_clause_is_the_reporters(sentence):
    a = read(f"{REYES_SPOKE}\n\n{sentence}")
    assert speaker_of(a, GAMBLE) == "Dana Moss"  # never Ben Ortiz, the subject inside the report



@pytest.mark.parametrize("speaker", ["aides to Mayor Tom Reyes", "an adviser to the harbour board"])
@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_an_unnamed_source_keeps_whom_it_works_for(phrasing, speaker):
    a = read(spoken("Fees rose on Monday.", phrasing, speaker))
    assert speaker_of(a, REPORT, "indirect") == speaker.removeprefix("an ")  # never "aides", never Tom Reyes


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_release_sent_from_an_organisation_is_the_organisation(phrasing):
    a = read(spoken("Fees rose on Monday.", phrasing, "a release sent to reporters from the Harbour Workers Union"))
    assert speaker_of(a, REPORT, "indirect") == "the Harbour Workers Union"  # never "a release"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_union_locals_number_is_part_of_its_name(phrasing):
    a = read(spoken("Fees rose on Monday.", phrasing, "United Steelworkers Local 1005"))
    assert speaker_of(a, REPORT, "indirect") == "United Steelworkers Local 1005"


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_a_persons_age_is_not_part_of_the_name(phrasing):
    a = read(spoken("Fees rose on Monday.", phrasing, "Tom Reyes, 54,").replace("54,,", "54,"))
    assert speaker_of(a, REPORT, "indirect") == "Tom Reyes"


# -- the clause before a colon ------------------------------------------------------------------------

@pytest.mark.parametrize("verb", ["said", "told reporters"])
def test_a_clause_before_a_colon_that_someone_reports_is_theirs(verb):
    a = read("The council voted to close the branch library on Monday.\n\n"
             f"Councillor Dana Moss {verb} her words say it all about the council: "
             "\"They never listened to the people who use the branch every day.\"")
    assert speaker_of(a, "They never listened", "direct") == "Dana Moss"
    assert all(q.speaker != "her words" for q in a.quotes)


def test_the_subject_before_a_colon_speaks_when_no_one_reports_the_clause():
    a = read("The council voted to close the branch library on Monday.\n\n"
             "Councillor Dana Moss was blunt about the council: "
             "\"They never listened to the people who use the branch every day.\"")
    assert speaker_of(a, "They never listened", "direct") == "Dana Moss"


# -- "X issued a statement saying ..." ----------------------------------------------------------------

@pytest.mark.parametrize("issued", ["issued a statement", "released a report"])
def test_a_document_someone_issues_saying_something_speaks_for_them(issued):
    a = read(f"On Saturday, Mayor Dan Ruiz {issued} saying that Tom Bell was \"a remarkable person and a fine judge.\"")
    assert speaker_of(a, "a remarkable person", "direct") == "Dan Ruiz"  # never Tom Bell, whom it is about


def test_a_document_nobody_issues_here_gives_no_speaker_to_what_it_shows():
    a = read("The harbour board met on Monday. Economic releases showing that factory orders slowed "
             "in December worried the board.")
    assert not [q for q in a.quotes if "factory orders" in q.text]


def test_an_auxiliary_before_the_speech_verb_is_never_the_speaker():
    a = read("The council met on Friday.\n\n"
             "Tom Bell, asked about the closure, had said, \"I think our town does plenty of damage already.\"")
    assert speaker_of(a, "plenty of damage", "direct") == "Tom Bell"  # never "had"


# -- ", saying ..." after an inner clause ------------------------------------------------------------

@pytest.mark.parametrize("mark", [" —", ","])
def test_a_participle_after_an_inner_clause_speaks_for_the_sentence_subject(mark):
    a = read("Committee Chair Ann Lowe dismissed Tom Bell's accusations that the Ruiz campaign is violating "
             f"federal election law through its agreement with the committee{mark} saying the Bell campaign "
             "chose not to accept the same help.")
    assert speaker_of(a, "chose not to accept the same help", "indirect") == "Ann Lowe"  # not the Ruiz campaign


def test_a_participle_after_a_speech_verb_with_its_own_subject_stays_with_that_speaker():
    a = read("Governor Ann Lowe cannot say that \"from her perspective,\" Tom Bell added, saying it should be "
             "\"up to the prosecutor to move forward or not.\"")
    assert speaker_of(a, "up to the prosecutor") == "Tom Bell"


# -- loud speech, and the passive -------------------------------------------------------------------

@pytest.mark.parametrize("verb", ["shout", "chant"])
def test_words_shouted_inside_someone_elses_report_are_the_shouters(verb):
    a = read("Fans gathered outside the arena on Sunday.\n\n"
             f"Coach Ana Ruiz said she heard spectators {verb}, \"Bring back the old rink!\"")
    assert speaker_of(a, "Bring back the old rink", "direct") == "spectators"  # not the one who heard them


@pytest.mark.parametrize("verb", ["yelled at", "told"])
def test_the_subject_of_a_passive_speech_verb_is_spoken_to_not_the_speaker(verb):
    a = read("Goalie Tom Bell spoke after the game on Sunday.\n\n"
             f"Bell said his teammate Ray Lund was {verb} \"simply for wearing the visitors' jersey.\"")
    assert speaker_of(a, "simply for wearing", "direct") == "Tom Bell"  # never Ray Lund, who heard it


# -- links to other stories --------------------------------------------------------------------------

def test_a_name_in_a_read_more_link_is_not_in_focus_for_a_pronoun():
    a = read("Mayor Ana Ruiz opened the new rink on Sunday.\n\n"
             "READ MORE: Tom Bell launches rink petition\n\n"
             "\"This is a fine day for the town,\" he said.")
    assert speaker_of(a, "a fine day for the town", "direct") != "Tom Bell"


# -- "said guide Tomas Berg" ---------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["guide", "screenwriter"])
def test_a_role_word_before_a_name_after_said_is_part_of_the_speaker(role):
    a = read(f"\"The river is high this week,\" said {role} Tomas Berg.")
    assert speaker_of(a, "The river is high", "direct") == "Tomas Berg"


def test_a_verb_after_said_is_not_a_role_before_a_name():
    a = read("Mayor Ana Ruiz spoke on Monday.\n\n"
             "\"The river is high this week,\" she said, warning Tomas Berg.")
    assert speaker_of(a, "The river is high", "direct") == "Ana Ruiz"


# -- "reports by X" ----------------------------------------------------------------------------------

@pytest.mark.parametrize("issuer", ["two newspapers", "media outlets including the Norland Gazette and CKNW"])
def test_documents_by_someone_speak_for_them_later(issuer):
    a = read(f"Minister Ana Ruiz denied reports by {issuer} saying the port would close.\n\n"
             "The reports said the harbour board had voted in secret.")
    assert speaker_of(a, "voted in secret", "indirect") == issuer


def test_documents_with_no_issuer_stay_the_documents():
    a = read("Minister Ana Ruiz denied reports saying the port would close.\n\n"
             "The reports said the harbour board had voted in secret.")
    assert speaker_of(a, "voted in secret", "indirect") == "the reports"  # never the minister who denied them
# -- a full stop inside the closing mark ends the sentence ----------------------------------------------

@pytest.mark.parametrize("verb", ["says", "argued that"])
def test_the_next_sentences_subject_is_not_the_speaker_of_a_quote_that_ended(verb):
    a = read("The harbour board met on Monday.\n\n"
             f"Mayor Tom Reyes {verb} Ben Ortiz \"has a long record of keeping the channel open.\" "
             "Councillor Dana Moss warned that the dredging would \"cost far more than anyone admits.\"")
    assert speaker_of(a, "long record of keeping", "direct") == "Tom Reyes"  # never Dana Moss


@pytest.mark.parametrize("mark", ["?", "!"])
def test_a_question_or_exclamation_is_still_followed_by_its_speaker(mark):
    a = read("The harbour board met on Monday.\n\n"
             f"\"Who will pay for the dredging{mark}\" Councillor Dana Moss asked the board.")
    assert speaker_of(a, "Who will pay for the dredging", "direct") == "Dana Moss"


# -- verbs of the manner of speaking --------------------------------------------------------------------

@pytest.mark.parametrize("frame", ["beamed Councillor Dana Moss", "Councillor Dana Moss shot back"])
def test_a_verb_of_the_manner_of_speaking_attributes_the_quote(frame):
    a = read("Mayor Tom Reyes opened the new channel on Monday.\n\n"
             f"\"This is the best day the harbour has had in years,\" {frame}.")
    assert speaker_of(a, "best day the harbour", "direct") == "Dana Moss"  # never the mayor in focus


@pytest.mark.parametrize("sentence", ["Councillor Dana Moss pleaded guilty to the same charge in 2011.",
                                      "Councillor Dana Moss was being yelled at by the crowd."])
def test_a_manner_word_that_is_no_speech_reports_nothing(sentence):
    a = read(f"Mayor Tom Reyes opened the new channel on Monday.\n\n{sentence}")
    assert not [q for q in a.quotes if "Moss" in q.text or "charge" in q.text or "crowd" in q.text]


# -- a name standing alone before a colon ---------------------------------------------------------------

@pytest.mark.parametrize("lead", ["Councillor Dana Moss:", "Turnout fell again - Dana Moss:"])
def test_a_name_alone_before_the_colon_introduces_the_quote(lead):
    a = read("Mayor Tom Reyes opened the new channel on Monday.\n\n"
             f"{lead} \"Fewer people came to the polls than in any year since the harbour opened.\"")
    assert speaker_of(a, "Fewer people came to the polls", "direct") == "Dana Moss"


@pytest.mark.parametrize("lead", ["The harbour board thanked Dana Moss:", "The board sent a letter to Dana Moss:"])
def test_a_name_inside_a_clause_before_the_colon_is_not_the_speaker_by_itself(lead):
    a = read("The harbour board met on Monday.\n\n"
             f"{lead} \"Fewer people came to the polls than in any year since the harbour opened.\"")
    assert speaker_of(a, "Fewer people came to the polls", "direct") != "Dana Moss"


# -- an outlet speaks only as the subject of its own speech verb ----------------------------------------

@pytest.mark.parametrize("frame", ["Reuters said in a statement", "Reuters reported"])
def test_an_outlet_that_says_something_is_the_speaker(frame):
    a = read("Mayor Tom Reyes opened the new channel on Monday.\n\n"
             f"\"The channel will close again by the end of the year,\" {frame}.")
    assert speaker_of(a, "close again by the end", "direct") == "Reuters"


@pytest.mark.parametrize("frame", ["Mayor Tom Reyes told Reuters", "Mayor Tom Reyes said, according to Reuters"])
def test_an_outlet_that_is_told_or_carries_the_words_is_not_the_speaker(frame):
    a = read("The harbour board met on Monday.\n\n"
             f"\"The channel will close again by the end of the year,\" {frame}.")
    assert speaker_of(a, "close again by the end", "direct") == "Tom Reyes"


# -- "X's spokesman said": the role speaks, not its owner -----------------------------------------------

@pytest.mark.parametrize("frame", ["said Reyes's deputy campaign manager, Dana Moss",
                                   "Reyes's deputy campaign manager, Dana Moss, said"])
def test_a_role_named_in_apposition_is_that_person_not_the_owner(frame):
    a = read("Mayor Tom Reyes opened the new channel on Monday.\n\n"
             f"\"We are treating the whole month as one long election day,\" {frame}.")
    assert speaker_of(a, "one long election day", "direct") == "Dana Moss"


@pytest.mark.parametrize("owner", ["Reyes's office", "Reyes's campaign"])
def test_the_office_of_someone_is_not_that_person(owner):
    a = read("Mayor Tom Reyes opened the new channel on Monday.\n\n"
             f"\"We are treating the whole month as one long election day,\" {owner} said in a statement.")
    assert speaker_of(a, "one long election day", "direct") == f"Tom {owner}"


# -- a hyphen inside a name or a description is part of the word -----------------------------------------

@pytest.mark.parametrize("frame", ["said economist Ana Holtz-Berg", "Ana Holtz-Berg, an economist, said"])
def test_a_hyphenated_name_is_the_whole_name(frame):
    a = read("The harbour board met on Monday.\n\n"
             f"\"The fees will not cover the cost of dredging,\" {frame}.")
    assert speaker_of(a, "will not cover the cost", "direct") == "Ana Holtz-Berg"


@pytest.mark.parametrize("frame", ["said organizers of a pro-dredging rally", "organizers of a pro-dredging rally said"])
def test_a_hyphenated_word_in_a_description_is_kept_whole(frame):
    a = read("The harbour board met on Monday.\n\n"
             f"\"The fees will not cover the cost of dredging,\" {frame}.")
    assert speaker_of(a, "will not cover the cost", "direct") == "organizers of a pro-dredging rally"


@pytest.mark.parametrize("frame", ["said long-time resident Ana Berg", "Ana Berg, a long-time resident, said"])
def test_a_hyphenated_word_before_a_name_is_not_part_of_it(frame):
    a = read("The harbour board met on Monday.\n\n"
             f"\"The fees will not cover the cost of dredging,\" {frame}.")
    assert speaker_of(a, "will not cover the cost", "direct") == "Ana Berg"


# -- a floating quote after "X said that ..." in its paragraph -----------------------------------------

@pytest.mark.parametrize("verb", ["said that", "argued that"])
def test_a_floating_quote_continues_the_speaker_of_its_paragraphs_speech_verb(verb):
    a = read("\"We will open the channel in May,\" Mayor Tom Reyes said.\n\n"
             f"Later, Councillor Dana Moss {verb} the date would slip well past the end of the summer season. "
             "\"That adds two months to the work.\"")
    assert speaker_of(a, "adds two months", "direct") == "Dana Moss"  # not the previous paragraph's Reyes


@pytest.mark.parametrize("middle", ["The board met again on Friday.", "The board will vote in June, the clerk noted."])
def test_a_paragraph_with_no_speech_verb_before_the_quote_continues_the_previous_quote(middle):
    a = read("\"We will open the channel in May,\" Mayor Tom Reyes said.\n\n"
             f"\"That adds two months to the work.\" {middle}")
    assert speaker_of(a, "adds two months", "direct") == "Tom Reyes"


@pytest.mark.parametrize("verb", ["said", "argued that"])
def test_a_speech_verb_in_the_next_sentence_does_not_take_a_quote_that_ended(verb):
    a = read("\"We will open the channel in May,\" Mayor Tom Reyes said.\n\n"
             f"\"That adds two months to the work.\" Councillor Dana Moss {verb} the board would vote in June.")
    assert speaker_of(a, "adds two months", "direct") == "Tom Reyes"


@pytest.mark.parametrize("frame", ["Councillor Dana Moss said on Friday", "Councillor Dana Moss argued on Friday"])
def test_a_speech_verb_after_a_comma_still_takes_the_quote(frame):
    a = read("\"We will open the channel in May,\" Mayor Tom Reyes said.\n\n"
             f"\"That adds two months to the work,\" {frame}.")
    assert speaker_of(a, "adds two months", "direct") == "Dana Moss"


# -- a thing is no source --------------------------------------------------------------------------------

@pytest.mark.parametrize("lead", ["Mayor Tom Reyes said that some kind of deal might be possible:",
                                  "Mayor Tom Reyes said that much of the plan might still change:"])
def test_a_thing_as_the_subject_before_a_colon_leaves_the_quote_to_who_reports_it(lead):
    a = read("The harbour board met on Monday.\n\n"
             f"{lead} \"In business, the question is always whether the two sides overlap.\"")
    assert speaker_of(a, "whether the two sides overlap", "direct") == "Tom Reyes"


@pytest.mark.parametrize("lead", ["The timing of the vote does not surprise anyone:",
                                  "Much of the debate was so quiet that a councillor remarked:"])
def test_a_thing_is_never_the_speaker(lead):
    a = read("The harbour board met on Monday.\n\n"
             f"{lead} \"In business, the question is always whether the two sides overlap.\"")
    assert speaker_of(a, "whether the two sides overlap", "direct") not in ("timing of the vote", "much of the debate",
                                                                            "Much of the debate")


# -- the "according to" nearest the quote ---------------------------------------------------------------

@pytest.mark.parametrize("first", ["According to one report, the board spent $2 million last year.",
                                   "The board spent $2 million last year, according to the city's report."])
def test_the_according_to_nearest_the_quote_names_its_source(first):
    a = read("The harbour board met on Monday.\n\n"
             f"{first} According to Councillor Dana Moss, \"the money went to dredging nobody asked for.\"")
    assert speaker_of(a, "went to dredging nobody asked for", "direct") == "Dana Moss"


def test_an_earlier_according_to_still_speaks_when_it_is_the_only_one():
    a = read("The harbour board met on Monday.\n\n"
             "According to Councillor Dana Moss, the board spent $2 million last year. "
             "\"The money went to dredging nobody asked for.\"")
    assert speaker_of(a, "went to dredging nobody asked for", "direct") == "Dana Moss"


# -- "X apologized for what happened:" -------------------------------------------------------------------

@pytest.mark.parametrize("lead", ["Councillor Dana Moss has since apologized for what happened:",
                                  "Councillor Dana Moss explained what was wrong with the plan:"])
def test_a_wh_clause_before_the_colon_leaves_the_quote_to_the_sentence_subject(lead):
    a = read("\"We will open the channel in May,\" Mayor Tom Reyes said.\n\n"
             f"{lead} \"I should have asked the board before I signed anything.\"")
    assert speaker_of(a, "asked the board before I signed", "direct") == "Dana Moss"


def test_a_clause_with_its_own_named_subject_before_the_colon_keeps_it():
    a = read("\"We will open the channel in May,\" Mayor Tom Reyes said.\n\n"
             "Councillor Dana Moss said the answer was simple: \"Nobody asked the board before signing anything.\"")
    assert speaker_of(a, "Nobody asked the board", "direct") == "Dana Moss"


@pytest.mark.parametrize("verb", ["said", "argued"])
def test_the_second_of_two_reported_clauses_before_a_colon_is_still_the_reporters(verb):
    a = read("Mayor Ann Lowe lost the vote.\n\n"
             f"Tom Bell {verb} this was a \"costly mistake\" and that she will not run again: "
             "\"They are ready for a longer fight if they need to be in one.\"")
    assert speaker_of(a, "ready for a longer fight", "direct") == "Tom Bell"  # not Ann Lowe, whom it is about


def test_two_clauses_joined_outside_any_report_keep_the_colon_clauses_subject():
    a = read("\"We will open the channel in May,\" Mayor Tom Reyes said.\n\n"
             "The vote was close and Councillor Dana Moss made her case: "
             "\"We are ready for a longer fight if it comes to that.\"")
    assert speaker_of(a, "ready for a longer fight", "direct") == "Dana Moss"
