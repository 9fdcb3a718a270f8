"""Reports whose speaker is named only through the sentence's grammar: the noun a "who said" clause
modifies, the subject a coordinated "... and said" shares, the outlet of "according to". Each rule
is a pair: a case that must attribute and one that must not, in two phrasings.

Every paragraph below is written for this project (invented people, places and events); none
comes from the evaluation sets.
"""
from __future__ import annotations

import pytest

from extract_helpers import read, speaker_of

REPORT = "the new fees would pay for dredging the channel"


def reported(article, fragment: str):
    """The speaker of the indirect quote holding `fragment`, or "dropped" when no report holds it."""
    hits = [q for q in article.quotes if q.kind == "indirect" and fragment in q.text]
    return hits[0].speaker if hits else "dropped"


# -- the subject "who" of a relative clause is the noun it modifies ---------------------------------------

@pytest.mark.parametrize("text", [
    f"The vote went ahead on Monday despite objections from Mayor Tom Reyes, who said {REPORT}.",
    f"The vote went ahead on Monday. Tom Reyes, a harbour pilot who argued that {REPORT}, voted against it.",
])
def test_who_said_is_the_person_the_clause_modifies(text):
    assert speaker_of(read(text), REPORT, "indirect") == "Tom Reyes"


@pytest.mark.parametrize("text", [
    f"Dock workers who said {REPORT} lined up outside the hall on Monday.",
    f"The council heard from dock workers who warned that {REPORT}.",
])
def test_who_said_after_a_group_is_the_group(text):
    assert (speaker_of(read(text), REPORT, "indirect") or "").lower() == "dock workers"


@pytest.mark.parametrize("text", [
    'Tom Reyes, who complained about the delays for a year, said the new channel "will change everything."',
    'Tom Reyes said the way the council ignored sailors who complained about the delays "is a disgrace."',
])
def test_who_complained_about_something_says_nothing_here(text):
    a = read(text)
    # one quote, his (quoted words inside his report are part of it: test_extract_report_spans.py)
    assert [q.speaker for q in a.quotes] == ["Tom Reyes"]


# -- a verb coordinated with an earlier one shares its subject ----------------------------------------------

@pytest.mark.parametrize("text", [
    f"Harbour pilot Tom Reyes rubbed his chin on Monday and said {REPORT}.",
    f"Tom Reyes arrived late, thanked the crew and told reporters that {REPORT}.",
])
def test_x_did_something_and_said_is_x(text):
    assert speaker_of(read(text), REPORT, "indirect") == "Tom Reyes"


@pytest.mark.parametrize("text, expected", [
    (f"Tom Reyes left the hall early and the port council said {REPORT}.", "the port council"),
    (f"Tom Reyes spoke first.\n\nThe ferry timetables were rewritten in May and suggested that {REPORT}.", "dropped"),
])
def test_and_said_never_borrows_a_subject_that_cannot_speak_or_another_clauses(text, expected):
    assert reported(read(text), REPORT) == expected


# -- "according to" a news outlet names the outlet as the source ---------------------------------------------

@pytest.mark.parametrize("text", [
    f"Docking fees rose on Monday, and {REPORT}, according to Reuters.",
    f"According to the Associated Press, {REPORT}.",
])
def test_according_to_an_outlet_is_the_outlet(text):
    assert (speaker_of(read(text), REPORT, "indirect") or "").lower() in ("reuters", "the associated press",
                                                                           "associated press")


@pytest.mark.parametrize("text", [
    f"Harbour pilot Tom Reyes told Reuters on Monday that {REPORT}.",
    f"In an interview with the Associated Press, harbour pilot Tom Reyes said {REPORT}.",
    f"Harbour pilot Tom Reyes said {REPORT}, according to Reuters.",
])
def test_an_outlet_told_something_or_carrying_someones_words_is_not_the_source(text):
    assert [q.speaker for q in read(text).quotes if REPORT in q.text] == ["Tom Reyes"]


# -- "..., saying" after a verb with no subject of its own ---------------------------------------------------

@pytest.mark.parametrize("text", [
    f"Harbour pilot Tom Reyes sought to calm the crowd, and took the heckling in stride, saying {REPORT}.",
    f"Tom Reyes arrived at noon and shook hands with the crews, telling reporters that {REPORT}.",
])
def test_saying_after_a_coordinated_verb_is_the_first_verbs_subject(text):
    assert speaker_of(read(text), REPORT, "indirect") == "Tom Reyes"


@pytest.mark.parametrize("text, expected", [
    (f"Tom Reyes left early.\n\nThe timetables were rewritten and posted at the pier, saying {REPORT}.", "dropped"),
    (f"Tom Reyes said the crews began to work late, and the port council wrote to them, saying {REPORT}.",
     "the port council"),
])
def test_saying_never_borrows_a_thing_or_another_clauses_subject(text, expected):
    assert reported(read(text), REPORT) == expected


# -- "some of ...", "those ...": a described group only when the words say who ----------------------------------

@pytest.mark.parametrize("text, group", [
    (f"Tom Reyes spoke first.\n\nSome of the dock workers said {REPORT}.", "some of the dock workers"),
    (f"Tom Reyes spoke first.\n\nThose who work on the pier argue that {REPORT}.", "those who work on the pier"),
])
def test_some_of_a_group_is_that_group_as_written(text, group):
    assert (speaker_of(read(text), REPORT, "indirect") or "").lower() == group


@pytest.mark.parametrize("text", [
    f"Tom Reyes spoke first.\n\nSome said {REPORT}.",
    f"Tom Reyes read the letters aloud.\n\nSome of it suggested that {REPORT}.",
])
def test_a_bare_some_or_some_of_a_thing_names_no_one(text):
    assert reported(read(text), REPORT) == "dropped"
