"""Entities: gazetteer-corrected NER, sides, places in context, people and roles."""

import pytest

pytestmark = pytest.mark.model


def test_side_mentions_become_the_sides_armed_forces(run):
    found = run("Russian troops shelled the town while the defenders of Ukraine held the bridge. "
                "The Russians later withdrew.")
    russian = found.entity("Russian troops")
    assert russian.type == "ArmedGroup"
    assert found.entity("Russians") == russian
    assert found.entity("defenders of Ukraine").label == "Ukrainian forces"


def test_town_mislabelled_by_the_model_is_a_settlement(run):
    found = run("Ukrainian forces entered Kherson on Friday.")
    kherson = found.entity("Kherson")
    assert kherson.type == "Settlement"
    assert kherson.geonames == 706448


def test_context_picks_the_kharkiv_oblast_balakliya(run):
    found = run("Ukrainian forces advanced toward Balakliya in Kharkiv Oblast.")
    assert found.entity("Balakliya").geonames == 712926


def test_context_picks_the_poltava_oblast_balakliia_when_the_text_says_so(run):
    found = run("Local officials in Poltava Oblast said a drone fell near Balakliia village.")
    assert found.entity("Balakliia").geonames == 712925


def test_lyman_resolves_to_the_donetsk_oblast_town(run):
    found = run("Russian forces withdrew from Lyman in Donetsk Oblast.")
    assert found.entity("Lyman").geonames == 704204


def test_transliterations_share_one_entity(run):
    found = run("Russian forces shelled Kupiansk. Ukrainian officials said Kupyansk was calm.")
    assert found.entity("Kupiansk") == found.entity("Kupyansk")


def test_title_case_headline_words_are_not_organisations(run):
    found = run("Defenders Hold Key Eastern Town\n\nUkrainian forces repelled an attack near Izium.")
    labels = {e.label for e in found.ex.entities}
    assert "Key Eastern Town" not in labels
    assert "Defenders Hold Key Eastern Town" not in labels


def test_surname_mention_is_the_same_person_and_role_is_kept(run):
    found = run("Regional governor Oleh Synehubov said the city was shelled. "
                "Synehubov added that two people were hurt.")
    person = found.entity("Oleh Synehubov")
    assert found.entity("Synehubov") == person
    roles = dict(found.ex.person_roles)
    assert "governor" in roles[person.key].lower()


def test_curated_units_and_organisations_are_linked(run):
    found = run("The Russian Ministry of Defense said Rosgvardia units and the Wagner Group "
                "attacked Bakhmut.")
    assert found.entity("Russian Ministry of Defense").type == "Organization"
    assert found.entity("Rosgvardia units").label == "Rosgvardiya"
    assert found.entity("Wagner Group").type == "ArmedGroup"
