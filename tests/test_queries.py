"""The named queries in queries/, kg.query and kg.results, on small graphs the tests build.

The main graph has two articles (MorningPress and ISW), places with coordinates, armed
groups with sides, events with dates, roles and evidence, claims with and without a
claimant, a contradiction between claims and one between events, an assessment, and a
merged-layer event that folds an event of each article. Entity descriptions repeat in
each article graph that mentions them, as in real output. ``place_store`` builds a
second: two articles that report Balakliya taken (one merged event from two sources)
and held, which contradicts it.
"""

from __future__ import annotations

import json
import math
import re
import time

import pyoxigraph as ox
import pytest

from kg.errors import OptionError
from kg.query import (
    QueryError,
    QueryTimeout,
    check_params,
    list_queries,
    load_query,
    parse_header,
    parse_params,
    queries_dir,
    query_command,
    run_query,
    running_queries,
    to_term,
)
from kg.results import FORMATS, format_result

ID = "https://w3id.org/conflict-kg/id/"
CK = "https://w3id.org/conflict-kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS, SKOS = "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2004/02/skos/core#"
OWL, PROV = "http://www.w3.org/2002/07/owl#", "http://www.w3.org/ns/prov#"
SCHEMA, GEO = "https://schema.org/", "http://www.w3.org/2003/01/geo/wgs84_pos#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
A, B = ID + "article/aaa", ID + "article/bbb"
LONG = ("Ukrainian forces struck a Russian ammunition depot and two command posts near Izyum late on Monday, "
        "local officials said.")

PLACES = {  # key: (class, label, other names, lat, long)
    "geonames/712926": ("Settlement", "Balakliya", ["Balakleya"], "49.45595", "36.84433"),
    "geonames/707292": ("Settlement", "Izyum", ["Izium"], "49.20697", "37.25699"),
    "geonames/704422": ("Settlement", "Kupiansk", [], "49.7106", "37.6156"),
    "geonames/706483": ("Settlement", "Kharkiv", [], "49.98177", "36.25475"),
    "region/kharkiv-oblast": ("Region", "Kharkiv Oblast", [], None, None),
}
ACTORS = {  # key: (class, label, other names, side, part of, role)
    "geonames/2017370": ("Country", "Russia", [], None, None, None),
    "geonames/690791": ("Country", "Ukraine", [], None, None, None),
    "armedgroup/russian-forces": ("ArmedGroup", "Russian forces", ["Russian troops"], "geonames/2017370", None, None),
    "armedgroup/ukrainian-forces": ("ArmedGroup", "Ukrainian forces", [], "geonames/690791", None, None),
    "armedgroup/russian-proxies": ("ArmedGroup", "Russian proxy forces", [], "geonames/2017370",
                                   "armedgroup/russian-forces", None),
    "armedgroup/rosgvardiya": ("ArmedGroup", "Rosgvardiya", ["Russian national guard"], "geonames/2017370",
                               None, None),
    "person/alexey-arestovych": ("Person", "Alexey Arestovych", [], None, None,
                                 "Ukrainian presidential office advisor"),
    "person/igor-konashenkov": ("Person", "Igor Konashenkov", [], None, None, "Russian MoD spokesperson"),
    "person/anatoly-dremov": ("Person", "Anatoly Dremov", [], None, None, None),
    "wikidata/Q48340": ("Organization", "CNN", [], None, None, None),
    "wikidata/Q866": ("Organization", "YouTube", [], None, None, None),
    "organization/telegram": ("Organization", "Telegram", [], None, None, None),
}
SENTENCES = {  # mention key: (article, text)
    "a1": (A, "Alexey Arestovych said on YouTube that the Russian line at Balakliya fled on Tuesday."),
    "a2": (A, "Some are saying that Balakliya has been fully liberated."),
    "a3": (A, "A report by CNN said that Balakliya is still being defended by Russian proxies."),
    "a4": (A, LONG),
    "a5": (A, "Ukrainian forces may push toward Kupiansk."),
    "b1": (B, "Igor Konashenkov said Russian forces and Rosgvardiya regrouped from Kupiansk on September 9."),
    "b2": (B, "ISW assesses that Ukrainian forces liberated Kupiansk on September 10."),
    "b3": (B, "Ukrainian forces recaptured Balakliya on September 8, Anatoly Dremov conceded."),
    "b4": (B, "Reports on Telegram claim Russian forces shelled Kharkiv overnight."),
}
EVENTS = {  # key: (class, {role: [entity keys]}, date, time text, modality, mention keys)
    "aaa/event/1": ("Retreat", {"agent": ["armedgroup/russian-forces"], "location": ["geonames/712926"]},
                    "2022-09-06", "Tuesday", None, ["a1"]),
    "aaa/event/2": ("TakeControl", {"agent": ["armedgroup/ukrainian-forces"], "location": ["geonames/712926"]},
                    "2022-09-07", None, None, ["a2"]),
    "aaa/event/3": ("Defend", {"agent": ["armedgroup/russian-proxies"], "location": ["geonames/712926"]},
                    "2022-09-07", None, None, ["a3"]),
    "aaa/event/4": ("Attack", {"agent": ["armedgroup/ukrainian-forces"], "target": ["armedgroup/russian-forces"],
                               "location": ["geonames/707292"]}, "2022-09-05", "Monday", None, ["a4"]),
    "aaa/event/5": ("Advance", {"agent": ["armedgroup/ukrainian-forces"], "destination": ["geonames/704422"]},
                    None, None, "Possible", ["a5"]),
    "bbb/event/1": ("Retreat", {"agent": ["armedgroup/russian-forces", "armedgroup/rosgvardiya"],
                                "origin": ["geonames/704422"]}, "2022-09-09", "September 9", None, ["b1"]),
    "bbb/event/2": ("TakeControl", {"agent": ["armedgroup/ukrainian-forces"], "location": ["geonames/704422"]},
                    "2022-09-10", "September 10", None, ["b2"]),
    "bbb/event/3": ("TakeControl", {"agent": ["armedgroup/ukrainian-forces"], "location": ["geonames/712926"]},
                    "2022-09-08", "September 8", None, ["b3"]),
    "bbb/event/4": ("Attack", {"agent": ["armedgroup/russian-forces"], "target": ["geonames/706483"],
                               "location": ["geonames/706483"]}, "2022-09-10", "overnight", None, ["b4"]),
}
CLAIMS = {  # key: (class, claimant, channel, asserted event, mention)
    "aaa/claim/1": ("Claim", "person/alexey-arestovych", "wikidata/Q866", "aaa/event/1", "a1"),
    "aaa/claim/2": ("Claim", None, None, "aaa/event/2", "a2"),
    "aaa/claim/3": ("Claim", "wikidata/Q48340", None, "aaa/event/3", "a3"),
    "bbb/claim/1": ("Claim", "person/igor-konashenkov", None, "bbb/event/1", "b1"),
    "bbb/claim/2": ("Claim", None, "organization/telegram", "bbb/event/4", "b4"),
    "bbb/assessment/1": ("Assessment", None, None, "bbb/event/2", "b2"),
}
MERGED = ID + "event/m1"  # folds aaa/event/2 and bbb/event/3 (Balakliya taken, reported by both)


