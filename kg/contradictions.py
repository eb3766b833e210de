"""Disagreement: events (and the claims asserting them) that cannot both hold.

Candidates are blocked by place and by (class, roles), so the cost follows the number
of events that share a place rather than the square of all events.

Input: the events, claims and entities of an extraction (or of a merged corpus).
Output: pairs of node keys to link with ``ck:contradicts``. On overlapping dates:
a place taken by one side against the same place defended by the other side (or
taken by nobody named while somebody defends it); a place taken by both sides; a
side that left a place against the same side still defending it; and, whatever
the place, the same event stated as fact and as negated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from kg.model import Claim, Entity, Event

WINDOW = timedelta(days=1)


def _side(key: str, entities: dict[str, Entity]) -> str | None:
    entity = entities.get(key)
    if entity is None:
        return None
    return key if entity.type == "Country" else entity.side


def _overlap(a: Event, b: Event) -> bool:
    return a.date is None or b.date is None or abs(a.date - b.date) <= WINDOW


def _places(event: Event) -> set[str]:
    return set(event.role("location") + event.role("destination"))


def _sides(event: Event, entities: dict[str, Entity]) -> set[str]:
    return {_side(k, entities) for k in event.role("agent")} - {None}


def _taken_vs_defended(taken: Event, held: Event, entities: dict[str, Entity]) -> bool:
    if taken.type != "TakeControl" or held.type != "Defend":
        return False
    if taken.modality or held.modality or not _overlap(taken, held):
        return False
    if not _places(taken) & _places(held):
        return False
    defenders = _sides(held, entities)
    if not defenders:
        return False
    takers = {_side(k, entities) for k in taken.role("agent")}
    return not takers or bool(takers - {None}) and takers.isdisjoint(defenders)


def _taken_by_both(a: Event, b: Event, entities: dict[str, Entity]) -> bool:
    if a.type != "TakeControl" or b.type != "TakeControl" or a.modality or b.modality:
        return False
    sides_a, sides_b = _sides(a, entities), _sides(b, entities)
    return (bool(sides_a) and bool(sides_b) and sides_a.isdisjoint(sides_b)
            and bool(_places(a) & _places(b)) and _overlap(a, b))


def _left_vs_held(left: Event, held: Event, entities: dict[str, Entity]) -> bool:
    if left.type != "Retreat" or held.type != "Defend" or left.modality or held.modality:
        return False
    if set(left.evidence) & set(held.evidence):
        return False  # "the line defending the town fled": one account, not two
    places = set(left.role("origin") + left.role("location"))
    return (bool(places & _places(held)) and bool(_sides(left, entities) & _sides(held, entities))
            and _overlap(left, held))


def _asserted_vs_negated(a: Event, b: Event) -> bool:
    if a.type != b.type or {a.modality, b.modality} != {None, "Negated"}:
        return False
    return set(a.roles) == set(b.roles) and _overlap(a, b)


def find_contradictions(events: list[Event], claims: Iterable[Claim],
                        entities: dict[str, Entity]) -> list[tuple[str, str]]:
    """Return (key, key) pairs of events, and of the claims asserting them, that conflict."""
    asserting: dict[str, list[str]] = {}
    for claim in claims:
        asserting.setdefault(claim.asserts, []).append(claim.key)
    # only events that share a place, or the same class and roles, can conflict
    blocks: dict[object, list[int]] = {}
    for index, event in enumerate(events):
        for place in _places(event) | set(event.role("origin")):
            blocks.setdefault(place, []).append(index)
        blocks.setdefault((event.type, frozenset(event.roles)), []).append(index)
    candidates = {(i, j) for members in blocks.values()
                  for n, i in enumerate(members) for j in members[n + 1:] if i != j}
    pairs: list[tuple[str, str]] = []
    for i, j in sorted(candidates):
        a, b = events[i], events[j]
        if (_taken_vs_defended(a, b, entities) or _taken_vs_defended(b, a, entities)
                or _taken_by_both(a, b, entities) or _left_vs_held(a, b, entities)
                or _left_vs_held(b, a, entities) or _asserted_vs_negated(a, b)):
            pairs.append((a.key, b.key))
            pairs.extend((x, y) for x in asserting.get(a.key, ())
                         for y in asserting.get(b.key, ()) if x != y)
    return pairs
