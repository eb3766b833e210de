"""RDF: a hand-made ``Extraction`` in, the article's named graph out; graph files.

Checks the shape of the triples (types, labels, evidence, claims, contradictions),
that writing then reading a dataset gives the same graphs (compared by isomorphism,
printing what is only on one side), and that files are written atomically.
"""

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.errors import GraphError
from kg.iri import article_iri, entity_iri, mention_iri, node_iri
from kg.model import Article, Claim, Entity, EntityMention, Event, Extraction, Sentence
from kg.rdf import add_extraction, new_dataset, read_dataset, write_dataset
from kg.vocab import CK, GEO, NIF, SCHEMA

# --- a small article, its extraction made by hand ---------------------------------------

HEADLINE = "Ukraine retakes Dovhenke"
S1 = "Ukrainian forces recaptured the village of Dovhenke on Monday."
S2 = "Spokesman Serhiy Marchenko said on Telegram that Russian troops had withdrawn from Dovhenke."
S3 = "Moscow denied that its troops had left the village."
TEXT = f"{HEADLINE}\n\n{S1} {S2} {S3}\n"
KEY = "5e1f0c2a9b7d4e31"

UKRAINE = "geonames/690791"
RUSSIA = "geonames/2017370"
DOVHENKE = "geonames/707010"
AFU = "armedgroup/armed-forces-of-ukraine"
RUSSIAN_FORCES = "armedgroup/armed-forces-of-the-russian-federation"
MARCHENKO = "person/serhiy-marchenko"
TELEGRAM = "organization/telegram"


def sentence(text: str, whole: str = TEXT) -> Sentence:
    start = whole.index(text)
    return Sentence(start, start + len(text), text)


def dovhenke_extraction() -> Extraction:
    """Three sentences: a recapture, a claimed withdrawal and its denial."""
    s1, s2, s3 = sentence(S1), sentence(S2), sentence(S3)
    article = Article(key=KEY, text=TEXT, headline=HEADLINE, published=date(2022, 9, 12),
                      source="Morning Press", url="https://example.org/2022/09/dovhenke")
    entities = (
        Entity(UKRAINE, "Country", "Ukraine", geonames=690791, wikidata="Q212"),
        Entity(RUSSIA, "Country", "Russia", geonames=2017370),
        Entity(DOVHENKE, "Settlement", "Dovhenke", geonames=707010, lat=49.0575, lon=37.2467),
        Entity(AFU, "ArmedGroup", "Armed Forces of Ukraine", side=UKRAINE),
        Entity(RUSSIAN_FORCES, "ArmedGroup", "Armed Forces of the Russian Federation", side=RUSSIA),
        Entity(MARCHENKO, "Person", "Serhiy Marchenko"),
        Entity(TELEGRAM, "Organization", "Telegram"),
    )
    mentions = (
        EntityMention(AFU, "Ukrainian forces", s1),
        EntityMention(UKRAINE, "Ukrainian", s1),
        EntityMention(DOVHENKE, "Dovhenke", s1),
        EntityMention(DOVHENKE, "the village", s1),
        EntityMention(MARCHENKO, "Serhiy Marchenko", s2),
        EntityMention(TELEGRAM, "Telegram", s2),
        EntityMention(RUSSIAN_FORCES, "Russian troops", s2),
        EntityMention(DOVHENKE, "Dovhenke", s2),
        EntityMention(RUSSIA, "Moscow", s3),
        EntityMention(RUSSIAN_FORCES, "its troops", s3),
        EntityMention(DOVHENKE, "the village", s3),
    )
    recapture = Event(f"{KEY}/event/{s1.start}", "TakeControl",
                      (("agent", AFU), ("location", DOVHENKE)), (s1,), triggers=("recaptured",),
                      date=date(2022, 9, 12), time_text="on Monday")
    withdrawal = Event(f"{KEY}/event/{s2.start}", "Retreat",
                       (("agent", RUSSIAN_FORCES), ("origin", DOVHENKE)), (s2,),
                       triggers=("withdrawn",), date=date(2022, 9, 10), end_date=date(2022, 9, 11))
    denied = Event(f"{KEY}/event/{s3.start}", "Retreat",
                   (("agent", RUSSIAN_FORCES), ("origin", DOVHENKE)), (s3,),
                   triggers=("left",), modality="Negated")
    claims = (
        Claim(f"{KEY}/claim/{s2.start}", withdrawal.key, s2, claimant=MARCHENKO, channel=TELEGRAM),
        Claim(f"{KEY}/claim/{s3.start}", denied.key, s3, claimant=RUSSIA),
    )
    return Extraction(article, entities, mentions, (recapture, withdrawal, denied), claims,
                      person_roles=((MARCHENKO, "spokesman"),),
                      contradictions=((withdrawal.key, denied.key),))


