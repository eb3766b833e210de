"""IRI minting: the same key always gives the same IRI, and every IRI is valid.

Entities are named by external ids (GeoNames, Wikidata) or normalised name keys so
that graphs from different articles merge by themselves; any character outside the
IRI-safe set is percent-encoded.
"""

import re
from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.iri import (
    article_iri,
    entity_iri,
    geonames_iri,
    mention_iri,
    node_iri,
    source_iri,
    wikidata_iri,
)
from kg.vocab import ID_BASE

# RFC 3986 characters, where '%' must start a percent-encoded octet.
URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*")


def assert_valid_iri(iri: URIRef) -> None:
    """Fail unless ``iri`` is made of URI characters only and survives N-Triples."""
    assert URI_CHARS.fullmatch(str(iri)), f"not a valid IRI: {iri!r}"
    g = Graph()
    g.add((iri, iri, Literal("x")))
    back = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert set(back) == set(g)


def key_of(iri: URIRef) -> str:
    assert str(iri).startswith(ID_BASE)
    return unquote(str(iri)[len(ID_BASE):])


def test_same_key_mints_the_same_iri():
    assert entity_iri("person/serhiy-marchenko") == entity_iri("person/serhiy-marchenko")
    assert article_iri("3f2a9c0d11e4b7a8") == article_iri("3f2a9c0d11e4b7a8")


def test_different_keys_mint_different_iris():
    assert entity_iri("person/serhiy-marchenko") != entity_iri("person/serhiy-marchenko-jr")


def test_geonames_key_entity_iri():
    assert entity_iri("geonames/712926") == URIRef(ID_BASE + "geonames/712926")


def test_wikidata_key_entity_iri():
    assert entity_iri("wikidata/Q7747") == URIRef(ID_BASE + "wikidata/Q7747")


def test_name_key_entity_iri():
    assert entity_iri("armedgroup/93rd-mechanized-brigade") == URIRef(
        ID_BASE + "armedgroup/93rd-mechanized-brigade")


def test_external_iris():
    assert geonames_iri(712926) == URIRef("https://sws.geonames.org/712926/")
    assert wikidata_iri("Q7747") == URIRef("http://www.wikidata.org/entity/Q7747")


def test_article_bound_nodes_hang_off_the_article_iri():
    art = str(article_iri("3f2a9c0d11e4b7a8"))
    assert art == ID_BASE + "article/3f2a9c0d11e4b7a8"
    assert str(node_iri("3f2a9c0d11e4b7a8/event/120")) == art + "/event/120"
    assert str(mention_iri("3f2a9c0d11e4b7a8", 0, 57)) == art + "/mention/0-57"


def test_source_iri_ignores_case_and_spacing():
    assert source_iri("Morning Press") == source_iri("  morning   PRESS ")
    assert source_iri("Morning Press") == URIRef(ID_BASE + "source/morning-press")
    assert source_iri("Morning Press") != source_iri("Evening Press")


def test_unsafe_characters_are_percent_encoded():
    iri = entity_iri("person/o'brien jr <unit> #1?x=%")
    assert str(iri) == ID_BASE + "person/o%27brien%20jr%20%3Cunit%3E%20%231%3Fx%3D%25"
    assert_valid_iri(iri)


def test_non_ascii_key_is_utf8_percent_encoded():
    iri = entity_iri("settlement/\u043a\u0443\u043f'\u044f\u043d\u0441\u044c\u043a")  # Куп'янськ
    assert str(iri).isascii()
    assert_valid_iri(iri)
    assert key_of(iri) == "settlement/\u043a\u0443\u043f'\u044f\u043d\u0441\u044c\u043a"


def test_article_key_with_slashes_and_spaces_is_a_valid_iri():
    assert_valid_iri(article_iri("corpus 2022/line 7"))
    assert_valid_iri(mention_iri("corpus 2022/line 7", 3, 40))


@given(st.text(max_size=40))
def test_property_same_key_same_valid_iri(key):
    iri = entity_iri(key)
    assert iri == entity_iri(key)
    assert_valid_iri(iri)
    assert key_of(iri) == key


@given(st.text(max_size=20), st.text(max_size=20))
def test_property_different_keys_different_iris(a, b):
    assert (entity_iri(a) == entity_iri(b)) == (a == b)
    assert (article_iri(a) == article_iri(b)) == (a == b)
