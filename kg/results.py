"""Answers as text: the rows a query returned, as a readable table or a SPARQL result format.

Input: a ``QueryResult`` (what ``kg.query.run_query`` returns: the rows of a SELECT, the
boolean of an ASK or the triples of a CONSTRUCT/DESCRIBE). Output: its text as an
aligned table (IRIs shortened with ``PREFIXES``, whitespace folded, long text cut) or
in the SPARQL 1.1 result formats (JSON, CSV, TSV, XML).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import OptionError

PREFIXES = {
    "ck": "https://w3id.org/conflict-kg/ontology#", "kgid": "https://w3id.org/conflict-kg/id/",
    "schema": "https://schema.org/", "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
}
XSD = PREFIXES["xsd"]
FORMATS = ("table", "csv", "tsv", "json")
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                  "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}


@dataclass(frozen=True)
class QueryResult:
    """An answer: ``kind`` "select", "ask" or "graph" (CONSTRUCT/DESCRIBE: rows of
    subject, predicate, object); ``truncated`` when rows past ``max_rows`` were left out."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[object, ...], ...] = ()
    boolean: bool | None = None
    truncated: bool = False


def term_json(term) -> dict:
    """A term as a binding of the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return {"type": "uri" if isinstance(term, ox.NamedNode) else "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: term_json(getattr(term, p)) for p in parts}}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        found["datatype"] = term.datatype.value
    return found


def results_json(result: QueryResult) -> str:
    """``result`` in SPARQL 1.1 results JSON, with ``<``, ``>``, ``&`` written as ``\\u003c``…
    so that the text stays inert should a browser ever read it as markup."""
    if result.kind == "ask":
        data: dict = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [{v: term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                    for row in result.rows]
        data = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def format_result(result: QueryResult, fmt: str = "table", *, width: int = 60) -> str:
    """``result`` as an aligned table (``format_table``) or in SPARQL results JSON, CSV, TSV or XML.

    CSV, TSV and XML are written by pyoxigraph's serialisers.

    Raises:
        OptionError: for an unknown format.
    """
    if fmt == "table":
        return format_table(result, width=width)
    if fmt == "json":
        return results_json(result)
    if fmt not in RESULT_FORMATS:
        raise OptionError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    parsed = ox.parse_query_results(results_json(result), format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")


def shorten(iri: str) -> str:
    """``https://w3id.org/conflict-kg/ontology#Retreat`` as ``ck:Retreat``; other IRIs in ``<>``."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def cell_text(term, width: int = 60) -> str:
    """A term as a table cell: IRIs shortened, whitespace folded, text past ``width`` cut with …"""
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        text = " ".join(cell_text(t, width) for t in (term.subject, term.predicate, term.object))
    else:
        text = shorten(term.value) if isinstance(term, ox.NamedNode) else \
            f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(result: QueryResult, *, width: int = 60) -> str:
    """``result`` as aligned columns and a count line; an ASK answer as yes or no."""
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    body = [[cell_text(t, width) for t in row] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(result.variables)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
             for cells in [result.variables, ["-" * w for w in widths], *body]]
    more = ", more left out" if result.truncated else ""
    return "\n".join([*lines, f"({len(body)} row{'' if len(body) == 1 else 's'}{more})"])
