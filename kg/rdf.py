"""RDF: an ``Extraction`` in, the article's named graph out; and graph files.

Each article's triples go into a named graph whose name is the article's IRI, in
the vocabulary of ``ontology/conflict.ttl``; every entity, event and claim points
to the sentences it rests on (``ck:evidence`` → ``ck:Mention``).
Files are written atomically: to a temporary file, then renamed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.errors import GraphError
from kg.iri import (
    article_iri,
    entity_iri,
    geonames_iri,
    mention_iri,
    node_iri,
    source_iri,
    wikidata_iri,
)
from kg.model import Extraction, Sentence
from kg.vocab import CK, GEO, NIF, SCHEMA

FORMATS = {"trig": ".trig", "nquads": ".nq", "turtle": ".ttl", "json-ld": ".jsonld"}
SUFFIX_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".jsonld": "json-ld",
                  ".json": "json-ld", ".nt": "nt"}


def content_hash(text: str) -> str:
    """The SHA-256 of an article's text: a store keeps it to skip unchanged articles."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_dataset() -> Dataset:
    """An empty dataset with the project's prefixes bound."""
    ds = Dataset()
    for prefix, ns in (("ck", CK._NS), ("nif", NIF), ("geo", GEO), ("schema", SCHEMA),
                       ("prov", PROV), ("skos", SKOS), ("owl", OWL),
                       ("kgid", URIRef("https://w3id.org/conflict-kg/id/"))):
        ds.bind(prefix, ns)
    return ds


def add_extraction(ds: Dataset, ex: Extraction) -> Graph:
    """Add one article's extraction to ``ds`` as its own named graph and return that graph."""
    article = ex.article
    art = article_iri(article.key)
    g = ds.graph(art)
    g.add((art, RDF.type, SCHEMA.NewsArticle))
    if article.headline:
        g.add((art, SCHEMA.headline, Literal(article.headline)))
    if article.published:
        g.add((art, SCHEMA.datePublished, Literal(article.published.isoformat(), datatype=XSD.date)))
    if article.url:
        g.add((art, SCHEMA.url, URIRef(article.url)))
    g.add((art, SCHEMA.sha256, Literal(content_hash(article.text))))
    if article.source:
        publisher = source_iri(article.source)
        g.add((art, SCHEMA.publisher, publisher))
        g.add((publisher, RDF.type, SCHEMA.Organization))
        g.add((publisher, SCHEMA.name, Literal(article.source)))

    def mention(sentence: Sentence) -> URIRef:
        node = mention_iri(article.key, sentence.start, sentence.end)
        if (node, RDF.type, CK.Mention) not in g:
            g.add((node, RDF.type, CK.Mention))
            g.add((node, NIF.anchorOf, Literal(sentence.text)))
            g.add((node, NIF.beginIndex, Literal(sentence.start, datatype=XSD.nonNegativeInteger)))
            g.add((node, NIF.endIndex, Literal(sentence.end, datatype=XSD.nonNegativeInteger)))
            g.add((node, PROV.wasDerivedFrom, art))
        return node

    _add_entities(g, ex, mention)
    for event in ex.events:
        node = node_iri(event.key)
        g.add((node, RDF.type, CK.Event))
        g.add((node, RDF.type, CK[event.type]))
        for role, key in event.roles:
            g.add((node, CK[role], entity_iri(key)))
        if event.date:
            g.add((node, CK.date, Literal(event.date.isoformat(), datatype=XSD.date)))
        if event.end_date:
            g.add((node, CK.endDate, Literal(event.end_date.isoformat(), datatype=XSD.date)))
        if event.time_text:
            g.add((node, CK.timeText, Literal(event.time_text)))
        if event.modality:
            g.add((node, CK.modality, CK[event.modality]))
        for trigger in event.triggers:
            g.add((node, CK.trigger, Literal(trigger)))
        for n, place in enumerate(event.relative_places):
            relative = URIRef(f"{node}/relative/{n}")
            g.add((node, CK.relativeLocation, relative))
            g.add((relative, RDF.type, CK.RelativePlace))
            g.add((relative, CK.relativeTo, entity_iri(place.anchor)))
            if place.direction:
                g.add((relative, CK.direction, Literal(place.direction)))
            if place.distance_km is not None:
                g.add((relative, CK.distanceKm, Literal(Decimal(str(place.distance_km)),
                                                        datatype=XSD.decimal)))
        for sentence in event.evidence:
            g.add((node, CK.evidence, mention(sentence)))
    for claim in ex.claims:
        node = node_iri(claim.key)
        g.add((node, RDF.type, CK.Assessment if claim.kind == "assessment" else CK.Claim))
        g.add((node, CK.asserts, node_iri(claim.asserts)))
        if claim.claimant:
            g.add((node, CK.claimant, entity_iri(claim.claimant)))
        if claim.channel:
            g.add((node, CK.channel, entity_iri(claim.channel)))
        g.add((node, CK.evidence, mention(claim.evidence)))
    for a, b in ex.contradictions:
        g.add((node_iri(a), CK.contradicts, node_iri(b)))
        g.add((node_iri(b), CK.contradicts, node_iri(a)))
    return g