def iri(key: str) -> ox.NamedNode:
    """A node of the graph: an entity key, an event or claim key ("aaa/event/1"), or a full IRI."""
    if key.startswith("http"):
        return ox.NamedNode(key)
    return ox.NamedNode(ID + ("article/" if key.startswith(("aaa/", "bbb/")) else "") + key)


def lit(value: str, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)) if datatype else ox.Literal(value)


def _mention(key: str) -> ox.NamedNode:
    article, _ = SENTENCES[key]
    return iri(f"{article}/mention/{key}")


def graph_quads() -> list[ox.Quad]:
    """The quads of the small graph: the two article graphs and a merged layer."""
    quads: list[ox.Quad] = []

    def add(s, p, o, g):
        quads.append(ox.Quad(iri(s) if isinstance(s, str) else s, ox.NamedNode(p), o, ox.NamedNode(g)))

    mentioned: dict[str, set[str]] = {A: set(), B: set()}
    for key, (cls, roles, day, words, modality, mentions) in EVENTS.items():
        g = ID + "article/" + key.split("/")[0]
        add(key, RDF_TYPE, ox.NamedNode(CK + "Event"), g)
        add(key, RDF_TYPE, ox.NamedNode(CK + cls), g)
        for role, values in roles.items():
            for value in values:
                add(key, CK + role, iri(value), g)
                mentioned[g].add(value)
        if day:
            add(key, CK + "date", lit(day, "date"), g)
        if words:
            add(key, CK + "timeText", lit(words), g)
        if modality:
            add(key, CK + "modality", ox.NamedNode(CK + modality), g)
        for m in mentions:
            add(key, CK + "evidence", _mention(m), g)
    for key, (cls, claimant, channel, event, mention) in CLAIMS.items():
        g = ID + "article/" + key.split("/")[0]
        add(key, RDF_TYPE, ox.NamedNode(CK + cls), g)
        add(key, CK + "asserts", iri(event), g)
        add(key, CK + "evidence", _mention(mention), g)
        for prop, value in (("claimant", claimant), ("channel", channel)):
            if value:
                add(key, CK + prop, iri(value), g)
                mentioned[g].add(value)
    for a, b in (("aaa/claim/2", "aaa/claim/3"), ("aaa/event/2", "aaa/event/3")):
        add(a, CK + "contradicts", iri(b), A)
        add(b, CK + "contradicts", iri(a), A)
    for key, (article, text) in SENTENCES.items():
        add(_mention(key), RDF_TYPE, ox.NamedNode(CK + "Mention"), article)
        add(_mention(key), NIF + "anchorOf", lit(text), article)
        add(_mention(key), PROV + "wasDerivedFrom", iri(article), article)
    mentioned[B].add("person/anatoly-dremov")
    for g, keys in mentioned.items():  # every side and formation is described where its group is
        keys |= {ACTORS[k][3] for k in list(keys) if k in ACTORS and ACTORS[k][3]}
        keys |= {ACTORS[k][4] for k in list(keys) if k in ACTORS and ACTORS[k][4]}
        evidence = _mention("a1" if g == A else "b1")
        for key in keys:
            cls, label, others, *rest = PLACES.get(key) or ACTORS[key]
            add(key, RDF_TYPE, ox.NamedNode(CK + cls), g)
            add(key, RDFS + "label", lit(label), g)
            add(key, CK + "evidence", evidence, g)
            for other in others:
                add(key, SKOS + "altLabel", lit(other), g)
            if key in PLACES and rest[0]:
                add(key, GEO + "lat", lit(rest[0], "decimal"), g)
                add(key, GEO + "long", lit(rest[1], "decimal"), g)
            if key in ACTORS:
                side, part_of, role = rest
                for prop, value in (("side", side), ("partOf", part_of)):
                    if value:
                        add(key, CK + prop, iri(value), g)
                if role:
                    add(key, CK + "role", lit(role), g)
    for article, headline, day, source, name in (
            (A, "Russian troops flee Balakliya", "2022-09-07", "source/morningpress", "MorningPress"),
            (B, "Russian Offensive Campaign Assessment, September 10", "2022-09-10", "source/isw", "ISW")):
        add(article, RDF_TYPE, ox.NamedNode(SCHEMA + "NewsArticle"), article)
        add(article, SCHEMA + "headline", lit(headline), article)
        add(article, SCHEMA + "datePublished", lit(day, "date"), article)
        add(article, SCHEMA + "publisher", iri(source), article)
        add(source, RDF_TYPE, ox.NamedNode(SCHEMA + "Organization"), article)
        add(source, SCHEMA + "name", lit(name), article)
    merged = ID + "merged"
    for cls in ("Event", "TakeControl"):
        add(MERGED, RDF_TYPE, ox.NamedNode(CK + cls), merged)
    for folded in ("aaa/event/2", "bbb/event/3"):
        add(MERGED, OWL + "sameAs", iri(folded), merged)
    for article in (A, B):
        add(MERGED, CK + "reportedBy", iri(article), merged)
    add(MERGED, CK + "agent", iri("armedgroup/ukrainian-forces"), merged)
    add(MERGED, CK + "location", iri("geonames/712926"), merged)
    add(MERGED, CK + "date", lit("2022-09-07", "date"), merged)
    add(MERGED, CK + "sourceCount", lit("2", "integer"), merged)
    return quads


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    s.extend(graph_quads())
    return s


