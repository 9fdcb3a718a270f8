"""Part of coreference: which earlier person or organisation a description ("the agency", "the
pundit", "the diocese") points back to, and when it points to nobody but itself."""
from __future__ import annotations

import itertools
import re

from .entities import Registry, clean_name
from .lexicon import RELATIONAL_NOUNS
from .settings import HISTORY_LOOKBACK, PARAMS


def names_itself(t) -> bool:
    """"the Canadian government", "the Ontario agency": a place or nationality before the noun says
    which organisation it is, so it is not a back-reference to the latest one named."""
    return any(c.dep_ in ("amod", "compound") and (c.ent_type_ in ("GPE", "NORP") or c.pos_ == "PROPN")
               for c in t.lefts)


def described_org(reg: Registry, pos: int, head: str, text: str) -> str | None:
    """"the city": the organisation whose name holds the noun, else the latest organisation."""
    name = org_named_by(reg, pos, head) or \
        reg.recent(pos, "org", ("speaker",), within=PARAMS["gender_window"]) or \
        reg.recent(pos, "org", ("speaker", "subj")) or reg.recent(pos, "org", ("speaker", "subj", "mention"))
    if name:
        return name
    name = clean_name(text) if text else None
    return "the " + name[4:] if name and name.startswith("The ") else name


def org_named_by(reg: Registry, pos: int, head: str) -> str | None:
    """"the diocese" after "the Roman Catholic Diocese of Covington": the latest organisation whose
    name holds the noun."""
    for pos_, name, role in itertools.islice(reversed(reg.history), HISTORY_LOOKBACK):
        if pos_ <= pos and head in name.lower().split():
            ent = reg.entity(name)
            if ent and ent.kind == "org":
                return name
    return None


def described_person(reg: Registry, pos: int, head: str, t=None) -> str | None:
    """'the pundit': a person whose description names the noun, else the latest person speaker or subject
    (unless the phrase says who it is by itself: see `_self_described`)."""
    for pos_, name, _ in itertools.islice(reversed(reg.history), HISTORY_LOOKBACK):
        ent = reg.entity(name)
        if pos_ <= pos and ent and ent.kind == "person" and ent.description and \
                re.search(r"\b" + re.escape(head), ent.description.lower()):
            return name
    if t is not None and _self_described(t):
        return None
    return reg.recent(pos, "person", ("speaker", "subj")) or \
        reg.recent(pos, "person", ("speaker", "subj", "mention"))


def _self_described(t) -> bool:
    """"the father", "the person familiar with the talks", "the staff for the committee": a relative of
    someone, an anonymous source, or a role placed by its own phrase is not the person last in focus."""
    if t.lemma_.lower() in RELATIONAL_NOUNS:
        return True
    return any(c.dep_ in ("prep", "acl", "relcl") and c.i > t.i for c in t.children)
