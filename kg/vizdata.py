"""Viz data: what ``kg viz`` draws, chosen from a store.

Input: a pyoxigraph ``Store`` of conflict-kg graphs, read as the union of its named
graphs. Output: ``load_graph`` gives a networkx ``MultiDiGraph`` whose nodes are the
entities, events, claims and assessments (keyed by IRI) and whose edges are their links,
in the direction of the RDF (event to agent, claim to event); ``choose`` narrows it to
the focus the user asked for and to the nodes that fit on one page, as a ``Selection``;
``evidence`` fetches the sentences behind a drawn node. Mentions and articles are not
nodes: they are what a tooltip quotes.
"""

from __future__ import annotations

import difflib
import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
import pyoxigraph as ox

from kg.errors import OptionError
from kg.vocab import NIF, ONTOLOGY_IRI, SCHEMA

ENTITY_KINDS = ("Country", "ArmedGroup", "Person", "Organization", "Region", "Settlement")
EVENT_KINDS = ("TakeControl", "Retreat", "Advance", "Encirclement", "Attack", "Combat", "Defend", "Redeployment")
STATEMENT_KINDS = ("Claim", "Assessment")
KINDS = ENTITY_KINDS + EVENT_KINDS + STATEMENT_KINDS
GROUPS = {**dict.fromkeys(ENTITY_KINDS, "entity"), **dict.fromkeys(EVENT_KINDS, "event"),
          **dict.fromkeys(STATEMENT_KINDS, "statement")}
ROLES = ("agent", "target", "location", "origin", "destination")
LINKS = (*ROLES, "side", "claimant", "asserts", "contradicts")

PREFIXES = {"ck": ONTOLOGY_IRI + "#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "skos": "http://www.w3.org/2004/02/skos/core#", "prov": "http://www.w3.org/ns/prov#",
            "schema": str(SCHEMA), "nif": str(NIF)}

# Which node is of which class? Columns: node, class (one of KINDS).
Q_NODES = """SELECT DISTINCT ?node ?class WHERE {
  VALUES ?class { ck:Country ck:ArmedGroup ck:Person ck:Organization ck:Region ck:Settlement
                  ck:TakeControl ck:Retreat ck:Advance ck:Encirclement ck:Attack ck:Combat ck:Defend
                  ck:Redeployment ck:Claim ck:Assessment }
  ?node a ?class }"""

# What do nodes say about themselves: names, role, dates, modality, trigger, source count,
# channel? Columns: node, p (the property), value.
Q_VALUES = """SELECT DISTINCT ?node ?p ?value WHERE {
  VALUES ?p { rdfs:label skos:altLabel ck:role ck:date ck:endDate ck:timeText ck:trigger
              ck:modality ck:sourceCount ck:channel }
  ?node ?p ?value }"""

# Which nodes are linked, and how? Columns: from, p (a role, side, claimant, asserts or
# contradicts), to.
Q_LINKS = """SELECT DISTINCT ?from ?p ?to WHERE {
  VALUES ?p { ck:agent ck:target ck:location ck:origin ck:destination ck:side ck:claimant ck:asserts
              ck:contradicts }
  ?from ?p ?to }"""

# Which events happen only near a named place ("northwest of Izyum")? Columns: event,
# anchor (the named place), direction, km (both optional).
Q_NEAR = """SELECT DISTINCT ?event ?anchor ?direction ?km WHERE {
  ?event ck:relativeLocation ?relative . ?relative ck:relativeTo ?anchor .
  OPTIONAL { ?relative ck:direction ?direction } OPTIONAL { ?relative ck:distanceKm ?km } }"""

# Which articles report each node (through its evidence, or ck:reportedBy after a merge)?
# Columns: node, article.
Q_REPORTS = """SELECT DISTINCT ?node ?article WHERE {
  { ?node ck:evidence ?mention . ?mention prov:wasDerivedFrom ?article }
  UNION { ?node ck:reportedBy ?article } }"""

# The newest sentences behind one node. Parameter: ?node. Columns: node, mention, sentence,
# article, headline, published (the article's), begin (the sentence's offset in it).
Q_EVIDENCE = """SELECT DISTINCT ?node ?mention ?sentence ?article ?headline ?published ?begin WHERE {
  ?node ck:evidence ?mention . ?mention nif:anchorOf ?sentence .
  OPTIONAL { ?mention nif:beginIndex ?begin }
  OPTIONAL { ?mention prov:wasDerivedFrom ?article .
             OPTIONAL { ?article schema:headline ?headline } OPTIONAL { ?article schema:datePublished ?published } } }
ORDER BY DESC(?published) ?article ?begin ?mention
LIMIT 100"""

