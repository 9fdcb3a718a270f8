"""Who said it: every speaker rule of the extractor as a case in tests/fixtures/speakers/<family>.txt,
each an invented text with the speaker its quote or report must have (or must never have). The format
is described at the top of each fixture file; one test per case, named "<family>: <rule>".

Every text in the fixtures is written for this project (invented people, places and events); none
comes from the evaluation sets.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from extract_helpers import norm, quotes_of, read

FIXTURES = Path(__file__).parent / "fixtures" / "speakers"

# '"WORDS" (kind) -> ...', 'the only "WORDS" -> ...', 'the only direct quote -> ...', 'every quote -> ...',
# 'description of NAME -> ...'
_EXPECT_RE = re.compile(r'(?:(?P<only>the only )?"(?P<words>[^"]+)"|(?P<only_kind>the only (?:direct|indirect) quote)'
                        r'|(?P<every>every quote)|description of (?P<described>.+?))'
                        r'(?: \((?P<kind>direct|indirect)\))? -> (?P<expected>.+)')


@dataclass(frozen=True)
class Case:
    family: str
    rule: str
    text: str
    expectations: tuple[str, ...]
    title: str | None = None  # the article's headline ('= ...'); None: a neutral one


def read_cases(path: Path) -> list[Case]:
    """The cases of one fixture file: '## rule', maybe '= headline', the text, its '> ...' lines; '--' starts
    another case of the rule."""
    cases, rule, lines, expectations, title = [], None, [], [], []

    def close() -> None:
        if rule is not None and (lines or expectations):
            assert expectations, f"{path.name}: {rule!r} has a case with no '> ...' line"
            cases.append(Case(path.stem, rule, "\n".join(lines).strip("\n"), tuple(expectations),
                              title[0] if title else None))
        lines.clear()
        expectations.clear()
        title.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") or line == "#":
            continue
        if line.startswith("## "):
            close()
            rule = line[3:].strip()
        elif line.strip() == "--":
            close()
        elif line.startswith("> "):
            expectations.append(line[2:].strip())
        elif line.startswith("= ") and not lines and not title:
            title.append(line[2:].strip())
        elif rule is not None and (line.strip() or not expectations):
            assert not expectations, f"{path.name}: {rule!r}: text after a '> ...' line"
            lines.append(line.rstrip())
    close()
    return cases


def _matches(value: str | None, alternatives: str) -> bool:
    """`value` is one of 'A | B' ('*' stands for any letters; 'no description' for none)."""
    for alt in (a.strip() for a in alternatives.split(" | ")):
        if value is None and alt == "no description":
            return True
        if value is not None and fnmatch.fnmatchcase(value, alt):
            return True
    return False


def _holds(value: str | None, expected: str) -> bool:
    if expected.startswith("someone, not "):
        return value is not None and not _matches(value, expected.removeprefix("someone, not "))
    if expected.startswith("not "):
        return not _matches(value, expected.removeprefix("not "))
    return _matches(value, expected)


def check(article, expectation: str) -> None:
    m = _EXPECT_RE.fullmatch(expectation)
    assert m, f"not an expectation: {expectation!r}"
    expected, kind = m["expected"], m["kind"]
    if m["described"]:
        descriptions = {s.name: s.description for s in article.speakers}
        assert m["described"] in descriptions, f"{m['described']} is not a speaker: {list(descriptions)}"
        assert _holds(descriptions[m["described"]], expected), descriptions[m["described"]]
        return
    if m["only_kind"]:
        kind = m["only_kind"].split()[2]
    quotes = [q for q in article.quotes if kind in (None, q.kind)
              and (m["words"] is None or norm(m["words"]) in norm(q.text))]
    if expected == "no quote":
        assert not quotes, [q.text for q in quotes]
    elif m["every"]:
        assert all(_holds(q.speaker, expected) for q in quotes), [q.speaker for q in quotes]
    else:
        assert quotes, f"no quote holds {m['words']!r}"
        assert len(quotes) == 1 or not (m["only"] or m["only_kind"]), [q.text for q in quotes]
        assert _holds(quotes[0].speaker, expected), quotes[0].speaker


CASES = [case for path in sorted(FIXTURES.glob("*.txt")) for case in read_cases(path)]


def _ids(cases: list[Case]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for case in cases:
        name = f"{case.family}: {case.rule}"
        seen[name] = seen.get(name, 0) + 1
        ids.append(f"{name} [{seen[name]}]")
    return ids


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_speaker(case: Case):
    article = read(case.text, case.title)
    for expectation in case.expectations:
        try:
            check(article, expectation)
        except AssertionError as e:
            raise AssertionError(f"{expectation}\n{e}\nquotes: {quotes_of(article)}") from None


def test_every_fixture_file_has_cases_and_only_known_expectations():
    assert {c.family for c in CASES} == {p.stem for p in FIXTURES.glob("*.txt")}
    bad = [e for c in CASES for e in c.expectations if not _EXPECT_RE.fullmatch(e)]
    assert not bad
