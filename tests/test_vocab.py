"""The Python vocabulary, the ontology and the public contract agree."""

import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.validate import ontology_dir
from kg.vocab import CK

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "CONTRACT.md"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_dir() / "conflict.ttl", format="turtle")


def defined_terms(ontology: Graph) -> set[str]:
    ns = str(CK._NS)
    return {str(s)[len(ns):] for s in ontology.subjects(RDF.type, None)
            if str(s).startswith(ns) and len(str(s)) > len(ns)}


def test_python_vocabulary_matches_ontology_exactly(ontology):
    python_terms = set(CK.__annotations__)
    assert python_terms == defined_terms(ontology)


def test_every_term_has_one_label_and_one_comment(ontology):
    for name in CK.__annotations__:
        term = CK[name]
        assert len(list(ontology.objects(term, RDFS.label))) == 1, name
        assert len(list(ontology.objects(term, RDFS.comment))) == 1, name


def test_misspelt_term_is_an_error():
    with pytest.raises(AttributeError):
        CK.Retrete  # noqa: B018


def test_contradicts_is_symmetric(ontology):
    assert (CK.contradicts, RDF.type, OWL.SymmetricProperty) in ontology


@pytest.mark.skipif(not CONTRACT.exists(), reason="../shared/eval/CONTRACT.md is absent")
def test_contract_terms_are_all_defined(ontology):
    names = set(re.findall(r"`ck:(\w+)`", CONTRACT.read_text()))
    assert names, "no ck: names found in the contract"
    assert names <= defined_terms(ontology)
