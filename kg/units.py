"""Unit designations: "the 93rd Mechanized Brigade", "1st Guards Tank Army", "BARS-13".

Input: a tokenised, parsed Doc and the gazetteer. Output: ``Unit`` spans, each an
``ArmedGroup`` entity with the side a demonym before it names ("Russian 4th Tank
Division") and the formation it belongs to where the text says so ("the 4th Tank
Division of the 1st Guards Tank Army", "BARS-13" of the BARS reserve).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from kg.gazetteer import Gazetteer, slug
from kg.model import Entity

UNIT_HEADS = {"army", "division", "brigade", "regiment", "battalion", "corps", "detachment",
              "company", "squadron", "fleet", "group", "flotilla", "district", "legion", "unit"}
ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)
NUMBERED = re.compile(r"^\d+$")
NUMBERED_NAME = re.compile(r"^([A-Za-z]{2,})-(\d+)$")


@dataclass(frozen=True)
class Unit:
    """A unit designation in the Doc: tokens ``start:end``."""

    start: int
    end: int
    entity: Entity


def _designation_end(doc: Doc, start: int) -> int | None:
    """From an ordinal, the end of "1st Guards Tank Army" (title-case words up to a unit head)."""
    i = start + 1
    while i < len(doc) and i - start <= 6 and (doc[i].is_title or doc[i].text.isupper()):
        if doc[i].lower_ in UNIT_HEADS:
            return i + 1
        i += 1
    return None


def _side_before(doc: Doc, start: int, gazetteer: Gazetteer) -> str | None:
    i = start - 1
    if i >= 0 and doc[i].lower_ in {"the", "a"}:
        i -= 1
    if i >= 0:
        code = gazetteer.adjectives.get(doc[i].lower_)
        if code:
            return gazetteer.countries[code].key
    return None


def find_units(doc: Doc, gazetteer: Gazetteer) -> list[Unit]:
    """Return the unit designations of a Doc, with side and parent where given."""
    units: list[Unit] = []
    for tok in doc:
        if ORDINAL.match(tok.text):
            end = _designation_end(doc, tok.i)
            if end is None:
                continue
            name = doc[tok.i:end].text
            curated = gazetteer.lookup_curated(name)
            entity = curated.entity if curated else Entity(
                key=f"armedgroup/{slug(name)}", type="ArmedGroup", label=name,
                side=_side_before(doc, tok.i, gazetteer))
            units.append(Unit(tok.i, end, gazetteer.resolve_part_of(entity)))
        else:
            detachment = _numbered_detachment(doc, tok.i, gazetteer)
            if detachment is not None:
                units.append(detachment)
    return _with_parents(doc, units)


def _numbered_detachment(doc: Doc, i: int, gazetteer: Gazetteer) -> Unit | None:
    """"BARS-13": a numbered detachment of a known formation (one token or three)."""
    match = NUMBERED_NAME.match(doc[i].text)
    if match:
        base, number, end = match.group(1), match.group(2), i + 1
    elif i + 2 < len(doc) and doc[i + 1].text == "-" and NUMBERED.match(doc[i + 2].text):
        base, number, end = doc[i].text, doc[i + 2].text, i + 3
    else:
        return None
    parent = gazetteer.lookup_curated(base)
    if parent is None or parent.entity.type != "ArmedGroup":
        return None
    name = f"{base}-{number}"
    return Unit(i, end, Entity(key=f"armedgroup/{slug(name)}", type="ArmedGroup", label=name,
                               side=parent.entity.side, part_of=parent.entity.key))


def _with_parents(doc: Doc, units: list[Unit]) -> list[Unit]:
    """"the 4th Tank Division of the 1st Guards Tank Army": the first is part of the second."""
    by_start = {u.start: u for u in units}
    out = []
    for unit in units:
        i = unit.end
        if i + 1 < len(doc) and doc[i].lower_ == "of":
            j = i + 2 if doc[i + 1].lower_ == "the" else i + 1
            parent = by_start.get(j)
            if parent is not None and unit.entity.part_of is None:
                unit = replace(unit, entity=replace(unit.entity, part_of=parent.entity.key,
                                                    side=unit.entity.side or parent.entity.side))
        out.append(unit)
    return out