# How many sentences are behind one node? Parameter: ?node. Columns: node, sentences.
Q_EVIDENCE_COUNT = """SELECT ?node (COUNT(DISTINCT ?mention) AS ?sentences) WHERE {
  ?node ck:evidence ?mention . ?mention nif:anchorOf ?sentence }
GROUP BY ?node"""


class FocusError(OptionError):
    """A focus option names nothing in the graph (an unknown name or type), or leaves nothing to draw."""


@dataclass(frozen=True)
class Evidence:
    """One sentence behind a node, with the article it comes from."""

    sentence: str
    headline: str
    published: str


@dataclass(frozen=True)
class Selection:
    """The focused graph and the part of it that is drawn."""

    graph: nx.MultiDiGraph
    drawn: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]
    centres: tuple[str, ...] = ()
    left_out: Counter = field(default_factory=Counter)
    left_out_edges: int = 0


def _run(store: ox.Store, query: str, **bindings: ox.Term) -> ox.QuerySolutions:
    substitutions = {ox.Variable(name): term for name, term in bindings.items()}
    return store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True,
                       substitutions=substitutions or None)


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def load_graph(store: ox.Store) -> nx.MultiDiGraph:
    """Read the entities, events, claims and assessments of ``store`` and their links.

    Node attributes: ``kind`` (a class name from KINDS), ``group`` (entity, event or
    statement), ``label``, ``aliases``, ``sources`` (distinct articles, or ck:sourceCount
    when larger), and for events ``date``, ``end_date``, ``time_text``, ``modality``,
    ``triggers``; for people ``roles``; for claims ``channels``. Edge keys are the link
    names (LINKS, and ``near`` for a relative location, whose ``text`` says how).
    """
    kinds: dict[str, set[str]] = {}
    for row in _run(store, Q_NODES):
        kinds.setdefault(row["node"].value, set()).add(_local(row["class"].value))
    graph = nx.MultiDiGraph()
    for node, found in kinds.items():
        kind = next(k for k in KINDS if k in found)
        graph.add_node(node, kind=kind, group=GROUPS[kind], label="", aliases=(), sources=0, date=None,
                       end_date=None, time_text=(), modality=None, triggers=(), roles=(), channels=())
    values: dict[tuple[str, str], set[str]] = {}
    for row in _run(store, Q_VALUES):
        if row["node"].value in graph:
            values.setdefault((row["node"].value, _local(row["p"].value)), set()).add(row["value"].value)
    counted = Counter(row["node"].value for row in _run(store, Q_REPORTS))
    for node, data in graph.nodes(data=True):
        names = sorted(values.get((node, "label"), ()))
        data["label"] = names[0] if names else _local(node).replace("-", " ")
        data["aliases"] = tuple(sorted(set(names[1:]) | values.get((node, "altLabel"), set())))
        declared = [int(v) for v in values.get((node, "sourceCount"), ()) if v.isdigit()]
        data["sources"] = max([counted[node], *declared, 1])
        starts = sorted(filter(None, map(_date, values.get((node, "date"), ()))))
        ends = sorted(filter(None, map(_date, values.get((node, "endDate"), ()))))
        data["date"] = starts[0] if starts else None
        data["end_date"] = max([*ends, *starts[-1:]]) if starts else None
        data["time_text"] = tuple(sorted(values.get((node, "timeText"), ())))
        modalities = sorted(values.get((node, "modality"), ()))
        data["modality"] = _local(modalities[0]) if modalities else None
        data["triggers"] = tuple(sorted(values.get((node, "trigger"), ())))
        data["roles"] = tuple(sorted(values.get((node, "role"), ())))
        data["channels"] = tuple(sorted(values.get((node, "channel"), ())))
    for row in _run(store, Q_LINKS):
        source, link, target = row["from"].value, _local(row["p"].value), row["to"].value
        if source == target or source not in graph or target not in graph:
            continue
        if link == "contradicts":  # symmetric: one edge a pair
            source, target = sorted((source, target))
        graph.add_edge(source, target, key=link)
    for row in _run(store, Q_NEAR):
        event, anchor = row["event"].value, row["anchor"].value
        if event in graph and anchor in graph:
            km = f"{float(row['km'].value):g} km " if row["km"] else ""
            direction = f"{row['direction'].value} of " if row["direction"] else ("from " if km else "near ")
            graph.add_edge(event, anchor, key="near", text=f"{km}{direction}{graph.nodes[anchor]['label']}")
    return graph