def second_extraction() -> Extraction:
    """Another article naming the same village, so graphs share an entity."""
    text = "Shelling hit Dovhenke overnight."
    s = sentence(text, text)
    article = Article(key="77aa00bb11cc22dd", text=text)
    village = Entity(DOVHENKE, "Settlement", "Dovhenke", geonames=707010, lat=49.0575, lon=37.2467)
    attack = Event("77aa00bb11cc22dd/event/0", "Attack", (("location", DOVHENKE),), (s,))
    return Extraction(article, (village,), (EntityMention(DOVHENKE, "Dovhenke", s),),
                      (attack,), ())


@pytest.fixture
def ex() -> Extraction:
    return dovhenke_extraction()


@pytest.fixture
def g(ex) -> Graph:
    return add_extraction(new_dataset(), ex)


# --- comparing graphs -------------------------------------------------------------------


def assert_isomorphic(expected: Graph, actual: Graph, what: str = "graph") -> None:
    """Fail unless the graphs are isomorphic; the message lists triples only on one side."""
    iso_expected, iso_actual = to_isomorphic(expected), to_isomorphic(actual)
    if iso_expected == iso_actual:
        return
    _, only_expected, only_actual = graph_diff(iso_expected, iso_actual)

    def lines(graph: Graph) -> str:
        return "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph)) or "  (none)"

    pytest.fail(f"{what} differs\nonly in expected:\n{lines(only_expected)}\n"
                f"only in actual:\n{lines(only_actual)}")


def assert_same_dataset(expected: Dataset, actual: Dataset) -> None:
    """Same named graphs, each isomorphic (the default graph included)."""

    def named(ds: Dataset) -> dict:
        return {c.identifier: c for c in ds.graphs() if len(c)}

    want, got = named(expected), named(actual)
    assert set(got) == set(want)
    for name, graph in want.items():
        assert_isomorphic(graph, got[name], what=f"graph <{name}>")


