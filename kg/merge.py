"""Merging across articles: one node per real-world entity and event, sources counted.

Input: a store holding one named graph per article (``kg.store``). Output: the
merged layer, a named graph of its own (``MERGED_GRAPH``), so each article's own
statements stay where they are and a user can always see who said what:
- entities: nodes that share an IRI are one already (GeoNames, Wikidata and name
  keys); people are also joined across transliterations and surname-only mentions
  ("Alexey" / "Oleksiy" / "Oleksii Arestovych", "Arestovych"), each variant IRI
  linked to the canonical one with ``owl:sameAs``;
- events: same class, a shared place, compatible agents (the same, or one unnamed)
  and dates within a window (default one day; an undated event takes its article's
  publication date) make one merged event with ``ck:sourceCount`` and
  ``ck:reportedBy``, linked to each article's event with ``owl:sameAs``;
- disagreement: merged events that cannot both hold get ``ck:contradicts``.
Work is blocked by key (surname; class and place), so cost grows about linearly.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.contradictions import find_contradictions
from kg.geonames import loose_key
from kg.model import ENTITY_TYPES, EVENT_TYPES, ROLES, Entity, Event, Sentence
from kg.store import GraphStore, replace_graph
from kg.vocab import CK, ID_BASE, NIF, SCHEMA

MERGED_GRAPH = ID_BASE + "merged"
DEFAULT_WINDOW = timedelta(days=1)
ARTICLES_ONLY = f"FILTER(?g != <{MERGED_GRAPH}>)"  # the merged layer is output, never input
CKNS = str(CK._NS)
FIRST_NAME_FORMS = ((r"^ale(k|x)s?", "oleks"), (r"e[iy]$", "i"))


@dataclass
class _Event:
    iri: str
    article: str
    type: str
    day: date | None
    modality: str | None
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    undated: bool = False  # ``day`` is the article's publication date, not the event's own
    sentences: set[str] = field(default_factory=set)  # its evidence, normalised
    mentions: set[str] = field(default_factory=set)  # its evidence, the ck:Mention nodes


def _rows(store: GraphStore, query: str):
    prefixes = {"ck": CKNS, "rdfs": str(RDFS), "schema": str(SCHEMA), "nif": str(NIF)}
    yield from store.query(query, prefixes=prefixes)


def _value(term) -> str | None:
    return None if term is None else term.value


def person_key(name: str) -> tuple[str, str]:
    """(surname key, first-name key) of a person's name, equal across transliterations."""
    words = loose_key(name).split()
    first = words[0] if len(words) > 1 else ""
    for pattern, repl in FIRST_NAME_FORMS:
        first = re.sub(pattern, repl, first)
    return (words[-1] if words else ""), first


def person_clusters(people: dict[str, str]) -> dict[str, str]:
    """Map each person IRI to its canonical IRI. ``people`` maps IRI to label.

    People are blocked by surname; within a block, full names whose first names agree
    are one person, and a surname-only name joins the block when that leaves no doubt
    (one full name in the block).
    """
    blocks: dict[str, list[str]] = defaultdict(list)
    for iri, label in people.items():
        blocks[person_key(label)[0]].append(iri)
    canonical: dict[str, str] = {}
    for members in blocks.values():
        by_first: dict[str, list[str]] = defaultdict(list)
        for iri in members:
            by_first[person_key(people[iri])[1]].append(iri)
        named = {k: v for k, v in by_first.items() if k}
        for group in named.values():
            for iri in group:
                canonical[iri] = min(group)
        bare = by_first.get("", [])
        target = min(next(iter(named.values()))) if len(named) == 1 else min(bare, default=None)
        for iri in bare:
            canonical[iri] = target
    return canonical


