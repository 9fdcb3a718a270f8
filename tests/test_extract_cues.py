"""Step 4, cues and indirect speech: speech verbs, "according to", and what each reports (where a
report's words begin and end; who the speaker is: tests/fixtures/speakers/reports.txt).

Every paragraph below is written for this project (invented people and events); none
comes from the evaluation set.
"""
from __future__ import annotations

import pytest

from extract_helpers import article_of, norm, read, speaker_of


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


# -- where a report's words begin and end ------------------------------------------------------------

def _indirect(article) -> list[str]:
    return [norm(q.text) for q in article.quotes if q.kind == "indirect"]


@pytest.mark.parametrize("sentence, said", [
    ("Otherwise, Mayor Dana Whitfield said, the ferry fares will rise again next spring.",
     "the ferry fares will rise again next spring"),
    ("The new levy, Councillor Omar Haddad says, will be cut in half by March.",
     "will be cut in half by March"),
    ("Most nights, former staff said, the mayor would stay at city hall past midnight.",
     "the mayor would stay at city hall past midnight"),
])
def test_an_attribution_inside_the_clause_it_reports_reports_the_rest_of_it(sentence, said):
    a = read(sentence)
    assert norm(said) in _indirect(a)


@pytest.mark.parametrize("sentence, said", [
    ("The new levy, Councillor Omar Haddad says, never worked.", "The new levy, Councillor Omar Haddad says, never worked"),
    ("The harbour plan, the engineers concluded, was sound.", "The harbour plan, the engineers concluded, was sound"),
])
def test_too_few_words_after_an_attribution_inside_a_clause_make_the_whole_clause_the_report(sentence, said):
    a = read(sentence)
    assert _indirect(a) == [norm(said)]  # "never worked" alone would not say what never worked


@pytest.mark.parametrize("sentence", [
    'The golf club, Councillor Omar Haddad said, is "doing much better than it was."',  # the rest is his quote
    "The new levy, Councillor Omar Haddad says, failed.",  # one word: no clause to speak of
])
def test_a_clause_around_an_attribution_is_not_reported_when_nothing_stands_after_it(sentence):
    assert not any(q.startswith("the") for q in _indirect(read(sentence)))


@pytest.mark.parametrize("sentence", [
    "Mayor Dana Whitfield didn't respond to questions from reporters, so the station caught up with her at a meeting.",
    "Councillor Omar Haddad has answered every letter, and the council thanked him for it on Monday.",
])
def test_a_clause_that_merely_follows_a_speech_verb_is_not_its_report(sentence):
    a = read(sentence)
    assert not any("caught up" in q or "thanked him" in q for q in _indirect(a))


@pytest.mark.parametrize("sentence, said", [
    ("The council passed the bylaw, which Mayor Dana Whitfield said would cut traffic downtown by a third.",
     "would cut traffic downtown by a third"),
    ("Residents opposed the tower, which Councillor Omar Haddad says will block the view of the harbour.",
     "will block the view of the harbour"),
])
def test_a_relative_clause_reports_what_follows_the_verb_not_its_antecedent(sentence, said):
    a = read(sentence)
    assert _indirect(a) == [norm(said)]


@pytest.mark.parametrize("sentence, said", [
    ("Coach Lena Ortiz said if the rain keeps up all week, the final will move to Sunday.",
     "if the rain keeps up all week, the final will move to Sunday"),
    ("Chief Ray Dunn said when the wind dropped at dawn, crews finally reached the barn.",
     "when the wind dropped at dawn, crews finally reached the barn"),
])
def test_a_report_opening_with_a_condition_is_a_statement(sentence, said):
    a = read(sentence)
    assert norm(said) in _indirect(a)


@pytest.mark.parametrize("sentence", [
    "Coach Lena Ortiz asked whether the final would move to Sunday.",
    "Chief Ray Dunn wondered when the crews would finally reach the barn.",
])
def test_a_reported_question_is_not_a_report(sentence):
    assert _indirect(read(sentence)) == []


@pytest.mark.parametrize("sentence, said", [
    ('Councillor Omar Haddad called the harbour plan "reckless" on Tuesday.', 'the harbour plan "reckless'),
    ("Mayor Dana Whitfield described the new bridge as a gift to the whole valley.", "a gift to the whole valley"),
])
def test_what_someone_calls_a_thing_is_their_words(sentence, said):
    a = read(sentence)
    assert _indirect(a) == [norm(said)]
    assert speaker_of(a, said, "indirect") in ("Omar Haddad", "Dana Whitfield")


