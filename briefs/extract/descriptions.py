"""Part of coreference: which earlier person or organisation a description ("the agency", "the
pundit", "the diocese") points back to, and when it points to nobody but itself."""
from __future__ import annotations

import itertools
import re

from .entities import Registry, clean_name
from .lexicon import PLACE_NOUNS, RELATIONAL_NOUNS
from .settings import CATAPHORA_WINDOW, HISTORY_LOOKBACK, PARAMS


def names_itself(t) -> bool:
    """"the Canadian government", "the Ontario agency": a place or nationality before the noun says
    which organisation it is, so it is not a back-reference to the latest one named."""
    return any(c.dep_ in ("amod", "compound") and (c.ent_type_ in ("GPE", "NORP") or c.pos_ == "PROPN")
               for c in t.lefts)


def described_org(reg: Registry, pos: int, head: str, text: str) -> str | None:
    """"the city": the organisation whose name holds the noun, else (not for a place's government: "the
    city" is no company that spoke last) the latest organisation."""
    name = org_named_by(reg, pos, head)
    if not name and head not in PLACE_NOUNS:
        name = reg.recent(pos, "org", ("speaker",), within=PARAMS["gender_window"]) or \
            reg.recent(pos, "org", ("speaker", "subj")) or reg.recent(pos, "org", ("speaker", "subj", "mention"))
    if name:
        return name
    name = clean_name(text) if text else None
    return "the " + name[4:] if name and name.startswith("The ") else name


def org_named_by(reg: Registry, pos: int, head: str) -> str | None:
    """"the diocese" after "the Anglican Diocese of Norland": the latest organisation whose
    name holds the noun."""
    for pos_, name, role in itertools.islice(reversed(reg.history), HISTORY_LOOKBACK):
        if pos_ <= pos and head in name.lower().split():
            ent = reg.entity(name)
            if ent and ent.kind == "org":
                return name
    return None


def described_person(reg: Registry, pos: int, head: str, t=None, ahead=None) -> str | None:
    """'the pundit': a person whose description names the noun, else one named with that role just after
    (`ahead`, the role's token: see `named_later`), else the latest person speaker or subject (unless the
    phrase says who it is by itself: see `_self_described`)."""
    for pos_, name, _ in itertools.islice(reversed(reg.history), HISTORY_LOOKBACK):
        ent = reg.entity(name)
        if pos_ <= pos and ent and ent.kind == "person" and ent.description and \
                re.search(r"\b" + re.escape(head), ent.description.lower()):
            return name
    later = named_later(reg, pos, ahead) if ahead is not None else None
    if later:
        return later
    if t is not None:
        unnamed = unnamed_source(reg, pos, head)
        if unnamed or _self_described(t):
            return unnamed
    return reg.recent(pos, "person", ("speaker", "subj")) or \
        reg.recent(pos, "person", ("speaker", "subj", "mention"))


def _self_described(t) -> bool:
    """"the father", "the person familiar with the talks", "the staff for the committee": a relative of
    someone, an anonymous source, or a role placed by its own phrase is not the person last in focus."""
    if t.lemma_.lower() in RELATIONAL_NOUNS:
        return True
    return any(c.dep_ in ("prep", "acl", "relcl") and c.i > t.i for c in t.children)


def unnamed_source(reg: Registry, pos: int, head: str) -> str | None:
    """"A person familiar with the talks said ..." and then "the person said": the same unnamed source, the
    latest one who spoke under that noun ("person familiar with the talks", "official in the ministry")."""
    for pos_, name, role in itertools.islice(reversed(reg.history), HISTORY_LOOKBACK):
        if pos_ <= pos and role == "speaker" and name[:1].islower() and reg.entity(name) is None and \
                head in name.split()[:3]:
            return name
    return None


def named_later(reg: Registry, pos: int, t) -> str | None:
    """"The commissioner said ..." and, a paragraph on, "league commissioner Ron Reyes said": a role that
    speaks before anyone holding it is named is the one person the text then names with the same role
    words ("league commissioner", "spokeswoman for the mayor"), when exactly one is. With none, a spokesperson
    is the next person the text names, when that one speaks there and has no role of their own ("A
    spokeswoman for the mayor said ...", then '"...," said Ana Ortiz'): a spokesperson's name comes after."""
    role = _role_words(t)
    ahead = sorted((ent.first, ent.name, ent.description, ent.first_speaks) for ent in reg.entities.values()
                   if ent.kind == "person" and ent.first is not None and pos < ent.first <= pos + CATAPHORA_WINDOW)
    found = {name for _, name, desc, _ in ahead if desc and role <= set(re.findall(r"[a-z]+", desc.lower()))}
    if found:
        return found.pop() if len(found) == 1 else None
    if t.lower_ in ("spokeswoman", "spokesman", "spokesperson") and ahead and not ahead[0][2] and ahead[0][3]:
        return ahead[0][1]
    return None


def _role_words(t) -> set[str]:
    """The words that say which role: the noun, its modifiers, and whose ("for the mayor")."""
    words = {t.lower_} | {c.lower_ for c in t.lefts if c.dep_ in ("amod", "compound") and c.is_alpha}
    for c in t.rights:
        if c.dep_ == "prep" and c.lower_ in ("for", "of", "at", "with"):
            words |= {x.lower_ for x in c.subtree if x.pos_ in ("PROPN", "NOUN") and x.is_alpha}
    return words
