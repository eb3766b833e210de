"""Disagreement rules on events built by hand (no model needed)."""

from datetime import date

from kg.contradictions import find_contradictions
from kg.model import Entity, Event, Sentence

ENTITIES = {
    "ru": Entity("ru", "ArmedGroup", "Russian forces", side="RU"),
    "ru-proxy": Entity("ru-proxy", "ArmedGroup", "Russian proxy forces", side="RU"),
    "ua": Entity("ua", "ArmedGroup", "Ukrainian forces", side="UA"),
    "town": Entity("town", "Settlement", "Balakliya"),
    "other": Entity("other", "Settlement", "Izium"),
}


def event(key, type_, agent, place, *, role="location", day=date(2022, 9, 8), modality=None):
    roles = ((("agent", agent),) if agent else ()) + ((role, place),)
    return Event(key, type_, roles, (Sentence(0, len(key), key),), date=day, modality=modality)  # own sentence


def pairs(*events):
    return {frozenset(p) for p in find_contradictions(list(events), (), ENTITIES)}


def test_a_place_taken_by_both_sides_the_same_day_is_a_contradiction():
    assert frozenset({"a", "b"}) in pairs(event("a", "TakeControl", "ua", "town"),
                                          event("b", "TakeControl", "ru", "town"))


def test_a_place_taken_by_one_side_twice_or_on_days_apart_is_not():
    assert not pairs(event("a", "TakeControl", "ru", "town"), event("b", "TakeControl", "ru-proxy", "town"))
    assert not pairs(event("a", "TakeControl", "ua", "town"),
                     event("b", "TakeControl", "ru", "town", day=date(2022, 9, 20)))
    assert not pairs(event("a", "TakeControl", "ua", "town"), event("b", "TakeControl", "ru", "other"))


def test_a_side_that_fled_a_place_it_still_defends_is_a_contradiction():
    assert frozenset({"a", "b"}) in pairs(event("a", "Retreat", "ru", "town", role="origin"),
                                          event("b", "Defend", "ru-proxy", "town"))


def test_leaving_and_the_other_side_defending_or_a_possible_retreat_are_not():
    assert not pairs(event("a", "Retreat", "ru", "town", role="origin"), event("b", "Defend", "ua", "town"))
    assert not pairs(event("a", "Retreat", "ru", "town", role="origin", modality="Possible"),
                     event("b", "Defend", "ru", "town"))


def test_fleeing_while_defending_in_one_sentence_is_one_account_not_a_contradiction():
    one = (Sentence(0, 60, "The Russian line defending the western outskirts of the town fled."),)
    left = Event("a", "Retreat", (("agent", "ru"), ("origin", "town")), one, date=date(2022, 9, 8))
    held = Event("b", "Defend", (("agent", "ru"), ("location", "town")), one, date=date(2022, 9, 8))
    assert not pairs(left, held)
