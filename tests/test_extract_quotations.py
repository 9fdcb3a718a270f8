"""Step 1, quotation spans: which stretches in quotation marks are quotes, and where they start and end.

Every paragraph below is written for this project (invented people and events); none
comes from the evaluation set.
"""
from __future__ import annotations

from extract_helpers import article_of, check_offsets, norm, quotes_of, read, speaker_of


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


def test_titles_of_works_are_not_quotes():
    a = read('The documentary "The Long Road Home From The North" opens at the Roxy cinema on Friday.')
    assert [q for q in a.quotes if q.kind == "direct"] == []


def test_the_step_returns_blocks_with_their_quotes_as_plain_records():
    from briefs.extract.quotations import find_quotations

    article = article_of('WATCH: the full interview\n\n'
                         'Critics call it a "fairy tale." "We will appeal the ruling," said lawyer Ana Ruiz.\n\n'
                         'Ruiz lists two grounds:\n'
                         'The judge ignored the contract')
    paras = find_quotations(article)
    link, prose, intro, bullet = paras
    assert not link.reported and prose.reported
    assert len(prose.quotes) == 2  # both stretches in marks ...
    assert [prose.text[q.ts:q.te] for q in prose.direct] == ["We will appeal the ruling"]  # ... one is a quote
    assert bullet.kind == "bullet" and bullet.intro == intro.index
    assert all(p.doc is None for p in paras)  # no parse yet: that is the next step


def test_two_apostrophes_are_a_double_quotation_mark():
    a = read("The library will stay open.\n\n"
             "''We will not close the branch on Elm Street,'' Mayor Dan Ruiz said on Monday. "
             "''It belongs to everyone who walks through its doors.''\n\n"
             "''Part of my job is to say: 'Keep it open for the kids and the readers,''' Mr. Ruiz said.")
    assert speaker_of(a, "We will not close the branch on Elm Street", "direct") == "Dan Ruiz"
    assert speaker_of(a, "It belongs to everyone who walks", "direct") == "Dan Ruiz"
    assert speaker_of(a, "Part of my job is to say", "direct") == "Dan Ruiz"
    assert [q.text for q in a.quotes][0] == "We will not close the branch on Elm Street"
    check_offsets(a)  # the quotes' text and offsets are the article's own


def test_two_apostrophes_in_a_block_with_real_quotation_marks_stay_apostrophes():
    a = read("Mayor Dan Ruiz said the players'' union had \"never asked for the rink to close\" at any point.")
    assert not [q for q in a.quotes if q.kind == "direct" and "union" in q.text]
    check_offsets(a)