def rows(store, name: str, **params) -> list[dict[str, str | None]]:
    """The rows of a named query as {column: value (IRI, lexical form) or None}."""
    result = run_query(store, load_query(name).text, params=params)
    return [{v: (t.value if t is not None else None) for v, t in zip(result.variables, row, strict=True)}
            for row in result.rows]


def pick(found: list[dict], *columns: str) -> list[tuple]:
    return [tuple(r[c] for c in columns) for r in found]


def items(text: str | None) -> set[str]:
    """The members of a GROUP_CONCAT column (its order is not defined)."""
    return set(text.split(", ")) if text else set()


# ---------------------------------------------------------------- the query files

QUERY_FILES = sorted(queries_dir().glob("*.rq"))


def test_there_are_at_least_twelve_named_queries_in_kebab_case():
    assert len(QUERY_FILES) >= 12
    for path in QUERY_FILES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.rq", path.name), path.name


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_file_parses_and_has_its_three_header_lines(path):
    text = path.read_text(encoding="utf-8")
    head = text.splitlines()[:12]
    assert head[0].startswith("# Question: ") and len(head[0]) > len("# Question: ") + 10
    assert any(line.startswith("# Parameters: ") for line in head)
    assert any(line.startswith("# Columns: ") for line in head)
    query = parse_header(text, path)
    assert query.question and query.columns and query.parameters is not None
    ox.Store().query(text)  # parses (and runs on nothing)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_the_columns_header_names_exactly_what_the_query_selects(store, path):
    query = load_query(str(path))
    params = {p.name: p.example for p in query.parameters if p.required}
    assert all(params.values()), f"{path.name}: a required parameter needs an example"
    result = run_query(store, query.text, params=params)
    assert result.variables == query.columns


def test_list_queries_reads_names_questions_parameters_and_columns():
    found = {q.name: q for q in list_queries()}
    near = found["events-near"]
    assert [p.name for p in near.parameters] == ["place", "km", "from", "to"]
    assert [p.required for p in near.parameters] == [True, True, False, False]
    assert near.parameters[1].example == "50"
    assert found["retreats"].parameters == () and "retreated" in found["retreats"].question
    assert found["control-timeline"].columns[:3] == ("place", "date", "time_text")


