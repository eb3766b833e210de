"""IRI minting: stable names for articles, entities, events, claims and mentions.

Entities are named by their external id (``geonames/712926``, ``wikidata/Q7747``)
or by a normalised key (``person/alexey-arestovych``), so the same entity gets the
same IRI in every article. Article-bound nodes (events, claims, mentions) hang off
the article's IRI, which comes from its URL or text (``kg.ingest.article_key``).
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import URIRef

from kg.vocab import GEONAMES, ID_BASE, WIKIDATA


def _safe(key: str) -> str:
    return quote(key, safe="/-._~")


def entity_iri(key: str) -> URIRef:
    """IRI of an entity from its key."""
    return URIRef(ID_BASE + _safe(key))


def article_iri(article_key: str) -> URIRef:
    """IRI of an article (also the name of its graph)."""
    return URIRef(f"{ID_BASE}article/{_safe(article_key)}")


def node_iri(node_key: str) -> URIRef:
    """IRI of an event or claim from its key ("<article key>/event/<offset>")."""
    return URIRef(f"{ID_BASE}article/{_safe(node_key)}")


def mention_iri(article_key: str, start: int, end: int) -> URIRef:
    """IRI of the sentence ``start:end`` of an article."""
    return URIRef(f"{ID_BASE}article/{_safe(article_key)}/mention/{start}-{end}")


def source_iri(name: str) -> URIRef:
    """IRI of a publisher, from its name."""
    return URIRef(f"{ID_BASE}source/{_safe('-'.join(name.casefold().split()))}")


def geonames_iri(geonames_id: int) -> URIRef:
    """The GeoNames IRI of a place."""
    return URIRef(f"{GEONAMES}{geonames_id}/")


def wikidata_iri(qid: str) -> URIRef:
    """The Wikidata IRI of an item."""
    return URIRef(WIKIDATA + qid)