def evidence(store: ox.Store, node: str, *, limit: int = 3) -> tuple[list[Evidence], int]:
    """The newest ``limit`` sentences behind ``node``, from as many articles as can be, and
    how many sentences there are in all."""
    about = ox.NamedNode(node)
    rows = list(_run(store, Q_EVIDENCE, node=about))
    first_of_article = {}
    for row in rows:
        first_of_article.setdefault(row["article"].value if row["article"] else "", row)
    chosen = list(first_of_article.values())[:limit]
    chosen += [row for row in rows if all(row is not c for c in chosen)][: limit - len(chosen)]
    newest = [Evidence(row["sentence"].value, row["headline"].value if row["headline"] else "",
                       row["published"].value[:10] if row["published"] else "") for row in chosen]
    total = [int(row["sentences"].value) for row in _run(store, Q_EVIDENCE_COUNT, node=about)]
    return newest, total[0] if total else 0


def parse_types(types: Iterable[str]) -> frozenset[str]:
    """Class names (any case; "Event" for all eight event classes) to KINDS.

    Raises:
        FocusError: for a name that is not a class of the drawing.
    """
    by_name = {kind.casefold(): {kind} for kind in KINDS} | {"event": set(EVENT_KINDS)}
    chosen: set[str] = set()
    for name in types:
        if name.strip().casefold() not in by_name:
            raise FocusError(f"--types: unknown type '{name.strip()}'; choose from Event, {', '.join(KINDS)}")
        chosen |= by_name[name.strip().casefold()]
    return frozenset(chosen)