def union_of(ds: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in ds.quads():
        union.add((s, p, o))
    return union


def test_assert_isomorphic_reports_the_triples_only_on_one_side():
    a, b = Graph(), Graph()
    a.add((entity_iri(DOVHENKE), RDFS.label, Literal("Dovhenke")))
    b.add((entity_iri(DOVHENKE), RDFS.label, Literal("Dolhenke")))
    with pytest.raises(pytest.fail.Exception) as err:
        assert_isomorphic(a, b)
    message = str(err.value)
    only_actual = message.index("only in actual")
    assert message.index('"Dovhenke"') < only_actual < message.index('"Dolhenke"')


# --- the triples --------------------------------------------------------------------------


def test_article_triples_are_in_the_graph_named_by_the_article_iri(ex):
    ds = new_dataset()
    g = add_extraction(ds, ex)
    art = article_iri(KEY)
    assert g.identifier == art
    assert {c for _, _, _, c in ds.quads()} == {art}
    assert (art, RDF.type, SCHEMA.NewsArticle, art) in ds
    assert (art, SCHEMA.headline, Literal(HEADLINE)) in g
    assert (art, SCHEMA.datePublished, Literal("2022-09-12", datatype=XSD.date)) in g
    assert (art, SCHEMA.url, URIRef("https://example.org/2022/09/dovhenke")) in g
    assert len(ds.default_graph) == 0


def test_two_articles_get_two_named_graphs_sharing_entity_iris(ex):
    ds = new_dataset()
    first, second = add_extraction(ds, ex), add_extraction(ds, second_extraction())
    assert first.identifier != second.identifier
    village = entity_iri(DOVHENKE)
    assert (village, RDFS.label, Literal("Dovhenke")) in first
    assert (village, RDFS.label, Literal("Dovhenke")) in second


def test_entity_type_label_and_alternative_labels(g):
    village = entity_iri(DOVHENKE)
    assert (village, RDF.type, CK.Settlement) in g
    assert list(g.objects(village, RDFS.label)) == [Literal("Dovhenke")]
    assert set(g.objects(village, SKOS.altLabel)) == {Literal("the village")}
    russia = entity_iri(RUSSIA)
    assert list(g.objects(russia, RDFS.label)) == [Literal("Russia")]
    assert set(g.objects(russia, SKOS.altLabel)) == {Literal("Moscow")}


def test_entity_same_as_geonames_and_wikidata(g):
    assert (entity_iri(DOVHENKE), OWL.sameAs, URIRef("https://sws.geonames.org/707010/")) in g
    assert set(g.objects(entity_iri(UKRAINE), OWL.sameAs)) == {
        URIRef("https://sws.geonames.org/690791/"), URIRef("http://www.wikidata.org/entity/Q212")}
    assert not set(g.objects(entity_iri(MARCHENKO), OWL.sameAs))


def test_entity_coordinates_are_typed_decimals(g):
    village = entity_iri(DOVHENKE)
    [lat], [lon] = g.objects(village, GEO.lat), g.objects(village, GEO.long)
    assert lat.datatype == XSD.decimal and lat.toPython() == Decimal("49.0575")
    assert lon.datatype == XSD.decimal and lon.toPython() == Decimal("37.2467")
    assert not set(g.objects(entity_iri(AFU), GEO.lat))


def test_entity_side_and_person_role(g):
    assert (entity_iri(AFU), CK.side, entity_iri(UKRAINE)) in g
    assert (entity_iri(MARCHENKO), CK.role, Literal("spokesman")) in g


def test_entity_evidence_points_to_the_sentences_that_name_it(g):
    mentions = set(g.objects(entity_iri(DOVHENKE), CK.evidence))
    assert mentions == {mention_iri(KEY, s.start, s.end) for s in map(sentence, (S1, S2, S3))}


def test_event_types_roles_and_time(g, ex):
    recapture = node_iri(ex.events[0].key)
    assert set(g.objects(recapture, RDF.type)) == {CK.Event, CK.TakeControl}
    assert (recapture, CK.agent, entity_iri(AFU)) in g
    assert (recapture, CK.location, entity_iri(DOVHENKE)) in g
    [day] = g.objects(recapture, CK.date)
    assert day.datatype == XSD.date and day.toPython() == date(2022, 9, 12)
    assert (recapture, CK.timeText, Literal("on Monday")) in g
    assert (recapture, CK.trigger, Literal("recaptured")) in g
    assert not set(g.objects(recapture, CK.modality))


def test_event_interval_and_modality(g, ex):
    withdrawal, denied = node_iri(ex.events[1].key), node_iri(ex.events[2].key)
    assert (withdrawal, CK.origin, entity_iri(DOVHENKE)) in g
    assert (withdrawal, CK.endDate, Literal("2022-09-11", datatype=XSD.date)) in g
    assert (denied, CK.modality, CK.Negated) in g


def test_event_evidence_is_a_mention_of_the_article(g, ex):
    recapture = node_iri(ex.events[0].key)
    [m] = g.objects(recapture, CK.evidence)
    s1 = sentence(S1)
    assert m == mention_iri(KEY, s1.start, s1.end)
    assert (m, RDF.type, CK.Mention) in g
    assert (m, NIF.anchorOf, Literal(S1)) in g
    assert (m, NIF.beginIndex, Literal(s1.start, datatype=XSD.nonNegativeInteger)) in g
    assert (m, NIF.endIndex, Literal(s1.end, datatype=XSD.nonNegativeInteger)) in g
    assert (m, PROV.wasDerivedFrom, article_iri(KEY)) in g


def test_every_mention_anchors_the_text_at_its_offsets_once(g):
    mentions = set(g.subjects(RDF.type, CK.Mention))
    assert len(mentions) == 3  # one per sentence, however many nodes cite it
    for m in mentions:
        [anchor] = g.objects(m, NIF.anchorOf)
        [begin] = g.objects(m, NIF.beginIndex)
        [end] = g.objects(m, NIF.endIndex)
        assert TEXT[begin.toPython():end.toPython()] == str(anchor)


def test_claim_claimant_channel_and_asserted_event(g, ex):
    claim, event = node_iri(ex.claims[0].key), node_iri(ex.events[1].key)
    assert (claim, RDF.type, CK.Claim) in g
    assert (claim, CK.claimant, entity_iri(MARCHENKO)) in g
    assert (claim, CK.channel, entity_iri(TELEGRAM)) in g
    assert (claim, CK.asserts, event) in g
    s2 = sentence(S2)
    assert (claim, CK.evidence, mention_iri(KEY, s2.start, s2.end)) in g
    denial = node_iri(ex.claims[1].key)
    assert (denial, CK.claimant, entity_iri(RUSSIA)) in g
    assert not set(g.objects(denial, CK.channel))


def test_assessment_kind_gets_the_assessment_class(ex):
    claim = Claim(f"{KEY}/claim/0", ex.events[0].key, sentence(S1), kind="assessment")
    g = add_extraction(new_dataset(), Extraction(ex.article, ex.entities, ex.mentions,
                                                 ex.events, (claim,)))
    assert set(g.objects(node_iri(claim.key), RDF.type)) == {CK.Assessment}


def test_contradictions_are_stated_in_both_directions(g, ex):
    withdrawal, denied = node_iri(ex.events[1].key), node_iri(ex.events[2].key)
    assert (withdrawal, CK.contradicts, denied) in g
    assert (denied, CK.contradicts, withdrawal) in g
    assert len(set(g.triples((None, CK.contradicts, None)))) == 2


# --- files ----------------------------------------------------------------------------------


@pytest.fixture
def ds(ex) -> Dataset:
    ds = new_dataset()
    add_extraction(ds, ex)
    add_extraction(ds, second_extraction())
    return ds


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".jsonld"])
def test_write_then_read_gives_the_same_named_graphs(tmp_path, ds, suffix):
    path = tmp_path / f"graphs{suffix}"
    write_dataset(ds, path)
    assert_same_dataset(ds, read_dataset([path]))