def _load_events(store: GraphStore) -> dict[str, _Event]:
    events: dict[str, _Event] = {}
    types = " ".join(f"ck:{t}" for t in EVENT_TYPES)
    for row in _rows(store, f"""
        SELECT ?ev ?g ?type ?date ?pub ?mod WHERE {{ GRAPH ?g {{
          ?ev a ?type . VALUES ?type {{ {types} }}
          OPTIONAL {{ ?ev ck:date ?date }} OPTIONAL {{ ?ev ck:modality ?mod }}
          OPTIONAL {{ ?g schema:datePublished ?pub }} }} {ARTICLES_ONLY} }}"""):
        day = _value(row["date"]) or _value(row["pub"])
        events[row["ev"].value] = _Event(
            row["ev"].value, row["g"].value, row["type"].value[len(CKNS):],
            date.fromisoformat(day[:10]) if day else None,
            _value(row["mod"]) and row["mod"].value[len(CKNS):], undated=row["date"] is None)
    roles = " ".join(f"ck:{r}" for r in ROLES)
    for row in _rows(store, f"""
        SELECT ?ev ?role ?x WHERE {{ GRAPH ?g {{ ?ev ?role ?x . VALUES ?role {{ {roles} }} }}
          {ARTICLES_ONLY} }}"""):
        event = events.get(row["ev"].value)
        if event is not None:
            event.roles[row["role"].value[len(CKNS):]].add(row["x"].value)
    for row in _rows(store, f"""
        SELECT ?ev ?m ?text WHERE {{ GRAPH ?g {{ ?ev ck:evidence ?m . ?m nif:anchorOf ?text }} {ARTICLES_ONLY} }}"""):
        event = events.get(row["ev"].value)
        if event is not None:
            event.sentences.add(" ".join(re.findall(r"\w+", row["text"].value.lower())))
            event.mentions.add(row["m"].value)
    return events


@dataclass
class _Cluster:
    members: list[str]
    type: str
    modality: str | None
    agents: set[str]
    published: set[date] = field(default_factory=set)  # publication days of its undated members
    dated: set[date] = field(default_factory=set)  # the days its dated members give
    sentences: set[str] = field(default_factory=set)

    def accepts(self, event: _Event, window: timedelta) -> bool:
        if event.type != self.type or event.modality != self.modality:
            return False
        if not event.undated and event.day and self.dated and self.dated != {event.day}:
            return False  # two reports that each give a day, different days: two events
        if event.undated and event.day and self.published and event.day not in self.published \
                and event.sentences.isdisjoint(self.sentences):
            return False  # undated reports from different days tell of each day's events
        agents = event.roles.get("agent", set())
        if agents and self.agents and agents.isdisjoint(self.agents):
            return False
        days = self.dated | self.published
        if event.day and days:
            return max(*days, event.day) - min(*days, event.day) <= window
        return True

    def add(self, event: _Event) -> None:
        self.members.append(event.iri)
        self.agents |= event.roles.get("agent", set())
        self.sentences |= event.sentences
        if event.day:
            (self.published if event.undated else self.dated).add(event.day)


def event_clusters(events: dict[str, _Event], window: timedelta = DEFAULT_WINDOW, *,
                   wide: frozenset[str] = frozenset()) -> list[list[str]]:
    """Group article events into real-world events.

    Events are blocked by (class, place); an event joins a cluster of its block only
    when it fits every member (same class and modality, no conflicting agent, all
    dates within ``window``), so daily reports of shelling at one town do not chain
    into one event. Two reports that each give the event's day must give the same day;
    the window is the slack between a given day and the publication day of a report
    that gives none. Two reports that give no day join only when published the same
    day (daily reports of "shelling near X" tell of each day's shelling) or when they
    rest on the same sentence (a report repeating yesterday's paragraph). Places in
    ``wide`` (oblasts, countries) hold too many events to tell apart: a block of one of
    them joins only events that rest on the same sentence. Events are taken in a fixed
    order (date, IRI): the result depends on the set of events only, not on the order
    articles were added.
    """
    by_block: dict[tuple[str, str], list[_Cluster]] = defaultdict(list)
    home: dict[str, _Cluster] = {}
    order = sorted(events.values(), key=lambda e: (e.day or date.min, e.iri))
    for event in order:
        places = sorted({p for r in ("location", "origin", "destination", "target")
                         for p in event.roles.get(r, ())})
        cluster = None
        for place in places:
            cluster = next((c for c in by_block[(event.type, place)] if c.accepts(event, window)
                            and (place not in wide or not event.sentences.isdisjoint(c.sentences))), None)
            if cluster is not None:
                break
        if cluster is None:
            cluster = _Cluster([], event.type, event.modality, set())
        cluster.add(event)
        home[event.iri] = cluster
        for place in places:
            if cluster not in by_block[(event.type, place)]:
                by_block[(event.type, place)].append(cluster)
    unique = {id(c): c for c in home.values()}
    return sorted(sorted(c.members) for c in unique.values())


