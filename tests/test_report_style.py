"""Constructions of dense war reporting: units, attribution styles, lists, place relations,
dates and spelling variants, on sentences written for these tests."""

from datetime import date

import pytest

pytestmark = pytest.mark.model


def test_unit_designations_with_side_and_parent(run):
    found = run("Elements of the Russian 4th Tank Division of the 1st Guards Tank Army "
                "withdrew from Izium.")
    division = found.entity("4th Tank Division")
    army = found.entity("1st Guards Tank Army")
    assert division.type == army.type == "ArmedGroup"
    assert division.part_of == army.key
    assert division.side == army.side is not None
    assert found.roles(found.event("Retreat"), "agent") == {"4th Tank Division"}


def test_numbered_detachments_and_curated_groups(run):
    found = run("BARS-13 fighters, Chechen Rosgvardia units and DNR/LNR forces attacked Soledar.")
    bars = found.entity("BARS-13")
    assert bars.type == "ArmedGroup" and bars.part_of == found.gaz_key("bars")
    assert found.entity("Chechen Rosgvardia units").type == "ArmedGroup"
    assert found.entity("DNR/LNR forces").label == "Russian proxy forces"
    assert len(found.roles(found.event("Attack"), "agent")) == 3


def test_milbloggers_claim_and_mod_claims_to_have_destroyed(run):
    found = run("Russian milbloggers claimed that Wagner Group fighters captured Soledar. "
                "The Russian MoD claimed to have destroyed a Ukrainian battalion near Kupiansk.")
    [capture] = found.claims_of(found.event("TakeControl"))
    assert found.label(capture.claimant) == "Russian milbloggers"
    attack = found.event("Attack")
    [strike] = found.claims_of(attack)
    assert found.label(strike.claimant) == "Russian Ministry of Defense"
    assert found.roles(attack, "agent") == {"Russian forces"}


def test_statement_on_telegram(run):
    found = run("Ukrainian Deputy Defense Minister Hanna Malyar stated on Telegram that "
                "Ukrainian forces liberated Vysokopillya.")
    [claim] = found.claims_of(found.event("TakeControl"))
    assert found.label(claim.claimant) == "Hanna Malyar"
    assert found.label(claim.channel) == "Telegram"


def test_the_publishers_own_assessment_is_not_a_claim(run):
    found = run("ISW assesses that Russian forces will likely attack Bakhmut in the coming days.",
                source="Institute for the Study of War")
    attack = found.event("Attack")
    kinds = {c.kind for c in found.claims_of(attack)}
    assert kinds == {"assessment"}


def test_a_list_of_settlements_gives_one_event_each(run):
    found = run("Russian forces shelled Bucha, Hostomel, and Irpin on March 3.")
    attacks = found.events("Attack")
    places = {p for e in attacks for p in found.roles(e, "target") | found.roles(e, "location")}
    assert places == {"Bucha", "Hostomel", "Irpin"}
    assert len(attacks) == 3 and all(e.date == date(2022, 3, 3) for e in attacks)


def test_direction_and_distance_are_kept_with_the_nearest_named_place(run):
    found = run("Russian forces conducted ground attacks 25km northwest of Izium on Monday.")
    attack = found.event("Attack")
    assert found.roles(attack, "location") == {"Izyum"}
    [relative] = attack.relative_places
    assert relative.direction == "northwest" and relative.distance_km == 25.0
    assert found.label(relative.anchor) == "Izyum"


def test_outskirts_resolve_to_the_town(run):
    found = run("Russian troops withdrew from the outskirts of Kyiv.")
    assert found.roles(found.event("Retreat"), "origin") == {"Kyiv"}


def test_night_interval_and_month_parts(run):
    found = run("Russian forces struck Kharkiv on the night of 9 to 10 September. "
                "Ukrainian forces have defended Bakhmut since May.", published=date(2022, 9, 12))
    attack = found.event("Attack")
    assert (attack.date, attack.end_date) == (date(2022, 9, 9), date(2022, 9, 10))
    defend = found.event("Defend")
    assert defend.date == date(2022, 5, 1) and defend.end_date is None


@pytest.mark.parametrize("first, second", [("Kyiv", "Kiev"), ("Kharkiv", "Kharkov"),
                                           ("Izyum", "Izium"), ("Kupyansk", "Kupiansk")])
def test_spelling_variants_resolve_to_one_place(run, first, second):
    found = run(f"Russian forces shelled {first} on Monday. Ukrainian officials said {second} "
                "was quiet on Tuesday.")
    assert found.entity(first) == found.entity(second)


def test_lyman_and_liman_are_the_donetsk_oblast_town(run):
    found = run("Ukrainian forces encircled Lyman in Donetsk Oblast. Russian milbloggers said "
                "Liman could fall.")
    assert found.entity("Lyman").geonames == 704204 == found.entity("Liman").geonames


def test_their_belongs_to_the_plural_noun_subject_not_to_the_reporting_organisation(run):
    found = run("The UK MoD reported that Russian generals likely want their subordinate "
                "commanders to shell Kupiansk.")
    agents = {found.label(k) for e in found.ex.events for k in e.role("agent")}
    assert not agents & {"UK Ministry of Defence", "British forces"}, found.describe()


def test_their_still_refers_to_the_force_that_is_the_subject(run):
    found = run("Russian forces withdrew their artillery from Kupiansk on Monday.")
    assert found.roles(found.event("Retreat"), "agent") == {"Russian forces"}