def test_turtle_output_holds_the_union_of_the_graphs(tmp_path, ds):
    path = tmp_path / "graphs.ttl"
    write_dataset(ds, path)
    assert_isomorphic(union_of(ds), Graph().parse(path, format="turtle"))


def test_explicit_format_wins_over_the_suffix(tmp_path, ds):
    path = tmp_path / "graphs.out"
    write_dataset(ds, path, "nquads")
    back = Dataset()
    back.parse(path, format="nquads")
    assert_same_dataset(ds, back)


def test_write_creates_missing_folders(tmp_path, ds):
    path = tmp_path / "a" / "b" / "graphs.trig"
    write_dataset(ds, path)
    assert path.is_file()


@pytest.mark.parametrize("suffix", [".trig", ".ttl"])
def test_failed_write_leaves_no_file_and_no_temporary_file(tmp_path, ds, monkeypatch, suffix):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Graph, "serialize", broken)
    monkeypatch.setattr(Dataset, "serialize", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_dataset(ds, tmp_path / f"graphs{suffix}")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_previous_file(tmp_path, ds, monkeypatch):
    path = tmp_path / "graphs.trig"
    path.write_text("# the graph of yesterday\n")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Dataset, "serialize", broken)
    with pytest.raises(RuntimeError):
        write_dataset(ds, path)
    assert path.read_text() == "# the graph of yesterday\n"
    assert list(tmp_path.iterdir()) == [path]


