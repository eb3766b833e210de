"""Events: triggers, roles, voice, coordination, modality, time and merging."""

from datetime import date

import pytest

pytestmark = pytest.mark.model


def test_active_retreat_with_origin(run):
    found = run("Russian troops fled Balakliya in Kharkiv Oblast.")
    retreat = found.event("Retreat")
    assert found.roles(retreat, "agent") == {"Russian forces"}
    assert "Balakliya" in found.roles(retreat, "origin") | found.roles(retreat, "location")


def test_passive_voice_puts_the_by_phrase_in_the_agent(run):
    found = run("Kupiansk was captured by Ukrainian forces on Saturday.")
    event = found.event("TakeControl")
    assert found.roles(event, "agent") == {"Ukrainian forces"}
    assert found.roles(event, "location") == {"Kupyansk"}
    assert event.date == date(2022, 9, 10)
    assert event.time_text == "Saturday"


def test_passive_defence_of_a_town(run):
    found = run("Izium is still being defended by Russian proxy forces.")
    event = found.event("Defend")
    assert found.roles(event, "agent") == {"Russian proxy forces"}
    assert found.roles(event, "location") == {"Izyum"}


def test_coordinated_agents_share_one_event_per_coordinated_place(run):
    found = run("Wagner Group fighters and Russian troops attacked Soledar and Bakhmut.")
    attacks = found.events("Attack")
    assert all(found.roles(a, "agent") == {"Wagner Group", "Russian forces"} for a in attacks)
    assert sorted(found.roles(a, "target").pop() for a in attacks) == ["Bakhmut", "Soledar"]


def test_subject_is_inherited_through_coordination_and_control(run):
    found = run("Russian units were routed and forced to flee from Izium.")
    retreat = found.events("Retreat")
    assert retreat and all(found.roles(e, "agent") == {"Russian forces"} for e in retreat)


def test_negation(run):
    found = run("Russian forces did not attack Kharkiv on Monday.")
    assert found.event("Attack").modality == "Negated"


def test_hedged_event_is_possible(run):
    found = run("Ukrainian forces may encircle Lyman in Donetsk Oblast.")
    assert found.event("Encirclement").modality == "Possible"


def test_possible_nominal_event_with_target_from_face(run):
    found = run("Russian troops in Lyman now face a possible encirclement.")
    event = found.event("Encirclement")
    assert event.modality == "Possible"
    assert found.roles(event, "target") == {"Russian forces"}


def test_plans_are_planned(run):
    found = run("Russian forces plan to attack Zaporizhzhia.")
    assert found.event("Attack").modality == "Planned"


def test_nominal_triggers_read_modifiers_and_prepositions(run):
    found = run("Tuesday saw an unexpected Ukrainian push in the Kharkiv region. "
                "There are severe battles raging around Izium.", published=date(2022, 9, 7))
    push = found.event("Advance")
    assert found.roles(push, "agent") == {"Ukrainian forces"}
    assert found.roles(push, "location") == {"Kharkiv Oblast"}
    assert push.date == date(2022, 9, 6)
    assert found.roles(found.event("Combat"), "location") == {"Izyum"}


def test_the_town_and_there_refer_back(run):
    found = run("Ukrainian troops reached the town of Balakliya on Monday. "
                "Russian forces had abandoned the town, and fighting continued there.")
    assert found.roles(found.event("Retreat"), "origin") == {"Balakliya"}
    assert found.roles(found.event("Combat"), "location") == {"Balakliya"}


def test_mentions_of_one_event_merge_their_evidence(run):
    found = run("Ukrainian forces entered the town of Balakliya. Residents cheered as "
                "Ukrainian soldiers entered Balakliya.")
    advance = found.event("Advance")
    assert len(advance.evidence) == 2


def test_ordinary_senses_of_weak_verbs_are_not_events(run):
    found = run("The president held talks with the mayor and took questions.")
    assert found.ex.events == ()


def test_vulnerability_to_an_event_makes_it_possible(run):
    found = run("Russian forces in Kherson City are vulnerable to a Ukrainian encirclement.")
    assert found.event("Encirclement").modality == "Possible"


def test_no_signs_of_an_event_negates_it_and_signs_make_it_possible(run):
    assert run("There are no signs of a Russian attack on Kyiv.").event("Attack").modality == "Negated"
    assert run("ISW has seen signs of a Russian withdrawal from Kherson.").event("Retreat").modality == "Possible"
