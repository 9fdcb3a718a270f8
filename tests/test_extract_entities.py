"""Step 3, mentions and entities: names, aliases, descriptions; outlets are never names.

Every paragraph below is written for this project (invented people and events); none
comes from the evaluation set.
"""
from __future__ import annotations

from extract_helpers import article_of, read, speaker_of


def test_surname_resolves_to_full_name():
    a = read("Premier Alan Hughes announced the plan on Monday in Halifax.\n\n"
             '"This is a good day for every family in the province," Hughes said.')
    assert speaker_of(a, "This is a good day for every family") == "Alan Hughes"
    assert "Alan Hughes" in a.mentions


def test_mentioned_but_not_quoted():
    a = read('Senator Ruth Okafor met Prime Minister Daniel Kerr on Friday. '
             '"We agreed on the timeline," Okafor said.')
    assert "Daniel Kerr" in a.mentions
    assert all(s.name != "Daniel Kerr" for s in a.speakers)


def test_name_description_tells_outlet():
    a = read('"Prices will keep rising through the whole winter," Sofia Marchetti, an energy economist at the '
             'University of Turin, tells Sputnik.\n\n'
             '"Storage is already low," Marchetti tells Sputnik.')
    assert speaker_of(a, "Prices will keep rising") == "Sofia Marchetti"
    assert speaker_of(a, "Storage is already low") == "Sofia Marchetti"
    speakers = {s.name: s for s in a.speakers}
    assert speakers["Sofia Marchetti"].description == "energy economist at the University of Turin"
    assert "Sputnik" not in speakers and "Sputnik" not in a.mentions


def test_the_step_returns_a_registry_of_names_aliases_and_descriptions():
    from briefs.extract.entities import find_entities
    from briefs.extract.parsing import parse_paragraphs
    from briefs.extract.quotations import find_quotations

    article = article_of("Grace Mbeki, a former harbour engineer, said on Monday. "
                         "Mbeki told Sputnik the port would reopen.")
    names = find_entities(parse_paragraphs(find_quotations(article)), "Sputnik")
    assert names.lookup("Mbeki") == "Grace Mbeki"
    assert names.entity("Grace Mbeki").kind == "person"
    assert names.entity("Grace Mbeki").description == "former harbour engineer"
    assert names.lookup("Sputnik") is None  # an outlet is never a name