def test_load_query_by_path_and_unknown_names_list_the_known_ones(tmp_path):
    own = tmp_path / "mine.rq"
    own.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n")
    assert load_query(str(own)).name == "mine" and load_query(str(own)).parameters is None
    with pytest.raises(QueryError, match=r"unknown query 'retreat'.*retreats.*control-timeline|"
                                         r"unknown query 'retreat'.*control-timeline.*retreats"):
        load_query("retreat")
    with pytest.raises(QueryError, match="cannot read"):
        load_query(str(tmp_path / "absent.rq"))


# ---------------------------------------------------------------- each question


def test_retreats(store):
    found = rows(store, "retreats")
    assert pick(found, "date", "time_text", "location", "origin") == [
        ("2022-09-06", "Tuesday", "Balakliya", None), ("2022-09-09", "September 9", None, "Kupiansk")]
    assert items(found[0]["force"]) == {"Russian forces"}
    assert items(found[1]["force"]) == {"Russian forces", "Rosgvardiya"}
    assert found[0]["sentence"] == SENTENCES["a1"][1] and found[1]["event"] == ID + "article/bbb/event/1"


def test_control_timeline_orders_changes_and_shows_a_merged_event_once(store):
    found = rows(store, "control-timeline", place="Balakliya")
    assert pick(found, "date", "change", "actor", "side") == [
        ("2022-09-06", "withdrew", "Russian forces", "Russia"),
        ("2022-09-07", "held", "Russian proxy forces", "Russia"),
        ("2022-09-07", "took control", "Ukrainian forces", "Ukraine")]
    assert found[2]["event"] == MERGED and found[2]["sentence"] == SENTENCES["a2"][1]
    assert {r["place"] for r in found} == {"Balakliya"}


@pytest.mark.parametrize("place", ["balakleya", "BALAKLIYA", "kgid:geonames/712926", ID + "geonames/712926"])
def test_control_timeline_finds_the_place_by_other_name_any_case_or_iri(store, place):
    assert [r["event"] for r in rows(store, "control-timeline", place=place)] == \
        [r["event"] for r in rows(store, "control-timeline", place="Balakliya")]


def test_claims_by_people_and_organisations(store):
    found = rows(store, "claims")
    assert pick(found, "claimant", "claimant_type", "role", "channel", "asserted", "place", "date") == [
        ("Alexey Arestovych", "Person", "Ukrainian presidential office advisor", "YouTube", "Retreat",
         "Balakliya", "2022-09-06"),
        ("CNN", "Organization", None, None, "Defend", "Balakliya", "2022-09-07"),
        ("Igor Konashenkov", "Person", "Russian MoD spokesperson", None, "Retreat", "Kupiansk", "2022-09-09")]
    assert found[1]["sentence"] == SENTENCES["a3"][1] and found[1]["article"] == A
    assert items(found[2]["agent"]) == {"Russian forces", "Rosgvardiya"}


def test_unattributed_claims(store):
    found = rows(store, "unattributed-claims")
    assert pick(found, "asserted", "agent", "place", "date", "channel", "article") == [
        ("TakeControl", "Ukrainian forces", "Balakliya", "2022-09-07", None, A),
        ("Attack", "Russian forces", "Kharkiv", "2022-09-10", "Telegram", B)]


def test_contradictions_about_a_place_come_as_pairs_of_sides(store):
    found = rows(store, "contradictions", place="Balakliya")
    assert pick(found, "pair", "node", "says", "agent", "claimant") == [
        (ID + "article/aaa/claim/2", ID + "article/aaa/claim/2", "TakeControl", "Ukrainian forces", None),
        (ID + "article/aaa/claim/2", ID + "article/aaa/claim/3", "Defend", "Russian proxy forces", "CNN"),
        (ID + "article/aaa/event/2", ID + "article/aaa/event/2", "TakeControl", "Ukrainian forces", None),
        (ID + "article/aaa/event/2", ID + "article/aaa/event/3", "Defend", "Russian proxy forces", None)]
    assert {r["about"] for r in found} == {"Balakliya"} and found[1]["sentence"] == SENTENCES["a3"][1]
    assert {(r["sources"], r["article"]) for r in found} == {("1", A)}
    assert len(rows(store, "contradictions")) == 4
    assert rows(store, "contradictions", place="Kupiansk") == []


