"""Validation against ontology/shapes.ttl: a well-formed graph conforms, and planted
faults come back as readable ``Violation`` values naming the node and the problem.

The bad graphs are made by editing a valid dataset built from a hand-made
``Extraction`` and writing it to tmp_path.
"""

from datetime import date

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS, XSD

from kg.errors import GraphError
from kg.iri import article_iri, entity_iri, node_iri
from kg.model import Article, Claim, Entity, EntityMention, Event, Extraction, Sentence
from kg.rdf import add_extraction, new_dataset, write_dataset
from kg.validate import Violation, validate_files
from kg.vocab import CK

S1 = "Ukrainian forces recaptured the village of Dovhenke on Monday."
S2 = "Spokesman Serhiy Marchenko said Russian troops had withdrawn from Dovhenke."
TEXT = f"Ukraine retakes Dovhenke\n\n{S1} {S2}\n"
KEY = "5e1f0c2a9b7d4e31"
DOVHENKE, AFU, RUSSIAN_FORCES = ("geonames/707010", "armedgroup/armed-forces-of-ukraine",
                                 "armedgroup/russian-armed-forces")
UKRAINE, MARCHENKO = "geonames/690791", "person/serhiy-marchenko"


def sentence(text: str) -> Sentence:
    start = TEXT.index(text)
    return Sentence(start, start + len(text), text)


def valid_extraction() -> Extraction:
    s1, s2 = sentence(S1), sentence(S2)
    article = Article(key=KEY, text=TEXT, headline="Ukraine retakes Dovhenke",
                      published=date(2022, 9, 12), url="https://example.org/2022/09/dovhenke")
    entities = (
        Entity(UKRAINE, "Country", "Ukraine", geonames=690791),
        Entity(DOVHENKE, "Settlement", "Dovhenke", geonames=707010, lat=49.0575, lon=37.2467),
        Entity(AFU, "ArmedGroup", "Armed Forces of Ukraine", side=UKRAINE),
        Entity(RUSSIAN_FORCES, "ArmedGroup", "Russian Armed Forces"),
        Entity(MARCHENKO, "Person", "Serhiy Marchenko"),
    )
    mentions = (
        EntityMention(UKRAINE, "Ukrainian", s1),
        EntityMention(AFU, "Ukrainian forces", s1),
        EntityMention(DOVHENKE, "Dovhenke", s1),
        EntityMention(DOVHENKE, "Dovhenke", s2),
        EntityMention(MARCHENKO, "Serhiy Marchenko", s2),
        EntityMention(RUSSIAN_FORCES, "Russian troops", s2),
    )
    recapture = Event(f"{KEY}/event/{s1.start}", "TakeControl",
                      (("agent", AFU), ("location", DOVHENKE)), (s1,),
                      triggers=("recaptured",), date=date(2022, 9, 12), time_text="on Monday")
    withdrawal = Event(f"{KEY}/event/{s2.start}", "Retreat",
                       (("agent", RUSSIAN_FORCES), ("origin", DOVHENKE)), (s2,),
                       triggers=("withdrawn",), modality="Possible")
    claim = Claim(f"{KEY}/claim/{s2.start}", withdrawal.key, s2, claimant=MARCHENKO)
    return Extraction(article, entities, mentions, (recapture, withdrawal), (claim,),
                      person_roles=((MARCHENKO, "spokesman"),))


RECAPTURE = node_iri(f"{KEY}/event/{TEXT.index(S1)}")
VILLAGE = entity_iri(DOVHENKE)


@pytest.fixture
def ds() -> Dataset:
    ds = new_dataset()
    add_extraction(ds, valid_extraction())
    return ds


def graph_of(ds: Dataset):
    return ds.graph(article_iri(KEY))


def validate(ds: Dataset, tmp_path, name: str = "graph.trig") -> list[Violation]:
    path = tmp_path / name
    write_dataset(ds, path)
    return validate_files([path])