def _add_entities(g: Graph, ex: Extraction, mention) -> None:
    by_key = {e.key: e for e in ex.entities}
    for entity in ex.entities:
        node = entity_iri(entity.key)
        g.add((node, RDF.type, CK[entity.type]))
        g.add((node, RDFS.label, Literal(entity.label)))
        if entity.geonames:
            g.add((node, OWL.sameAs, geonames_iri(entity.geonames)))
        if entity.wikidata:
            g.add((node, OWL.sameAs, wikidata_iri(entity.wikidata)))
        if entity.lat is not None and entity.lon is not None:
            g.add((node, GEO.lat, Literal(Decimal(str(entity.lat)), datatype=XSD.decimal)))
            g.add((node, GEO.long, Literal(Decimal(str(entity.lon)), datatype=XSD.decimal)))
        if entity.side and entity.side in by_key:
            g.add((node, CK.side, entity_iri(entity.side)))
        if entity.part_of:
            g.add((node, CK.partOf, entity_iri(entity.part_of)))
    for m in ex.mentions:
        node = entity_iri(m.entity)
        g.add((node, CK.evidence, mention(m.sentence)))
        if m.surface and m.surface != by_key[m.entity].label:
            g.add((node, SKOS.altLabel, Literal(m.surface)))
    for person, role in ex.person_roles:
        g.add((entity_iri(person), CK.role, Literal(role)))


def format_for(path: Path, requested: str | None = None) -> str:
    """Return the rdflib format for ``path``: the one requested, else from its suffix."""
    if requested:
        return requested
    return SUFFIX_FORMATS.get(path.suffix.lower(), "trig")


def write_dataset(ds: Dataset, path: Path, fmt: str | None = None) -> None:
    """Serialise ``ds`` to ``path`` atomically (temporary file, then rename)."""
    fmt = format_for(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        if fmt == "turtle":
            union = Graph(namespace_manager=ds.namespace_manager)
            for quad in ds.quads():
                union.add(quad[:3])
            union.serialize(tmp, format="turtle")
        else:
            ds.serialize(tmp, format=fmt)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_dataset(paths: list[Path]) -> Dataset:
    """Read RDF files (TriG, N-Quads, Turtle, N-Triples, JSON-LD) into one dataset.

    Raises:
        GraphError: naming the file that is missing or cannot be parsed.
    """
    ds = new_dataset()
    for path in paths:
        fmt = checked_format(path, SUFFIX_FORMATS)
        try:
            ds.parse(path, format=fmt)
        except Exception as err:  # rdflib raises many parser-specific types
            raise GraphError(f"{path}: not valid {fmt}: {first_line(err)}") from None
    return ds


def checked_format(path: Path, formats: dict):
    """Return the format ``formats`` gives the suffix of an existing RDF file.

    Raises:
        GraphError: when the file is missing or its suffix names no RDF format.
    """
    if not path.is_file():
        raise GraphError(f"{path}: no such file")
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        raise GraphError(f"{path}: unknown RDF format; use .trig .nq .ttl .nt or .jsonld")
    return fmt


def first_line(err: Exception) -> str:
    """The first line of an exception's message (or its type when it has none)."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