def find_entities(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """The entities whose label or an alias is ``name`` (case and spacing ignored).

    Raises:
        FocusError: when there is none, naming a few entities whose names contain ``name``
            or are spelt much like it.
    """
    wanted = " ".join(name.split()).casefold()
    found = [node for node, data in graph.nodes(data=True) if data["group"] == "entity"
             and any(" ".join(n.split()).casefold() == wanted for n in (data["label"], *data["aliases"]))]
    if found:
        return sorted(found)
    names: dict[str, str] = {}  # every name in lower case -> the label of its best-known entity
    for node in sorted((n for n, d in graph.nodes(data=True) if d["group"] == "entity"),
                       key=lambda n: (-graph.nodes[n]["sources"], n)):
        for known in (graph.nodes[node]["label"], *graph.nodes[node]["aliases"]):
            names.setdefault(" ".join(known.split()).casefold(), graph.nodes[node]["label"])
    similar = [n for n in names if wanted and wanted in n] + difflib.get_close_matches(wanted, names, n=5, cutoff=0.75)
    close = list(dict.fromkeys(names[n] for n in similar))
    hint = ("; did you mean: " + ", ".join(close[:5])) if close else (
        "; give the name of a person, group, organisation or place as the articles write it")
    raise FocusError(f"--around: no entity is named '{name}' (label or alias){hint}")


class _Links:
    """The links of a graph by node and link name, in both directions, for fast lookup."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self.nodes = graph.nodes
        self.by: dict[str, dict[str, list[str]]] = {node: {} for node in graph}
        for source, target, link in graph.edges(keys=True):
            self.by[source].setdefault(link, []).append(target)
            self.by[target].setdefault(link, []).append(source)

    def __call__(self, node: str, *links: str) -> list[str]:
        """Nodes linked to ``node`` by one of ``links`` (by any link when none is given)."""
        found = self.by[node]
        return [n for link in (links or found) for n in found.get(link, ())]


def _core(links: _Links, node: str) -> list[str]:
    """A node and what it needs to be read: an event's participants and places, a claim's
    claimant and asserted events (with theirs)."""
    group = links.nodes[node]["group"]
    if group == "event":
        return [node, *links(node, *ROLES, "near")]
    if group == "statement":
        unit = [node, *links(node, "claimant")]
        for event in links(node, "asserts"):
            unit += _core(links, event)
        return unit
    return [node]


def _unit(links: _Links, node: str) -> list[str]:
    """The core of a node and of the nodes it contradicts."""
    unit = _core(links, node)
    for other in links(node, "contradicts"):
        unit += _core(links, other)
    return unit


def _distances(links: _Links, centres: list[str], hops: int) -> dict[str, int]:
    """How many events away from the centres each reachable node is.

    One hop goes from an entity through an event (or a claim or assessment) to the
    entities of that event, taking along the claims that assert it and what it
    contradicts; an entity-to-entity link (side) is one hop as well.
    """
    distance = dict.fromkeys(centres, 0)
    frontier = list(centres)
    for step in range(1, hops + 1):
        reached: list[str] = []
        for node in frontier:
            for neighbour in sorted(set(links(node))):
                if links.nodes[neighbour]["group"] == "entity":
                    cluster = [neighbour]
                else:
                    members = [neighbour, *links(neighbour, "asserts", "contradicts")]
                    cluster = [n for member in members for n in _core(links, member)]
                for member in cluster:
                    if member not in distance:
                        distance[member] = step
                        if links.nodes[member]["group"] == "entity":
                            reached.append(member)
        frontier = reached
    return distance


def _in_time(data: dict, since: date | None, until: date | None) -> bool:
    """Whether an event overlaps the days from ``since`` to ``until``; undated events do not."""
    if since is None and until is None:
        return True
    if data["date"] is None:
        return False
    return (since is None or data["end_date"] >= since) and (until is None or data["date"] <= until)


def _filter(links: _Links, *, since: date | None, until: date | None, types: frozenset[str] | None,
            min_sources: int) -> nx.MultiDiGraph:
    """The subgraph the date, type and source options keep."""
    nodes = links.nodes
    keep = set(nodes)
    if types is not None:
        keep = {n for n in keep if nodes[n]["kind"] in types}
    if since is not None or until is not None or min_sources > 1:
        keep = {n for n in keep if nodes[n]["group"] != "event"
                or _in_time(nodes[n], since, until) and nodes[n]["sources"] >= min_sources}
        # a claim goes with its events; an entity goes when none of its events is left
        keep = {n for n in keep if nodes[n]["group"] != "statement"
                or not links(n, "asserts") or any(e in keep for e in links(n, "asserts"))}
        linked = {m for n in keep if nodes[n]["group"] != "entity" for m in links(n)}
        keep = {n for n in keep if nodes[n]["group"] != "entity" or n in linked}
    return links.graph if len(keep) == len(nodes) else links.graph.subgraph(keep).copy()


def _scores(links: _Links) -> dict[str, float]:
    """Rank by degree and corroboration: entities by links and articles naming them; events
    by reports, claims and contradictions, and by the weight of who and where they involve;
    a claim just below the event it asserts."""
    score: dict[str, float] = {}
    items = links.nodes(data=True)
    for node, data in items:
        if data["group"] == "entity":
            score[node] = data["sources"] + len(links(node))
    for node, data in items:
        if data["group"] == "event":
            score[node] = (3 * data["sources"] + len(links(node, "asserts")) + 2 * len(links(node, "contradicts"))
                           + sum(math.log2(1 + score[e]) for e in links(node, *ROLES, "near") if e in score))
    for node, data in items:
        if data["group"] == "statement":
            events = [score[e] for e in links(node, "asserts")]
            people = [score[e] for e in links(node, "claimant")]
            score[node] = (max(events) - 0.5 if events else sum(math.log2(1 + s) for s in people)) + 2 * len(
                links(node, "contradicts"))
    return score


def _signature(links: _Links, node: str) -> tuple:
    """What an event or statement says, so that the first of each kind is drawn before repeats."""
    data = links.nodes[node]
    if data["group"] == "event":
        return (data["kind"], frozenset((role, n) for role in ROLES for n in links(node, role)), data["modality"])
    return (data["kind"], frozenset(links(node, "claimant")),
            frozenset(_signature(links, e) for e in links(node, "asserts")))


def _take_best(links: _Links, candidates: list[str], score: dict[str, float], chosen: dict[str, None],
               max_nodes: int, quota: int) -> list[str]:
    """Add candidates' units to ``chosen`` by score per node added, while they fit.

    A unit costs the nodes it adds, which only falls as more is drawn, so a candidate is
    re-scored when it comes up and put back once if others are now better (lazy greedy).
    Claims and assessments beyond ``quota`` drawn are returned instead, for later.
    """
    heap = [(-score[n], n) for n in candidates]
    heapq.heapify(heap)
    later = []
    statements = sum(links.nodes[n]["group"] == "statement" for n in chosen)
    while heap and len(chosen) < max_nodes:
        key, node = heapq.heappop(heap)
        if node in chosen:
            continue
        if links.nodes[node]["group"] == "statement" and statements >= quota:
            later.append(node)
            continue
        unit = [n for n in dict.fromkeys(_unit(links, node)) if n not in chosen]
        if len(chosen) + len(unit) > max_nodes:
            unit = [n for n in dict.fromkeys(_core(links, node)) if n not in chosen]
            if len(chosen) + len(unit) > max_nodes:
                continue
        value = -score[node] / (1 + len(unit))
        if heap and value > heap[0][0] and value > key:
            heapq.heappush(heap, (value, node))
            continue
        chosen.update(dict.fromkeys(unit))
        statements += sum(links.nodes[n]["group"] == "statement" for n in unit)
    return later


def choose(graph: nx.MultiDiGraph, *, around: str | None = None, hops: int = 1, since: date | None = None,
           until: date | None = None, types: Iterable[str] | None = None, min_sources: int = 1,
           max_nodes: int = 300) -> Selection:
    """Focus ``graph`` as the options say and pick at most ``max_nodes`` nodes to draw.

    Events and claims are taken nearest to the ``around`` entity first, each with its
    participants and places (a claim with its claimant and event), best rank (see
    ``_scores``) per node added first, so that a summary favours what links the most
    mentioned actors and places; the first event of a kind between the same participants
    comes before repeats of it, so that it shows many different things; claims take at
    most a quarter of the room while there are events to draw. Entities not in
    any drawn event fill what room is left.

    Raises:
        FocusError: for an unknown type or name, or when nothing is left to draw.
    """
    kinds = parse_types(types) if types is not None else None
    if hops < 0 or min_sources < 1 or max_nodes < 1:
        raise OptionError("--hops must be 0 or more, --min-sources and --max-nodes 1 or more")
    centres = find_entities(graph, around) if around is not None else []
    focused = _filter(_Links(graph), since=since, until=until, types=kinds, min_sources=min_sources)
    if around is not None:
        kept = [c for c in centres if c in focused]
        if not kept:
            kind = graph.nodes[centres[0]]["kind"]
            raise FocusError(f"--around: '{around}' (a {kind}) is left out by the other options "
                             "(--types, --since/--until or --min-sources)")
        centres = kept
        distance = _distances(_Links(focused), centres, hops)
        focused = focused.subgraph(distance).copy()
    else:
        distance = dict.fromkeys(focused, 0)
    if not focused:
        raise FocusError("nothing to draw: no entity, event or claim of the graph matches the options")
    links = _Links(focused)
    score = _scores(links)
    chosen: dict[str, None] = dict.fromkeys(centres[:max_nodes])

    statements = sorted((n for n in focused if focused.nodes[n]["group"] != "entity"),
                        key=lambda n: (distance[n], -score[n], n))
    tiers: dict[tuple[int, int], list[str]] = {}
    seen: set[tuple] = set()
    for node in statements:
        signature = (distance[node], _signature(links, node))
        tiers.setdefault((distance[node], int(signature in seen)), []).append(node)
        seen.add(signature)
    later = []
    for tier in sorted(tiers):
        later += _take_best(links, tiers[tier], score, chosen, max_nodes, quota=max_nodes // 4)
    _take_best(links, later, score, chosen, max_nodes, quota=max_nodes)
    for node in sorted((n for n in focused if focused.nodes[n]["group"] == "entity"),
                       key=lambda n: (distance[n], -score[n], n)):
        if len(chosen) >= max_nodes:
            break
        chosen[node] = None
    drawn = tuple(chosen)
    edges = tuple((u, v, k) for u, v, k in focused.subgraph(drawn).edges(keys=True))
    left = Counter(focused.nodes[n]["group"] for n in focused if n not in chosen)
    return Selection(graph=focused, drawn=drawn, edges=edges, centres=tuple(centres), left_out=left,
                     left_out_edges=focused.number_of_edges() - len(edges))