@pytest.mark.parametrize("sentence", [
    "Councillor Omar Haddad called for an inquiry into the harbour contract.",
    'The ferry company runs a weekly podcast called "Harbour Talk" for its passengers.',
    'The old bridge was called "the Iron Lady" by generations of commuters.',
])
def test_calling_for_naming_a_show_or_a_passive_name_is_not_anyones_words(sentence):
    assert _indirect(read(sentence)) == []


@pytest.mark.parametrize("sentence, tail", [
    ("Economist Rita Vance predicted that rents would rise over time, but that wages would more than keep pace.",
     "wages would more than keep pace"),
    ("Chief Ray Dunn said that the fire began in the kitchen and that the alarm never sounded.",
     "the alarm never sounded"),
])
def test_a_second_that_clause_is_said_too(sentence, tail):
    reports = _indirect(read(sentence))
    assert len(reports) == 1 and reports[0].endswith(norm(tail))


@pytest.mark.parametrize("sentence", [
    "Economist Rita Vance said rents would rise over time, and the council voted to freeze them that night.",
    "Chief Ray Dunn said the fire began in the kitchen, but neighbours saw smoke from the roof.",
])
def test_a_clause_of_the_writers_own_after_a_report_is_not_said(sentence):
    reports = _indirect(read(sentence))
    assert reports and not any("council" in r or "neighbours" in r for r in reports)


@pytest.mark.parametrize("sentence, said", [
    ("Councillor Omar Haddad urged the province to reopen the pier before the summer.",
     "the province to reopen the pier before the summer"),
    ("After the storm, Mayor Dana Whitfield urged residents to stay off the coastal roads.",
     "residents to stay off the coastal roads"),
])
def test_an_appeal_is_what_was_said(sentence, said):
    assert _indirect(read(sentence)) == [norm(said)]


@pytest.mark.parametrize("sentence", [
    "Councillor Omar Haddad urged caution at the meeting on Tuesday night.",
    "The province was urged to reopen the pier before the summer.",
])
def test_an_appeal_with_nothing_asked_or_no_one_asking_is_not_a_report(sentence):
    assert _indirect(read(sentence)) == []


@pytest.mark.parametrize("sentence, said", [
    ("If the dam had been inspected in the spring, the flood would have been smaller, according to the provincial engineer.",
     "If the dam had been inspected in the spring, the flood would have been smaller"),
    ("According to the fire marshal, when the wind shifted at dawn, the blaze jumped the river.",
     "when the wind shifted at dawn, the blaze jumped the river"),
])
def test_according_to_gives_a_statement_even_one_opening_with_a_condition(sentence, said):
    a = read(sentence)
    assert norm(said) in _indirect(a)


@pytest.mark.parametrize("sentence, said", [
    ("Mayor Dana Whitfield assured reporters that the pier would reopen in May.",
     "the pier would reopen in May"),
    ("Councillor Omar Haddad hinted that the pier could reopen before the long weekend.",
     "the pier could reopen before the long weekend"),
])
def test_a_less_common_verb_of_saying_with_a_that_clause_reports_it(sentence, said):
    assert _indirect(read(sentence)) == [norm(said)]


@pytest.mark.parametrize("sentence", [
    "Mayor Dana Whitfield assured her re-election with a late surge in the eastern wards.",
    "Councillor Omar Haddad objected to the new parking rules at the meeting.",
])
def test_the_same_verbs_without_a_clause_report_nothing(sentence):
    assert _indirect(read(sentence)) == []


@pytest.mark.parametrize("sentence, said, speaker", [
    ('Senator Ada Brook blamed the "fog of war" for the delays at the border crossing.',
     'the "fog of war" for the delays at the border crossing', "Ada Brook"),
    ('Mayor Tom Rusk hailed the new ferry schedule as a "huge relief" for commuters on Monday.',
     'the new ferry schedule as a "huge relief" for commuters on Monday', "Tom Rusk"),
])
def test_a_few_quoted_words_in_what_someone_praises_or_blames_report_the_whole_clause(sentence, said, speaker):
    a = read(sentence)
    assert _indirect(a) == [norm(said)]  # the clause a reader can follow, not the stray words in marks
    assert speaker_of(a, said, "indirect") == speaker


@pytest.mark.parametrize("sentence", [
    'Fans waved "go home" signs outside the arena after the final.',  # waving a sign judges no one aloud
    'The council met at noon. Its "quiet zone" plan is popular with residents.',  # the words are the subject's
    'Residents in the east end dislike what critics call the "ferry tax" on every crossing.',  # names a thing
    'Senator Ada Brook praised the actors on "Harbour Nights" for their work.',  # a show's title, not words
])
def test_quoted_words_outside_a_verb_of_judging_report_nothing(sentence):
    assert _indirect(read(sentence)) == []
