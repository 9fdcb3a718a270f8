"""Who "he", "she" and "it" are when they speak (issue 11): pairs of a case that must attribute and one
that must not, in two phrasings each. A pronoun goes to the latest compatible speaker by role, never to
someone the reported words name, never to an organisation or a document ("he"/"she"), never to a person
("it").

Every paragraph below is written for this project (invented people, places and events); none
comes from the evaluation sets.
"""
from __future__ import annotations

import pytest

from extract_helpers import read, speaker_of

PILOT = '"We heard the first shots at noon," harbour pilot Ray Dunn said.\n\n'


# -- "X hid, he said, but Y ran": one report in two parts -------------------------------------------------

@pytest.mark.parametrize("report", ["Tom Bell and two deckhands hid in the boathouse, he said, but one sailor swam to the pier.",
                                    "Two deckhands hid in the boathouse, he said, but Tom Bell swam to the pier."])
def test_he_is_never_someone_either_part_of_his_report_names(report):
    a = read(PILOT + report)
    assert speaker_of(a, "hid in the boathouse", "indirect") == "Ray Dunn"
    assert speaker_of(a, "swam to the pier", "indirect") == "Ray Dunn"  # never Tom Bell


@pytest.mark.parametrize("report", ["Two deckhands hid in the boathouse, he said, but one sailor swam to the pier.",
                                    "Two deckhands hid in the boathouse, he said, and one sailor swam to the pier."])
def test_he_split_around_a_report_naming_no_one_is_the_latest_subject_in_both_parts(report):
    a = read(PILOT + "Tom Bell reached the pier an hour later.\n\n" + report)
    assert speaker_of(a, "hid in the boathouse", "indirect") == "Tom Bell"
    assert speaker_of(a, "swam to the pier", "indirect") == "Tom Bell"


# -- where someone works is an organisation: "she" is never it -------------------------------------------

SHELTER = '"People here look out for each other, and they notice when someone is gone," {pronoun} says.'


@pytest.mark.parametrize("intro", [
    "The survey is the first of its kind, according to Gordon Hall.\n\n"
    "Ilka Vance, a senior researcher at Gordon Hall, said the survey took two years.",
    "Gordon Hall has run the shelter since 2003.\n\n"
    "According to Ilka Vance, a senior researcher at Gordon Hall, the survey took two years.",
])
def test_she_is_never_the_place_a_researcher_works_at(intro):
    a = read(f"{intro} Vance said Gordon Hall started the survey to learn why families leave the valley.\n\n"
             + SHELTER.format(pronoun="she"))
    assert speaker_of(a, "look out for each other", "direct") == "Ilka Vance"


@pytest.mark.parametrize("intro", ["Gordon Hall, a senior researcher at the Valley Institute, said the survey took two years.",
                                   "According to Gordon Hall, a senior researcher at the Valley Institute, the survey took two years."])
def test_a_person_who_works_somewhere_is_still_a_person(intro):
    a = read(f"{intro}\n\n" + SHELTER.format(pronoun="he"))
    assert speaker_of(a, "look out for each other", "direct") == "Gordon Hall"


# -- a name set beside a subject that is a role is that subject ------------------------------------------

DUNN_SPOKE = '"The tankers came in late all week," harbour pilot Ray Dunn said.\n\n'
CREW = '"We believe it is the same crew," he said.'


@pytest.mark.parametrize("subject", ["Manager, port operations at Kelso Freight, Tom Bell,",
                                     "Head, cargo planning at logistics firm Kelso, Tom Bell, also"])
def test_he_is_the_name_beside_a_role_subject_however_it_is_parsed(subject):
    a = read(f"{DUNN_SPOKE}{subject} agreed with the pilots.\n\n{CREW}")
    assert speaker_of(a, "the same crew", "direct") == "Tom Bell"


@pytest.mark.parametrize("subject", ["The lawyer for Tom Bell", "A cousin of deckhand Tom Bell"])
def test_a_name_inside_a_subject_that_is_someone_else_is_not_the_subject(subject):
    a = read(f"{DUNN_SPOKE}{subject} agreed with the pilots at the hearing.\n\n{CREW}")
    assert speaker_of(a, "the same crew", "direct") != "Tom Bell"


# -- the text tells who "she" is: a pronoun in the narrative, "her father X", "Ms." ------------------------

MOSS_SPOKE = '"We will appeal," harbour pilot Linnea Moss said.\n\n'


@pytest.mark.parametrize("story", [
    "For Sol Okafor, Friday is a day she has waited for since the storm. Her brother Lee Okafor drowned that night.\n\n"
    '"I want to hear the sentence," she said.',
    "For Jo Okafor, the verdict is something she has waited for since the storm. Her father Lee Okafor drowned "
    'that night.\n\n"I want to hear the sentence," she told reporters.',
])
def test_she_is_the_woman_the_narrative_just_called_she_not_her_brother_or_an_earlier_speaker(story):
    a = read(MOSS_SPOKE + story)
    assert speaker_of(a, "hear the sentence", "direct") == story.split(",")[0].removeprefix("For ")


@pytest.mark.parametrize("story", ["Sol Okafor hid in the boathouse that night, she said.",
                                   "Sol Okafor hid in the boathouse that night, she told reporters."])
def test_a_she_who_speaks_is_not_bound_to_the_name_in_her_own_report(story):
    a = read(MOSS_SPOKE + story + '\n\n"I want to hear the sentence," she said.')
    assert speaker_of(a, "hid in the boathouse", "indirect") == "Linnea Moss"
    assert speaker_of(a, "hear the sentence", "direct") == "Linnea Moss"


# -- "maintain a presence" is not speech: a quotation in what "he" reports is his ---------------------------

BELL_SPOKE = "Inspector Tom Bell spoke on Monday.\n\n"


@pytest.mark.parametrize("report", [
    'He said HPD will maintain a presence in the bay this week and will next week transition to a '
    '"much smaller presence, one that everyone can live with."',
    'He said the Harbour Police will maintain a presence on the pier and then move to a '
    '"quieter watch that lets the fishermen work."',
])
def test_a_quotation_in_what_he_reports_is_his_not_the_subject_of_maintain_a_presence(report):
    a = read(BELL_SPOKE + report)
    assert [q.speaker for q in a.quotes if q.kind == "direct"] == ["Tom Bell"]


@pytest.mark.parametrize("verb", ["maintained", "maintain"])
def test_maintain_that_is_still_speech(verb):
    a = read('"We will keep the patrols going," Inspector Tom Bell said.\n\n'
             f'The Harbour Police {verb} that "the patrols have never put a boat at risk."')
    assert speaker_of(a, "never put a boat at risk", "direct") == "Harbour Police"