def only_violation_on(violations: list[Violation], focus) -> Violation:
    """The one violation of ``focus``; fails listing them all otherwise."""
    found = [v for v in violations if v.focus == str(focus)]
    assert len(found) == 1, "\n".join(map(str, violations)) or "no violations"
    return found[0]


def is_path(path: str | None, curie: str, term) -> bool:
    """Whether a violation's path names ``term``, as a CURIE or a full IRI."""
    return path in (curie, f"<{term}>")


@pytest.mark.parametrize("name", ["graph.trig", "graph.nq", "graph.jsonld", "graph.ttl"])
def test_graph_of_a_hand_made_extraction_conforms(ds, tmp_path, name):
    assert validate(ds, tmp_path, name) == []


def test_files_are_validated_together(ds, tmp_path):
    # An event in one file may use a place typed in another: they are one dataset.
    write_dataset(ds, tmp_path / "a.trig")
    assert validate_files([tmp_path / "a.trig", tmp_path / "a.trig"]) == []


def test_event_without_evidence_is_reported(ds, tmp_path):
    graph_of(ds).remove((RECAPTURE, CK.evidence, None))
    violations = validate(ds, tmp_path)
    v = only_violation_on(violations, RECAPTURE)
    assert is_path(v.path, "ck:evidence", CK.evidence)
    assert "has no ck:evidence" in v.message
    assert v.severity == "Violation"
    assert str(v) == f"Violation: <{RECAPTURE}> {v.path}: {v.message}"


def test_violation_path_uses_the_ck_prefix_not_the_full_iri(ds, tmp_path):
    # validate_files shortens paths with normalizeUri; the ck: prefix must be known for that.
    graph_of(ds).remove((RECAPTURE, CK.evidence, None))
    v = only_violation_on(validate(ds, tmp_path), RECAPTURE)
    assert v.path == "ck:evidence"


def test_entity_with_two_labels_is_reported(ds, tmp_path):
    graph_of(ds).add((VILLAGE, RDFS.label, Literal("Dolgenkoye")))
    v = only_violation_on(validate(ds, tmp_path), VILLAGE)
    assert v.path == "rdfs:label"
    assert "exactly one canonical rdfs:label" in v.message
    assert str(VILLAGE) in str(v) and "skos:altLabel" in str(v)


def test_entity_without_label_is_reported(ds, tmp_path):
    graph_of(ds).remove((VILLAGE, RDFS.label, None))
    v = only_violation_on(validate(ds, tmp_path), VILLAGE)
    assert v.path == "rdfs:label"


def test_date_typed_as_string_is_reported(ds, tmp_path):
    g = graph_of(ds)
    g.remove((RECAPTURE, CK.date, None))
    g.add((RECAPTURE, CK.date, Literal("2022-09-12", datatype=XSD.string)))
    v = only_violation_on(validate(ds, tmp_path), RECAPTURE)
    assert is_path(v.path, "ck:date", CK.date)
    assert "not an xsd:date literal" in v.message
    assert str(RECAPTURE) in str(v)


def test_several_faults_are_all_reported_in_a_stable_order(ds, tmp_path):
    g = graph_of(ds)
    g.remove((RECAPTURE, CK.evidence, None))
    g.add((VILLAGE, RDFS.label, Literal("Dolgenkoye")))
    violations = validate(ds, tmp_path)
    assert [v.focus for v in violations] == sorted([str(RECAPTURE), str(VILLAGE)])
    by_focus = {v.focus: v.path for v in violations}
    assert is_path(by_focus[str(RECAPTURE)], "ck:evidence", CK.evidence)
    assert by_focus[str(VILLAGE)] == "rdfs:label"
    assert violations == sorted(violations, key=lambda v: (v.focus, v.path or "", v.message))


def test_unreadable_file_is_a_graph_error(tmp_path):
    with pytest.raises(GraphError, match="no such file"):
        validate_files([tmp_path / "missing.trig"])