def test_written_file_has_ordinary_permissions_not_those_of_a_temporary_file(tmp_path, ds):
    # mkstemp creates files readable by the owner only; the renamed output should not be.
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("")
    path = tmp_path / "graphs.trig"
    write_dataset(ds, path)
    assert oct(path.stat().st_mode & 0o777) == oct(ordinary.stat().st_mode & 0o777)


def test_read_several_files_into_one_dataset(tmp_path, ex):
    first, second = new_dataset(), new_dataset()
    add_extraction(first, ex)
    add_extraction(second, second_extraction())
    write_dataset(first, tmp_path / "a.trig")
    write_dataset(second, tmp_path / "b.nq")
    both = new_dataset()
    add_extraction(both, ex)
    add_extraction(both, second_extraction())
    assert_same_dataset(both, read_dataset([tmp_path / "a.trig", tmp_path / "b.nq"]))


def test_read_missing_file_is_a_graph_error(tmp_path):
    path = tmp_path / "missing.trig"
    with pytest.raises(GraphError, match="no such file") as err:
        read_dataset([path])
    assert str(path) in str(err.value)


def test_read_unknown_suffix_is_a_graph_error(tmp_path):
    path = tmp_path / "graph.rdfx"
    path.write_text("<a:b> <a:c> <a:d> .\n")
    with pytest.raises(GraphError, match="unknown RDF format") as err:
        read_dataset([path])
    assert str(path) in str(err.value)


@pytest.mark.parametrize("name, content", [
    ("broken.trig", "<https://example.org/g> { <https://example.org/a> <https://example.org/b> \n"),
    ("broken.nq", "this is not n-quads\n"),
    ("broken.jsonld", '{"@id": "https://example.org/a", '),
])
def test_read_malformed_file_is_a_graph_error_naming_it(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(GraphError, match="not valid") as err:
        read_dataset([path])
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


# --- property: serialise → parse ------------------------------------------------------------

labels = st.text(min_size=1, max_size=30)
coordinates = st.floats(min_value=-90, max_value=90, allow_nan=False, allow_infinity=False)


@st.composite
def extractions(draw) -> Extraction:
    """A small article: one sentence, a few settlements, one attack on them."""
    text = draw(st.text(min_size=1, max_size=60))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    s = Sentence(start, end, text[start:end])
    key = draw(st.text(alphabet="0123456789abcdef", min_size=1, max_size=16))
    names = draw(st.lists(labels, min_size=1, max_size=3, unique=True))
    entities = tuple(
        Entity(f"settlement/{i}", "Settlement", name,
               geonames=draw(st.none() | st.integers(1, 10**8)),
               lat=draw(coordinates), lon=draw(coordinates))
        for i, name in enumerate(names))
    mentions = tuple(EntityMention(e.key, draw(labels), s) for e in entities)
    event = Event(f"{key}/event/{start}", draw(st.sampled_from(["Attack", "Combat", "Advance"])),
                  tuple(("location", e.key) for e in entities), (s,),
                  triggers=tuple(draw(st.lists(labels, max_size=2))),
                  date=draw(st.none() | st.dates()), time_text=draw(st.none() | labels))
    article = Article(key=key, text=text, headline=draw(st.none() | labels),
                      published=draw(st.none() | st.dates()))
    return Extraction(article, entities, mentions, (event,), ())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ex=extractions(), suffix=st.sampled_from([".trig", ".nq", ".jsonld"]))
def test_property_serialise_then_parse_gives_an_isomorphic_graph(ex, suffix):
    ds = new_dataset()
    add_extraction(ds, ex)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"graph{suffix}"
        write_dataset(ds, path)
        back = read_dataset([path])
    assert_same_dataset(ds, back)