def _entities(store: GraphStore) -> dict[str, Entity]:
    types = " ".join(f"ck:{t}" for t in ENTITY_TYPES)
    out: dict[str, Entity] = {}
    for row in _rows(store, f"""
        SELECT ?e ?type (SAMPLE(?l) AS ?label) (SAMPLE(?s) AS ?side) WHERE {{ GRAPH ?g {{
          ?e a ?type ; rdfs:label ?l . VALUES ?type {{ {types} }} OPTIONAL {{ ?e ck:side ?s }} }}
          {ARTICLES_ONLY} }}
        GROUP BY ?e ?type"""):
        iri = row["e"].value
        out[iri] = Entity(key=iri, type=row["type"].value[len(CKNS):], label=row["label"].value,
                          side=_value(row["side"]))
    return out


def merged_layer(store: GraphStore, *, window: timedelta = DEFAULT_WINDOW) -> Graph:
    """Compute the merged layer of every article graph in ``store`` (see module docstring)."""
    entities = _entities(store)
    people = {iri: e.label for iri, e in entities.items() if e.type == "Person"}
    canonical = person_clusters(people)
    g = Graph()
    for variant, target in sorted(canonical.items()):
        if variant != target:
            g.add((URIRef(variant), OWL.sameAs, URIRef(target)))
    events = _load_events(store)
    merged: list[Event] = []
    wide = frozenset(iri for iri, e in entities.items() if e.type in ("Region", "Country"))
    for members in event_clusters(events, window, wide=wide):
        node = URIRef(ID_BASE + "event/" + hashlib.sha1("\n".join(members).encode()).hexdigest()[:16])
        first = events[members[0]]
        g.add((node, RDF.type, CK.Event))
        g.add((node, RDF.type, CK[first.type]))
        roles: set[tuple[str, str]] = set()
        for iri in members:
            g.add((node, OWL.sameAs, URIRef(iri)))
            g.add((node, CK.reportedBy, URIRef(events[iri].article)))
            for mention in events[iri].mentions:  # the sentences of every report stay one step away
                g.add((node, CK.evidence, URIRef(mention)))
            for role, values in events[iri].roles.items():
                roles |= {(role, canonical.get(v, v)) for v in values}
        for role, value in sorted(roles):
            g.add((node, CK[role], URIRef(value)))
        articles = {events[iri].article for iri in members}
        g.add((node, CK.sourceCount, Literal(len(articles), datatype=XSD.integer)))
        days = sorted(events[iri].day for iri in members if events[iri].day)
        if days:
            g.add((node, CK.date, Literal(days[0].isoformat(), datatype=XSD.date)))
        if first.modality:
            g.add((node, CK.modality, CK[first.modality]))
        merged.append(Event(key=str(node), type=first.type, roles=tuple(sorted(roles)),
                            evidence=(Sentence(0, 0, ""),), date=days[0] if days else None,
                            modality=first.modality))
    for a, b in find_contradictions(merged, (), entities):
        g.add((URIRef(a), CK.contradicts, URIRef(b)))
        g.add((URIRef(b), CK.contradicts, URIRef(a)))
    return g


def update_merged_layer(store: GraphStore, *, window: timedelta = DEFAULT_WINDOW) -> int:
    """Recompute the merged layer and replace its graph in ``store``; return its size."""
    layer = merged_layer(store, window=window)
    replace_graph(store, MERGED_GRAPH, layer.serialize(format="nt", encoding="utf-8"))
    return len(layer)