def _km(a: str, b: str) -> float:
    """Great-circle distance between two places of the graph (haversine), for comparison."""
    (lat1, lon1), (lat2, lon2) = ((math.radians(float(PLACES[k][3])), math.radians(float(PLACES[k][4])))
                                  for k in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_events_near_a_place_within_a_radius(store):
    found = rows(store, "events-near", place="Balakliya", km="50")
    assert {(r["event_place"], r["type"]) for r in found} == {
        ("Balakliya", "Retreat"), ("Balakliya", "Defend"), ("Balakliya", "TakeControl"), ("Izyum", "Attack")}
    izyum = next(r for r in found if r["event_place"] == "Izyum")
    assert float(izyum["distance_km"]) == pytest.approx(_km("geonames/712926", "geonames/707292"), rel=0.01)
    assert found[-1] is izyum  # nearest first
    assert izyum["sentence"] == LONG and izyum["agent"] == "Ukrainian forces"
    wider = rows(store, "events-near", place="Balakliya", km="65")
    assert {r["event_place"] for r in wider} == {"Balakliya", "Izyum", "Kupiansk"}
    assert len(wider) == 7  # Kharkiv, 72 km away, stays out


def test_events_near_a_place_between_two_dates(store):
    found = rows(store, "events-near", place="Balakliya", km="65", **{"from": "2022-09-06", "to": "2022-09-09"})
    assert sorted(pick(found, "date", "type")) == [
        ("2022-09-06", "Retreat"), ("2022-09-07", "Defend"), ("2022-09-07", "TakeControl"),
        ("2022-09-09", "Retreat")]
    assert {(r["from"], r["to"], r["km"]) for r in found} == {("2022-09-06", "2022-09-09", "65")}


def test_most_corroborated_counts_articles_publishers_and_the_source_count(store):
    found = rows(store, "most-corroborated")
    assert pick(found[:1], "event", "sources", "articles", "publishers", "source_count", "type") == [
        (MERGED, "2", "2", "2", "2", "TakeControl")]
    assert len(found) == 8  # the two events the merge folded are counted through it
    assert {r["sources"] for r in found[1:]} == {"1"}


def test_actors_at_a_place(store):
    found = rows(store, "actors-at-place", place="Kupiansk")
    assert pick(found, "actor", "actor_type", "side", "events", "first_date", "last_date") == [
        ("Ukrainian forces", "ArmedGroup", "Ukraine", "2", "2022-09-10", "2022-09-10"),
        ("Rosgvardiya", "ArmedGroup", "Russia", "1", "2022-09-09", "2022-09-09"),
        ("Russian forces", "ArmedGroup", "Russia", "1", "2022-09-09", "2022-09-09")]
    assert {r["roles"] for r in found} == {"agent"}


def test_actor_events(store):
    found = rows(store, "actor-events", actor="russian troops")
    assert pick(found, "date", "role", "type", "counterpart", "place") == [
        ("2022-09-05", "target", "Attack", "Ukrainian forces", "Izyum"),
        ("2022-09-06", "agent", "Retreat", None, "Balakliya"),
        ("2022-09-09", "agent", "Retreat", "Rosgvardiya", "Kupiansk"),
        ("2022-09-10", "agent", "Attack", None, "Kharkiv")]


def test_armed_groups_and_their_sides(store):
    found = rows(store, "armed-groups")
    assert pick(found, "group", "side", "part_of", "also_known_as", "events", "articles") == [
        ("Russian forces", "Russia", None, "Russian troops", "4", "2"),
        ("Rosgvardiya", "Russia", None, "Russian national guard", "1", "1"),
        ("Russian proxy forces", "Russia", "Russian forces", None, "1", "1"),
        ("Ukrainian forces", "Ukraine", None, None, "4", "2")]


def test_events_by_type_per_day(store):
    assert pick(rows(store, "events-per-day"), "date", "type", "events") == [
        ("2022-09-05", "Attack", "1"), ("2022-09-06", "Retreat", "1"), ("2022-09-07", "Defend", "1"),
        ("2022-09-07", "TakeControl", "1"), ("2022-09-09", "Retreat", "1"), ("2022-09-10", "Attack", "1"),
        ("2022-09-10", "TakeControl", "1")]
    week = rows(store, "events-per-day", **{"from": "2022-09-07", "to": "2022-09-09"})
    assert pick(week, "date", "type") == [("2022-09-07", "Defend"), ("2022-09-07", "TakeControl"),
                                          ("2022-09-09", "Retreat")]


def test_people_and_their_roles(store):
    assert pick(rows(store, "people"), "person", "roles", "claims", "articles") == [
        ("Alexey Arestovych", "Ukrainian presidential office advisor", "1", "1"),
        ("Igor Konashenkov", "Russian MoD spokesperson", "1", "1"),
        ("Anatoly Dremov", None, "0", "1")]


def test_sources_and_what_each_reported(store):
    found = rows(store, "sources")
    assert pick(found, "publisher", "published", "events", "claims", "article") == [
        ("ISW", "2022-09-10", "4", "2", B), ("MorningPress", "2022-09-07", "5", "3", A)]
    assert items(found[1]["event_types"]) == {"Retreat", "TakeControl", "Defend", "Attack", "Advance"}


def test_assessments(store):
    assert pick(rows(store, "assessments"), "publisher", "asserted", "agent", "place", "date") == [
        ("ISW", "TakeControl", "Ukrainian forces", "Kupiansk", "2022-09-10")]


def test_node_lists_what_points_to_a_place_and_what_it_says(store):
    found = rows(store, "node", node="kgid:geonames/704422")
    incoming = {(r["property"], r["value"]) for r in found if r["direction"] == "in"}
    assert incoming == {(CK + "destination", ID + "article/aaa/event/5"), (CK + "origin", ID + "article/bbb/event/1"),
                        (CK + "location", ID + "article/bbb/event/2")}
    assert (RDFS + "label", "Kupiansk") in {(r["property"], r["value"]) for r in found}


# ---------------------------------------------------------------- what happened at a place

PLACE_EVENTS = {  # key: (class, agent, role of Balakliya, date, sentence); aaa reports one, bbb three
    "aaa/event/p1": ("TakeControl", "armedgroup/ukrainian-forces", "location", "2022-09-08",
                     "Ukrainian forces recaptured Balakliya on September 8."),
    "bbb/event/p1": ("TakeControl", "armedgroup/ukrainian-forces", "location", "2022-09-09",
                     "Balakliya has been liberated by Ukrainian forces."),
    "bbb/event/p2": ("Defend", "armedgroup/russian-proxies", "location", "2022-09-08",
                     "Russian proxy forces still hold Balakliya."),
    "bbb/event/p3": ("Retreat", "armedgroup/russian-forces", "origin", "2022-09-07",
                     "Russian forces withdrew from Balakliya."),
}
PLACE_MERGED = {"event/m-taken": ["aaa/event/p1", "bbb/event/p1"], "event/m-held": ["bbb/event/p2"],
                "event/m-left": ["bbb/event/p3"]}


def place_store(*, merged: bool) -> ox.Store:
    """Two articles about Balakliya: both report it taken (one merged event from two sources), the
    second also reports it held, which contradicts the taking (within the article and, merged,
    across the reports), and a retreat from it. ``merged`` adds the merged layer."""
    quads: list[ox.Quad] = []

    def add(s, p, o, g):
        quads.append(ox.Quad(iri(s), ox.NamedNode(p), o, ox.NamedNode(g)))

    for key, (cls, agent, role, day, text) in PLACE_EVENTS.items():
        g, mention = ID + "article/" + key.split("/")[0], key + "/mention"
        for node in ("Event", cls):
            add(key, RDF_TYPE, ox.NamedNode(CK + node), g)
        add(key, CK + "agent", iri(agent), g)
        add(key, CK + role, iri("geonames/712926"), g)
        add(key, CK + "date", lit(day, "date"), g)
        add(key, CK + "evidence", iri(mention), g)
        add(mention, NIF + "anchorOf", lit(text), g)
        add(mention, PROV + "wasDerivedFrom", iri(g), g)
        for entity in (agent, "geonames/712926"):
            cls_, label, others, *_ = ACTORS.get(entity) or PLACES[entity]
            add(entity, RDF_TYPE, ox.NamedNode(CK + cls_), g)
            add(entity, RDFS + "label", lit(label), g)
            for other in others:
                add(entity, SKOS + "altLabel", lit(other), g)
    pairs = [("bbb/event/p1", "bbb/event/p2", B)]
    if merged:
        pairs.append(("event/m-taken", "event/m-held", ID + "merged"))
        for node, folded in PLACE_MERGED.items():
            cls, agent, role, *_ = PLACE_EVENTS[folded[0]]
            for name in ("Event", cls):
                add(node, RDF_TYPE, ox.NamedNode(CK + name), ID + "merged")
            add(node, CK + "agent", iri(agent), ID + "merged")
            add(node, CK + role, iri("geonames/712926"), ID + "merged")
            add(node, CK + "date", lit(min(PLACE_EVENTS[f][3] for f in folded), "date"), ID + "merged")
            add(node, CK + "sourceCount", lit(str(len(folded)), "integer"), ID + "merged")
            for event in folded:
                add(node, OWL + "sameAs", iri(event), ID + "merged")
                add(node, CK + "reportedBy", iri(ID + "article/" + event.split("/")[0]), ID + "merged")
    for a, b, g in pairs:
        add(a, CK + "contradicts", iri(b), g)
        add(b, CK + "contradicts", iri(a), g)
    s = ox.Store()
    s.extend(quads)
    return s


def test_place_events_lists_merged_events_in_date_order_with_sources_and_contradictions():
    found = rows(place_store(merged=True), "place-events", place="Balakliya")
    assert pick(found, "date", "type", "role", "agent", "sources", "event") == [
        ("2022-09-07", "Retreat", "origin", "Russian forces", "1", ID + "event/m-left"),
        ("2022-09-08", "Defend", "location", "Russian proxy forces", "1", ID + "event/m-held"),
        ("2022-09-08", "TakeControl", "location", "Ukrainian forces", "2", ID + "event/m-taken")]
    assert [r["contradicts"] for r in found] == [
        None, "TakeControl 2022-09-08 kgid:event/m-taken", "Defend 2022-09-08 kgid:event/m-held"]
    assert found[2]["sentence"] == PLACE_EVENTS["bbb/event/p1"][4]  # the first of the two reports'
    assert {r["place"] for r in found} == {"Balakliya"}


def test_place_events_without_the_merged_layer_lists_article_events_from_one_source_each():
    found = rows(place_store(merged=False), "place-events", place="balakleya")
    assert pick(found, "date", "type", "sources", "event") == [
        ("2022-09-07", "Retreat", "1", ID + "article/bbb/event/p3"),
        ("2022-09-08", "Defend", "1", ID + "article/bbb/event/p2"),
        ("2022-09-08", "TakeControl", "1", ID + "article/aaa/event/p1"),
        ("2022-09-09", "TakeControl", "1", ID + "article/bbb/event/p1")]
    assert found[1]["contradicts"] == "TakeControl 2022-09-09 kgid:article/bbb/event/p1"
    by_iri = rows(place_store(merged=False), "place-events", place="kgid:geonames/712926")
    assert [r["event"] for r in by_iri] == [r["event"] for r in found]


def test_contradictions_across_reports_name_the_article_of_each_side():
    found = rows(place_store(merged=True), "contradictions", place="Balakliya")
    merged = [r for r in found if r["pair"] == ID + "event/m-held"]
    assert pick(merged, "node", "says", "sources", "article") == [
        (ID + "event/m-held", "Defend", "1", B), (ID + "event/m-taken", "TakeControl", "2", A)]
    within = [r for r in found if r["pair"] != ID + "event/m-held"]
    assert {r["article"] for r in within} == {B} and len(within) == 2


# ---------------------------------------------------------------- parameters


def test_parameter_values_become_iris_dates_numbers_or_strings():
    assert to_term("kgid:geonames/712926") == ox.NamedNode(ID + "geonames/712926")
    assert to_term("https://example.org/x") == ox.NamedNode("https://example.org/x")
    assert to_term("2022-09-01") == lit("2022-09-01", "date")
    assert to_term("50") == lit("50", "integer") and to_term("2.5") == lit("2.5", "decimal")
    assert to_term("Balakliya") == lit("Balakliya") and to_term("note: ck") == lit("note: ck")
    with pytest.raises(QueryError, match="not a valid date"):
        to_term("2022-02-30")


INJECTIONS = ['Balakliya" } UNION { ?p ?q ?name } #', "Balakliya') || true || ('", "x } } SELECT * WHERE { ?s ?p ?o"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_parameter_is_bound_not_pasted_so_quotes_and_braces_change_nothing(store, value):
    assert rows(store, "control-timeline", place=value) == []
    assert rows(store, "events-per-day", **{"from": value}) == []


def test_a_label_with_quotes_and_braces_is_matched_exactly(store):
    odd = 'Fort "Brace" } #1'
    s = ox.Store()
    s.extend(graph_quads())
    g = ox.NamedNode(A)
    s.extend([ox.Quad(iri("settlement/fort"), ox.NamedNode(RDF_TYPE), ox.NamedNode(CK + "Settlement"), g),
              ox.Quad(iri("settlement/fort"), ox.NamedNode(RDFS + "label"), lit(odd), g),
              ox.Quad(iri("aaa/event/9"), ox.NamedNode(RDF_TYPE), ox.NamedNode(CK + "Event"), g),
              ox.Quad(iri("aaa/event/9"), ox.NamedNode(RDF_TYPE), ox.NamedNode(CK + "Defend"), g),
              ox.Quad(iri("aaa/event/9"), ox.NamedNode(CK + "location"), iri("settlement/fort"), g)])
    assert [r["event"] for r in rows(s, "control-timeline", place=odd)] == [ID + "article/aaa/event/9"]


def test_parameters_are_checked_against_the_header():
    timeline = load_query("control-timeline")
    with pytest.raises(QueryError, match="needs --param place=.*example: --param place=Balakliya"):
        check_params(timeline, {})
    with pytest.raises(QueryError, match="has no parameter 'town'; it takes: place"):
        check_params(timeline, {"place": "x", "town": "y"})


def test_param_arguments_must_read_name_equals_value():
    assert parse_params(["place=Balakliya", "?km=30", "q=a=b"]) == {"place": "Balakliya", "km": "30", "q": "a=b"}
    for bad in (["place"], ["=Balakliya"], ["two words=x"]):
        with pytest.raises(OptionError, match="write NAME=VALUE"):
            parse_params(bad)


def test_a_parameter_that_is_not_selected_is_refused_with_its_name(store):
    with pytest.raises(QueryError, match="parameter 'nope' is not a variable the query SELECTs"):
        run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", params={"nope": "x"})


# ---------------------------------------------------------------- formats


def test_json_is_sparql_results_json(store):
    result = run_query(store, load_query("people").text)
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == list(load_query("people").columns)
    first = data["results"]["bindings"][0]
    assert first["person"] == {"type": "literal", "value": "Alexey Arestovych"}
    assert first["claims"] == {"type": "literal", "value": "1", "datatype": XSD + "integer"}
    assert first["node"] == {"type": "uri", "value": ID + "person/alexey-arestovych"}
    assert "roles" in first and "roles" not in data["results"]["bindings"][2]  # unbound: left out
    ask = json.loads(format_result(run_query(store, "ASK { ?s a ck:Retreat }"), "json"))
    assert ask == {"head": {}, "boolean": True}


def test_csv_and_tsv_follow_the_sparql_formats(store):
    result = run_query(store, load_query("people").text)
    csv_lines = format_result(result, "csv").split("\r\n")
    assert csv_lines[0] == "person,roles,claims,articles,node"
    assert csv_lines[1] == f"Alexey Arestovych,Ukrainian presidential office advisor,1,1,{ID}person/alexey-arestovych"
    tsv_lines = format_result(result, "tsv").splitlines()
    assert tsv_lines[0] == "?person\t?roles\t?claims\t?articles\t?node"
    assert tsv_lines[1].split("\t")[0] == '"Alexey Arestovych"' and tsv_lines[1].endswith(
        f"<{ID}person/alexey-arestovych>")
    text = 'He said "go, now"\nthen left'
    quoted = run_query(store, "SELECT ?x WHERE {}", params={"x": text})
    assert format_result(quoted, "csv") == 'x\r\n"He said ""go, now""\nthen left"\r\n'


def test_table_shortens_iris_and_trims_long_text(store):
    table = format_result(run_query(store, load_query("events-near").text,
                                    params={"place": "Izyum", "km": "1"}), "table", width=40)
    lines = table.splitlines()
    assert lines[0].split() == list(load_query("events-near").columns)
    assert "kgid:article/aaa/event/4" in table and ID not in table
    assert LONG[:39] + "…" in table and LONG not in table
    assert lines[-1] == "(1 row)"
    node = format_result(run_query(store, load_query("node").text, params={"node": "kgid:geonames/707292"}), "table")
    assert "rdf:type" in node and "ck:Settlement" in node and "geo:lat" in node


def test_ask_and_construct_answers_are_formatted(store):
    assert format_result(run_query(store, "ASK { ?s a ck:Claim }"), "table") == "yes"
    graph = run_query(store, "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ck:Country ; rdfs:label ?l }")
    assert graph.kind == "graph" and graph.variables == ("subject", "predicate", "object")
    assert "kgid:geonames/2017370  rdfs:label  Russia" in format_result(graph, "table")
    assert format_result(graph, "csv").startswith("subject,predicate,object\r\n")


def test_an_unknown_format_is_refused_with_the_known_ones(store):
    with pytest.raises(OptionError, match="unknown format 'yaml'; use one of table, csv, tsv, json"):
        format_result(run_query(store, "ASK { ?s a ck:Claim }"), "yaml")


def test_max_rows_cuts_the_answer_and_says_so(store):
    result = run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=3)
    assert len(result.rows) == 3 and result.truncated
    assert format_result(result, "table").endswith("(3 rows, more left out)")


# ---------------------------------------------------------------- errors and time


def test_a_syntax_error_says_where(store):
    with pytest.raises(QueryError, match=r"invalid SPARQL, error at 2:\d+"):
        run_query(store, "SELECT ?s WHERE {\n  ?s ?p }")


def test_a_slow_query_times_out(store):
    slow = ox.Store()
    slow.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                        ox.Literal(str(i % 7))) for i in range(150))  # about 1.5 s
    cross = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . ?c ?p ?z "
             "FILTER(?x != ?z && ?y != ?z) }")
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="timed out after 0.1 s"):
        run_query(slow, cross, timeout=0.1)
    assert time.perf_counter() - started < 1.0
    assert running_queries() >= 1  # pyoxigraph cannot stop it; it finishes in the background


def test_query_command_runs_a_named_query_on_a_file(store, tmp_path):
    path = tmp_path / "small.trig"
    store.dump(output=str(path), format=ox.RdfFormat.TRIG)
    out = query_command([path], "control-timeline", None, ["place=Balakliya"], "csv", 10)
    assert out.splitlines()[0].startswith("place,date,time_text,change")
    assert len(out.strip().splitlines()) == 4
    assert "Kupiansk" in query_command([str(path)], None, "SELECT ?l WHERE { ?p a ck:Settlement ; rdfs:label ?l }",
                                       [], "table", None)
    with pytest.raises(QueryError, match="needs --param place"):
        query_command([path], "control-timeline", None, [], "table", None)
    with pytest.raises(QueryError, match="--sparql: invalid SPARQL"):
        query_command([path], None, "SELECT", [], "table", None)
    assert set(FORMATS) == {"table", "csv", "tsv", "json"}
